/** SP-initiated sign-in: the AuthnRequest redirect (HTTP-Redirect binding), its RelayState, and its signature. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RELAY_STATE_MAX_BYTES, startSamlSignIn } from '../../src/saml/authn-request.ts';
import { NAMEID_FORMAT_UNSPECIFIED, samlServiceProvider } from '../../src/saml/service-provider.ts';
import { decodeAuthnRequest, isRedirectSignatureValid } from '../helpers/saml-idp-server.ts';
import { makeSigningKey, makeWorkDir } from '../helpers/saml-xmlsec.ts';
import { openSamlTestDeps, ORG_A, SAML_TEST_BASE_URL } from '../helpers/saml-sp.ts';

const IDP = { entityId: 'https://idp.example.test/saml', ssoUrl: 'https://idp.example.test/sso?tenant=7', certificates: [] };

test('the redirect goes to the IdP\'s sign-on URL with a deflated AuthnRequest for the organization and the RelayState', async (t) => {
  const deps = await openSamlTestDeps(t);
  const started = await startSamlSignIn(deps, { org: ORG_A, idp: IDP, relayState: 'state-123' });
  assert.ok(started.ok);
  const url = new URL(started.url);
  assert.equal(`${url.origin}${url.pathname}`, 'https://idp.example.test/sso');
  assert.deepEqual([...url.searchParams.keys()].sort(), ['RelayState', 'SAMLRequest', 'tenant'], 'unsigned: no SigAlg or Signature');
  assert.equal(url.searchParams.get('tenant'), '7', 'the IdP\'s own query is kept');
  const sp = samlServiceProvider(SAML_TEST_BASE_URL, ORG_A.login);
  const request = await decodeAuthnRequest(url);
  assert.deepEqual({ ...request, xml: undefined }, {
    id: started.requestId,
    issuer: sp.entityId,
    acsUrl: sp.acsUrl,
    destination: IDP.ssoUrl,
    protocolBinding: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
    nameIdFormat: NAMEID_FORMAT_UNSPECIFIED,
    relayState: 'state-123',
    sigAlg: undefined,
    xml: undefined,
  });
  assert.doesNotMatch(request.xml, /RequestedAuthnContext/, 'how users authenticate is the IdP\'s policy');
});

test('every sign-in has a request ID of its own, an xsd:ID of 160 random bits; no RelayState when none is given', async (t) => {
  const deps = await openSamlTestDeps(t);
  const ids = new Set<string>();
  for (let i = 0; i < 20; i++) {
    const started = await startSamlSignIn(deps, { org: ORG_A, idp: IDP });
    assert.ok(started.ok);
    assert.match(started.requestId, /^_[0-9a-f]{40}$/);
    assert.equal(new URL(started.url).searchParams.has('RelayState'), false);
    ids.add(started.requestId);
  }
  assert.equal(ids.size, 20);
});

test('a RelayState of more than 80 bytes (SAML Bindings 3.4.3, UTF-8), or one node-saml would sign other than it sends, is refused', async (t) => {
  const deps = await openSamlTestDeps(t);
  assert.equal((await startSamlSignIn(deps, { org: ORG_A, idp: IDP, relayState: 'x'.repeat(RELAY_STATE_MAX_BYTES) })).ok, true);
  for (const relayState of ['x'.repeat(RELAY_STATE_MAX_BYTES + 1), '€'.repeat(27), 'a b', 'a!', "it's", '(x)', '~me']) {
    assert.deepEqual(await startSamlSignIn(deps, { org: ORG_A, idp: IDP, relayState }), { ok: false, code: 'bad_relay_state' }, relayState);
  }
});

test('with a signing key the redirect is signed (rsa-sha256) over the query as sent; it verifies with that key\'s certificate only', async (t) => {
  const deps = await openSamlTestDeps(t);
  const dir = await makeWorkDir(t);
  const [key, other] = await Promise.all([makeSigningKey(dir, 'sp'), makeSigningKey(dir, 'other')]);
  // Every printable ASCII character RELAY_STATE_UNSAFE leaves, and some beyond.
  const relayState = '/o?x=1&y=a+b%20c,d;e:f@g#h$i[j]k*l"m<n>o{p}q|r^s`t\\u=é';
  const started = await startSamlSignIn(deps, { org: ORG_A, idp: IDP, relayState, signing: key });
  assert.ok(started.ok);
  assert.equal((await decodeAuthnRequest(started.url)).sigAlg, 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
  assert.equal(isRedirectSignatureValid(started.url, key.certificate), true);
  assert.equal(isRedirectSignatureValid(started.url, other.certificate), false);
  const changed = new URL(started.url);
  changed.searchParams.set('RelayState', '/elsewhere');
  assert.equal(isRedirectSignatureValid(changed, key.certificate), false);
});
