/**
 * node-saml alone, without Tessera's structural checks, on every corpus response whose point is to be misread:
 * each must be refused, or read as exactly what the IdP signed, never as the attacker's NameID. This is the second
 * layer: were response-structure.ts or the strict parser ever loosened, these would still not sign anyone in as
 * someone else. It also records what the issue measured of node-saml 5.1: a NameID split by a comment is read whole,
 * and neither the Response's Destination nor the SubjectConfirmationData's Recipient is checked.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SAML } from '@node-saml/node-saml';
import { verifySignedAssertion } from '../../src/saml/response-signature.ts';
import { samlServiceProvider } from '../../src/saml/service-provider.ts';
import { genuineAndEvilTwin, SAML_FORGERY_CORPUS, type SamlCorpusContext } from '../helpers/saml-corpus.ts';
import { EVIL_NAME_ID } from '../helpers/saml-forgeries.ts';
import { encodeSamlResponse, newSamlId, testIdpForSuite } from '../helpers/saml-idp.ts';
import { SAML_TEST_BASE_URL } from '../helpers/saml-sp.ts';

const BASE_URL = SAML_TEST_BASE_URL;
const made = testIdpForSuite();

describe('node-saml alone on responses built to be misread', () => {
  const sp = samlServiceProvider(BASE_URL, 'acme');
  for (const entry of SAML_FORGERY_CORPUS.filter((candidate) => candidate.misread)) {
    test(entry.name, async () => {
      const { idp, attacker } = made;
      const context: SamlCorpusContext = {
        idp, attacker, sp, otherSp: samlServiceProvider(BASE_URL, 'globex'), now: new Date(),
        requestId: newSamlId(), otherOrgRequestId: newSamlId(), deliver: async () => assert.fail('not used'),
      };
      const xml = Buffer.from(await entry.build(context), 'base64').toString('utf8');
      const result = await verifySignedAssertion(xml, sp, idp.settings);
      if (entry.name.startsWith('comment inside NameID')) {
        assert.deepEqual(result.ok && result.nameId, 'user@evil.com.good.com', 'read whole, as signed; never as user@evil.com');
      } else if (result.ok) {
        assert.notEqual(result.nameId, EVIL_NAME_ID);
        assert.equal(result.nameId, 'user@example.test');
      }
    });
  }
});

describe('the attacker material of the corpus is real', () => {
  test('the evil twin verifies under the attacker\'s own certificate and names the evil NameID', async () => {
    const { idp, attacker } = made;
    const sp = samlServiceProvider(BASE_URL, 'acme');
    const context: SamlCorpusContext = {
      idp, attacker, sp, otherSp: samlServiceProvider(BASE_URL, 'globex'), now: new Date(),
      requestId: newSamlId(), otherOrgRequestId: newSamlId(), deliver: async () => assert.fail('not used'),
    };
    const [genuine, evil] = await genuineAndEvilTwin(context);
    assert.deepEqual(await verifySignedAssertion(genuine, sp, idp.settings).then((result) => result.ok && result.nameId), 'user@example.test');
    const attackerSettings = { ...idp.settings, certificates: [attacker.certificate] };
    assert.deepEqual(await verifySignedAssertion(evil, sp, attackerSettings).then((result) => result.ok && result.nameId), EVIL_NAME_ID);
    assert.deepEqual(await verifySignedAssertion(evil, sp, idp.settings), { ok: false });
  });
});

describe('what node-saml 5.1 leaves to Tessera, measured', () => {
  test('with its own audience, time and InResponseTo checks on, it accepts a response sent to another ACS URL', async () => {
    const { idp } = made;
    const sp = samlServiceProvider(BASE_URL, 'acme');
    const elsewhere = samlServiceProvider(BASE_URL, 'globex').acsUrl;
    const xml = await idp.responseXml({ sp, inResponseTo: null, now: new Date(), destination: elsewhere, recipient: elsewhere });
    const saml = new SAML({
      idpCert: idp.settings.certificates, issuer: sp.entityId, callbackUrl: sp.acsUrl, audience: sp.entityId,
      wantAuthnResponseSigned: false, acceptedClockSkewMs: 60_000,
    });
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: encodeSamlResponse(xml) });
    assert.equal(profile?.nameID, 'user@example.test', 'neither Destination nor Recipient is compared with callbackUrl');
  });
});
