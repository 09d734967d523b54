/**
 * Every forged and broken response of test/helpers/saml-corpus.ts, posted over HTTP to the real Assertion Consumer
 * Service of an organization as an IdP's form posts it (no cookie): each is refused with a page that says what was
 * wrong and what to do, sets no session cookie, starts no SAML session and links no identity, and is logged as its code alone.
 *
 * Each case has a member of its own, and requests Tessera really issued for them (GET /orgs/{org}/sso) for the
 * organization under test and for another organization that uses the same IdP.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMember } from '../../src/domain/organization-members.ts';
import { createOrganization, type Organization } from '../../src/domain/organizations.ts';
import { SITE_ADMIN } from '../../src/domain/principal.ts';
import { saveOrganizationSaml } from '../../src/domain/sso/saml-settings.ts';
import { samlServiceProvider } from '../../src/saml/service-provider.ts';
import { SESSION_COOKIE } from '../../src/http/plugins/web-session.ts';
import { describeSignInFailure } from '../../src/http/web/sso/sign-in-failure-messages.ts';
import { translatorFor } from '../../src/i18n/translator.ts';
import { continueToIdp, signedInClient } from '../helpers/org-sso.ts';
import { SAML_FORGERY_CORPUS, type SamlCorpusContext } from '../helpers/saml-corpus.ts';
import { EVIL_NAME_ID } from '../helpers/saml-forgeries.ts';
import { createTestIdp } from '../helpers/saml-idp.ts';
import { decodeAuthnRequest } from '../helpers/saml-idp-server.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const unescapeHtml = (html: string) => html.replace(/&#39;/g, '\'').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

async function postToAcs(server: TestServer, login: string, samlResponse: string, relayState: string | undefined, headers: Record<string, string> = {}) {
  const body = new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState !== undefined && { RelayState: relayState }) });
  const response = await fetch(`${server.baseUrl}/orgs/${login}/saml/consume`, {
    method: 'POST', body, redirect: 'manual', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
  });
  return { status: response.status, location: response.headers.get('location'), setCookie: response.headers.getSetCookie(), body: await response.text() };
}

test('forged and broken SAML responses posted to the ACS: each refused with a page, no session, the code logged', async (t) => {
  const server = await startTestServer(t);
  const idp = await createTestIdp(t);
  const attacker = await idp.makeKey('attacker');
  const admin = await server.createUser({ username: 'root-owner' });
  const organizations: Organization[] = [];
  for (const login of ['acme', 'globex']) {
    const created = await createOrganization(server.deps, SITE_ADMIN, { login, admin }, {});
    assert.ok(created.ok);
    assert.ok((await saveOrganizationSaml(server.deps, created.organization.owner, { kind: 'metadata', xml: idp.metadataXml() })).ok);
    organizations.push(created.organization);
  }
  const sp = samlServiceProvider(server.baseUrl, 'acme');
  let counter = 0;

  for (const entry of SAML_FORGERY_CORPUS) {
    await t.test(`${entry.name}: refused as ${entry.code}`, async (subtest) => {
      counter += 1;
      const member = await server.createUser({ username: `member-${counter}` });
      for (const organization of organizations) assert.ok((await addMember(server.deps, SITE_ADMIN, organization, member.username, 'member', {})).ok);
      const browser = await signedInClient(server, member);
      const issue = async (login: string) => decodeAuthnRequest(await continueToIdp(browser, server, await browser.get(`${server.baseUrl}/orgs/${login}/sso`)));
      const request = await issue('acme');
      const otherRequest = await issue('globex');
      const identity = () => server.db.selectFrom('organization_saml_identities').selectAll().where('user_id', '=', member.id).execute();
      const context: SamlCorpusContext = {
        idp, attacker, now: new Date(), sp, otherSp: samlServiceProvider(server.baseUrl, 'globex'),
        requestId: request.id, otherOrgRequestId: otherRequest.id,
        async deliver(samlResponse) {
          const accepted = await postToAcs(server, 'acme', samlResponse, request.relayState);
          assert.equal(accepted.status, 303, `the first delivery is accepted: ${accepted.body.slice(0, 500)}`);
        },
      };
      // The corpus's genuine responses all name user@example.test: one member at a time may hold that identity.
      subtest.after(() => server.db.deleteFrom('organization_saml_identities').where('user_id', '=', member.id).execute());
      const forged = await entry.build(context);
      const before = await identity();
      const logsBefore = server.logs.length;

      const answer = await postToAcs(server, 'acme', forged, request.relayState);
      assert.equal(answer.status, entry.code === 'malformed' ? 400 : 403, answer.body.slice(0, 300));
      assert.ok(!answer.setCookie.some((cookie) => cookie.startsWith(`${SESSION_COOKIE}=`)), 'no session cookie');
      const words = describeSignInFailure(translatorFor('en').t, entry.code, 'acme', sp);
      const text = unescapeHtml(answer.body);
      assert.ok(text.includes(words.problem), `the page says what was wrong: ${words.problem}`);
      assert.ok(text.includes(words.remedy), 'and what to do');
      assert.deepEqual(await identity(), before, 'no identity linked, no SAML session started or renewed');

      const logged = server.logs.slice(logsBefore).map((line) => JSON.parse(line) as Record<string, unknown>);
      assert.deepEqual(logged.filter((line) => line.msg === 'SAML response refused').map((line) => line.saml_refusal), [entry.code]);
      for (const line of server.logs.slice(logsBefore)) {
        assert.ok(!line.includes(EVIL_NAME_ID) && !line.includes('user@example.test') && !line.includes(forged.slice(0, 40)), `nothing of the response is logged: ${line}`);
      }
    });
  }
});

test('a client network whose responses keep being refused is turned away for the hour, before any verification', async (t) => {
  const server = await startTestServer(t, { rateLimits: { failedAuthenticationsPerHour: 2 } });
  const idp = await createTestIdp(t);
  const admin = await server.createUser({ username: 'flood-owner' });
  const created = await createOrganization(server.deps, SITE_ADMIN, { login: 'acme', admin }, {});
  assert.ok(created.ok);
  assert.ok((await saveOrganizationSaml(server.deps, created.organization.owner, { kind: 'metadata', xml: idp.metadataXml() })).ok);
  assert.equal((await postToAcs(server, 'acme', 'not base64!', undefined)).status, 400);
  const russian = { 'accept-language': 'ru' };
  const inRussian = await postToAcs(server, 'acme', 'not base64!', undefined, russian);
  assert.equal(inRussian.status, 400);
  assert.match(inRussian.body, /<html lang="ru"/);
  assert.match(inRussian.body, /Единый вход не выполнен/);
  assert.match(inRussian.body, /data-testid="sso-problem">Ответ поставщика удостоверений не удалось прочитать как ответ SAML\.</);
  assert.match(inRussian.body, /data-testid="sso-remedy">Начните вход заново из Tessera\. Если ошибка повторится, сообщите владельцу acme/);
  assert.match(inRussian.body, />Повторить попытку</);
  const logsBefore = server.logs.length;
  const turnedAway = await postToAcs(server, 'acme', 'not base64!', undefined);
  assert.equal(turnedAway.status, 429);
  assert.match(unescapeHtml(turnedAway.body), /Too many single sign-on responses from your address were refused in the last hour\./);
  const turnedAwayInRussian = await postToAcs(server, 'acme', 'not base64!', undefined, russian);
  assert.match(turnedAwayInRussian.body, /Слишком много неудачных попыток входа/);
  assert.match(turnedAwayInRussian.body, /Повторите попытку после \d\d:\d\d UTC\./);
  assert.ok(!server.logs.slice(logsBefore).some((line) => line.includes('SAML response refused')), 'not even looked at');
});
