/**
 * The forged and broken responses of test/helpers/saml-corpus.ts, each refused by verifySamlResponse with its code,
 * for an organization whose IdP also serves another organization. Shared state is this process's memory, or Redis
 * when TESSERA_TEST_REDIS_URL is set, as in production.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSamlSignIn } from '../../src/saml/authn-request.ts';
import { samlServiceProvider } from '../../src/saml/service-provider.ts';
import { verifySamlResponse } from '../../src/saml/verify-response.ts';
import { openSharedState } from '../../src/shared-state/connect.ts';
import { fakeClock } from '../helpers/fake-clock.ts';
import { SAML_FORGERY_CORPUS, type SamlCorpusContext } from '../helpers/saml-corpus.ts';
import { createTestIdp, type SigningKey, type TestIdp } from '../helpers/saml-idp.ts';
import { testRedisConfig } from '../helpers/store.ts';

const BASE_URL = 'https://tessera.example.test';
const ORG_A = { id: 41, login: 'acme' };
const ORG_B = { id: 42, login: 'globex' };

describe('forged and broken SAML responses', () => {
  let idp: TestIdp;
  let attacker: SigningKey;
  const cleanups: Array<() => Promise<void>> = [];
  before(async () => {
    idp = await createTestIdp({ after: (fn: () => Promise<void>) => void cleanups.push(fn) });
    attacker = await idp.makeKey('attacker');
  });
  after(async () => { for (const cleanup of cleanups) await cleanup(); });

  for (const entry of SAML_FORGERY_CORPUS) {
    test(`${entry.name}: refused as ${entry.code}`, async (t) => {
      const clock = fakeClock();
      const shared = openSharedState(await testRedisConfig(t));
      t.after(() => shared.close());
      await shared.ready;
      const deps = { clock, config: { baseUrl: BASE_URL }, shared };
      const issue = async (org: typeof ORG_A) => {
        const started = await startSamlSignIn(deps, { org, idp: idp.settings });
        assert.ok(started.ok);
        return started.requestId;
      };
      const context: SamlCorpusContext = {
        idp, attacker, now: clock.now(),
        sp: samlServiceProvider(BASE_URL, ORG_A.login),
        otherSp: samlServiceProvider(BASE_URL, ORG_B.login),
        requestId: await issue(ORG_A),
        otherOrgRequestId: await issue(ORG_B),
        async deliver(samlResponse) {
          const result = await verifySamlResponse(deps, { org: ORG_A, idp: idp.settings, samlResponse });
          assert.equal(result.ok, true, `the first delivery is accepted: ${JSON.stringify(result)}`);
        },
      };
      const samlResponse = await entry.build(context);
      const result = await verifySamlResponse(deps, { org: ORG_A, idp: idp.settings, samlResponse });
      assert.deepEqual(result, { ok: false, code: entry.code });
    });
  }
});
