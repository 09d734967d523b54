/**
 * Accepted SAML responses and what comes back from them (the forged and broken ones are in forgery-corpus.test.ts):
 * every signing arrangement IdPs use, certificates, the NameID exactly as signed, the session's end, and every time
 * edge at the exact instant with a fake clock.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { SAML_CLOCK_SKEW_MS } from '../../src/saml/assertion-checks.ts';
import { SAML_REQUEST_TTL_MS } from '../../src/saml/request-store.ts';
import { samlServiceProvider } from '../../src/saml/service-provider.ts';
import type { IdpSettings } from '../../src/saml/types.ts';
import { MAX_SAML_SESSION_MS, verifySamlResponse, type VerifyOptions } from '../../src/saml/verify-response.ts';
import { encodeSamlResponse, testIdpForSuite, type TestResponseOptions } from '../helpers/saml-idp.ts';
import { issueSamlRequest, openSamlTestDeps, openSamlTestProcesses, ORG_A, SAML_TEST_BASE_URL, type SamlTestDeps } from '../helpers/saml-sp.ts';

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const T0 = new Date('2026-11-25T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const SP = samlServiceProvider(SAML_TEST_BASE_URL, ORG_A.login);

const made = testIdpForSuite();

/**
 * Issues a request at T0 (the clock's time when called), lets the IdP answer it with `options` at T0, then verifies
 * the answer at `verifyAt` (default: T0).
 */
async function signIn(
  t: TestContext,
  options: Partial<TestResponseOptions> & { verifyAt?: Date; settings?: IdpSettings; verify?: VerifyOptions; relayState?: string } = {},
  deps?: SamlTestDeps,
) {
  const { idp } = made;
  const sp = deps ?? await openSamlTestDeps(t);
  sp.clock.set(T0);
  const settings = options.settings ?? idp.settings;
  const requestId = await issueSamlRequest(sp, ORG_A, settings, options.relayState);
  const xml = await idp.responseXml({ sp: SP, inResponseTo: requestId, now: T0, ...options });
  sp.clock.set(options.verifyAt ?? T0);
  return verifySamlResponse(sp, { org: ORG_A, idp: settings, samlResponse: encodeSamlResponse(xml) }, options.verify);
}

describe('accepted responses', () => {
  for (const sign of ['assertion', 'response', 'both'] as const) {
    test(`signed on the ${sign === 'both' ? 'Response and the Assertion' : sign}: who signed in, their attributes, the session's end`, async (t) => {
      const result = await signIn(t, {
        sign, nameId: 'ada@example.test', attributes: { email: ['ada@example.test'], groups: ['admins', 'devs'] },
        sessionNotOnOrAfter: at(8 * HOUR), relayState: 'return-to-token-42',
      });
      assert.deepEqual(result, {
        ok: true,
        nameId: 'ada@example.test',
        nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
        sessionNotOnOrAfter: at(8 * HOUR),
        attributes: { email: ['ada@example.test'], groups: ['admins', 'devs'] },
        relayState: 'return-to-token-42',
      });
    });
  }

  test('the NameID comes back exactly as signed: case, accents, plus, persistent opaque IDs', async (t) => {
    for (const nameId of ['Ada.Lovelace+SSO@Example.TEST', 'Zoë.Ünïcode@exämple.test', 'a1b2c3d4-9f8e-7d6c-5b4a-39281706f5e4', 'user&<>"\'@example.test']) {
      const result = await signIn(t, { nameId });
      assert.equal(result.ok && result.nameId, nameId);
    }
  });

  test('the session lasts what the IdP says, at most 24 hours (or what the caller allows)', async (t) => {
    const cases: Array<[Date | null, VerifyOptions | undefined, Date]> = [
      [at(30 * MINUTE), undefined, at(30 * MINUTE)],
      [at(30 * HOUR), undefined, at(MAX_SAML_SESSION_MS)],
      [null, undefined, at(MAX_SAML_SESSION_MS)],
      [at(8 * HOUR), { maxSessionMs: HOUR }, at(HOUR)],
    ];
    for (const [sessionNotOnOrAfter, verify, expected] of cases) {
      const result = await signIn(t, { sessionNotOnOrAfter, ...(verify && { verify }) });
      assert.deepEqual(result.ok && result.sessionNotOnOrAfter, expected, `IdP says ${sessionNotOnOrAfter?.toISOString()}`);
    }
  });

  test('KeyInfo is never what is trusted: another certificate in it, or none, changes nothing when the configured key signed', async (t) => {
    assert.equal((await signIn(t, { keyInfoCertificate: made.attacker.certificateBase64 })).ok, true);
    assert.equal((await signIn(t, { keyInfoCertificate: null })).ok, true);
  });

  test('while an IdP rolls its key over, either configured certificate verifies; a third key does not', async (t) => {
    const { idp, attacker: otherKey } = made;
    const settings = { ...idp.settings, certificates: [idp.key.certificate, otherKey.certificate] };
    assert.equal((await signIn(t, { settings })).ok, true);
    assert.equal((await signIn(t, { settings, signer: otherKey })).ok, true);
    const third = await idp.makeKey('third');
    assert.deepEqual(await signIn(t, { settings, signer: third }), { ok: false, code: 'bad_signature' });
  });

  test('an attribute named __proto__ is an attribute, not the object\'s prototype', async (t) => {
    const result = await signIn(t, { attributes: Object.fromEntries([['__proto__', ['x']], ['email', ['a@example.test']]]) });
    assert.ok(result.ok);
    assert.deepEqual(Object.getOwnPropertyNames(result.attributes).sort(), ['__proto__', 'email']);
    assert.equal(Object.getPrototypeOf(result.attributes), Object.prototype);
  });
});

describe('time, at the exact instant (clock skew SAML_CLOCK_SKEW_MS)', () => {
  const skew = SAML_CLOCK_SKEW_MS;
  // IssueInstant T0, NotBefore T0+1min, SubjectConfirmationData NotOnOrAfter T0+3min, Conditions NotOnOrAfter T0+5min.
  const response = { notBefore: at(MINUTE), confirmationNotOnOrAfter: at(3 * MINUTE), notOnOrAfter: at(5 * MINUTE) };
  const cases: Array<[string, Date, VerifyOptions | undefined, true | string]> = [
    ['one ms before NotBefore minus the skew', at(MINUTE - skew - 1), undefined, 'not_yet_valid'],
    ['exactly NotBefore minus the skew', at(MINUTE - skew), undefined, true],
    ['one ms before the first NotOnOrAfter plus the skew', at(3 * MINUTE + skew - 1), undefined, true],
    ['exactly the first NotOnOrAfter plus the skew', at(3 * MINUTE + skew), undefined, 'expired'],
    ['without skew, one ms before NotBefore', at(MINUTE - 1), { clockSkewMs: 0 }, 'not_yet_valid'],
    ['without skew, exactly NotBefore', at(MINUTE), { clockSkewMs: 0 }, true],
    ['without skew, one ms before NotOnOrAfter', at(3 * MINUTE - 1), { clockSkewMs: 0 }, true],
    ['without skew, exactly NotOnOrAfter', at(3 * MINUTE), { clockSkewMs: 0 }, 'expired'],
  ];
  for (const [name, verifyAt, verify, expected] of cases) {
    test(`${name}: ${expected === true ? 'accepted' : expected}`, async (t) => {
      const result = await signIn(t, { ...response, verifyAt, ...(verify && { verify }) });
      assert.deepEqual(result.ok || result.code, expected);
    });
  }

  test('a request is answerable until SAML_REQUEST_TTL_MS after it was issued, not a millisecond more', async (t) => {
    const long = { notOnOrAfter: at(HOUR), confirmationNotOnOrAfter: at(HOUR) };
    assert.equal((await signIn(t, { ...long, verifyAt: at(SAML_REQUEST_TTL_MS - 1) })).ok, true);
    assert.deepEqual(await signIn(t, { ...long, verifyAt: at(SAML_REQUEST_TTL_MS) }), { ok: false, code: 'unknown_request' });
  });
});

describe('several processes', () => {
  test('a request issued by one process is answered at another; the replay is refused at a third', async (t) => {
    const { idp } = made;
    const [first, second, third] = await openSamlTestProcesses(t, 3);
    first!.clock.set(T0);
    const requestId = await issueSamlRequest(first!, ORG_A, idp.settings);
    const samlResponse = encodeSamlResponse(await idp.responseXml({ sp: SP, inResponseTo: requestId, now: T0 }));
    const post = (deps: SamlTestDeps) => verifySamlResponse(deps, { org: ORG_A, idp: idp.settings, samlResponse });
    assert.equal((await post(second!)).ok, true);
    assert.deepEqual(await post(third!), { ok: false, code: 'replayed' });
    first!.clock.set(at(5 * MINUTE + SAML_CLOCK_SKEW_MS));
    assert.deepEqual(await post(first!), { ok: false, code: 'expired' }, 'once the replay cache forgets it, it has expired');
  });

  test('two processes verifying the same response at once: exactly one accepts it', async (t) => {
    const { idp } = made;
    const [first, second] = await openSamlTestProcesses(t, 2);
    first!.clock.set(T0);
    const requestId = await issueSamlRequest(first!, ORG_A, idp.settings);
    const samlResponse = encodeSamlResponse(await idp.responseXml({ sp: SP, inResponseTo: requestId, now: T0 }));
    const results = await Promise.all([first!, second!, first!, second!].map((deps) =>
      verifySamlResponse(deps, { org: ORG_A, idp: idp.settings, samlResponse })));
    assert.equal(results.filter((result) => result.ok).length, 1);
    assert.deepEqual(results.filter((result) => !result.ok), Array(3).fill({ ok: false, code: 'replayed' }));
  });
});
