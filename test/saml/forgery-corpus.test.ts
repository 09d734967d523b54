/**
 * The forged and broken responses of test/helpers/saml-corpus.ts, each refused by verifySamlResponse with its code,
 * for an organization whose IdP also serves another organization. Shared state is this process's memory, or Redis
 * when TESSERA_TEST_REDIS_URL is set, as in production.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { samlServiceProvider } from '../../src/saml/service-provider.ts';
import { verifySamlResponse } from '../../src/saml/verify-response.ts';
import { SAML_FORGERY_CORPUS, type SamlCorpusContext } from '../helpers/saml-corpus.ts';
import { testIdpForSuite } from '../helpers/saml-idp.ts';
import { issueSamlRequest, openSamlTestDeps, ORG_A, ORG_B, SAML_TEST_BASE_URL } from '../helpers/saml-sp.ts';

describe('forged and broken SAML responses', () => {
  const made = testIdpForSuite();

  for (const entry of SAML_FORGERY_CORPUS) {
    test(`${entry.name}: refused as ${entry.code}`, async (t) => {
      const { idp, attacker } = made;
      const deps = await openSamlTestDeps(t);
      const verify = (samlResponse: string) => verifySamlResponse(deps, { org: ORG_A, idp: idp.settings, samlResponse });
      const context: SamlCorpusContext = {
        idp, attacker, now: deps.clock.now(),
        sp: samlServiceProvider(SAML_TEST_BASE_URL, ORG_A.login),
        otherSp: samlServiceProvider(SAML_TEST_BASE_URL, ORG_B.login),
        requestId: await issueSamlRequest(deps, ORG_A, idp.settings),
        otherOrgRequestId: await issueSamlRequest(deps, ORG_B, idp.settings),
        async deliver(samlResponse) {
          const result = await verify(samlResponse);
          assert.equal(result.ok, true, `the first delivery is accepted: ${JSON.stringify(result)}`);
        },
      };
      assert.deepEqual(await verify(await entry.build(context)), { ok: false, code: entry.code });
    });
  }
});
