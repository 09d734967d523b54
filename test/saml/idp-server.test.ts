/**
 * The test IdP over HTTP (test/helpers/saml-idp-server.ts), as the browser tests use it: Tessera's redirect reaches
 * its /sso, whose page posts a signed response back to the organization's ACS URL, which Tessera accepts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSamlSignIn } from '../../src/saml/authn-request.ts';
import { samlServiceProvider } from '../../src/saml/service-provider.ts';
import { verifySamlResponse } from '../../src/saml/verify-response.ts';
import { startTestIdpServer } from '../helpers/saml-idp-server.ts';
import { openSamlTestDeps, ORG_A, SAML_TEST_BASE_URL } from '../helpers/saml-sp.ts';

/** The action and fields of the one form in `html`. */
function formOf(html: string): { action: string; fields: Record<string, string> } {
  const unescape = (text: string) => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const action = /<form method="post" action="([^"]*)"/.exec(html)?.[1];
  assert.ok(action, 'the page has a POST form');
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)]
    .map(([, name, value]) => [name!, unescape(value!)]));
  return { action: unescape(action), fields };
}

test('the IdP answers the redirect with a page that posts a signed response and the RelayState to the ACS URL', async (t) => {
  const deps = await openSamlTestDeps(t);
  const server = await startTestIdpServer(t, { now: () => deps.clock.now() });
  server.signInAs('ada@example.test');
  const started = await startSamlSignIn(deps, { org: ORG_A, idp: server.idp.settings, relayState: 'back&forth' });
  assert.ok(started.ok);
  assert.ok(started.url.startsWith(`${server.baseUrl}/sso?`));

  const page = await fetch(started.url);
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(html, /onload="document\.forms\[0\]\.submit\(\)"/);
  const form = formOf(html);
  assert.equal(form.action, samlServiceProvider(SAML_TEST_BASE_URL, ORG_A.login).acsUrl);
  assert.equal(form.fields.RelayState, 'back&forth');
  assert.deepEqual(server.requests.map((request) => request.id), [started.requestId]);

  const result = await verifySamlResponse(deps, { org: ORG_A, idp: server.idp.settings, samlResponse: form.fields.SAMLResponse ?? '' });
  assert.deepEqual(result.ok && [result.nameId, result.relayState], ['ada@example.test', 'back&forth']);
});

test('with nobody signed in at the IdP, /sso refuses and posts nothing', async (t) => {
  const deps = await openSamlTestDeps(t);
  const server = await startTestIdpServer(t);
  const started = await startSamlSignIn(deps, { org: ORG_A, idp: server.idp.settings });
  assert.ok(started.ok);
  const page = await fetch(started.url);
  assert.equal(page.status, 403);
  assert.doesNotMatch(await page.text(), /SAMLResponse/);
});
