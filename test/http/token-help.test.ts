/**
 * The help page "Creating a personal access token" (/help/personal-access-tokens): its sections and every scope have
 * anchors, its links lead somewhere real, token pages link to it, and each API error about the credential links to
 * the section that says what to do. In Russian, each edition's page has the same anchors and says only what is true
 * of the edition; what differs by edition end to end (English, the token pages, the CLI) is in test/e2e/editions.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_SCOPES, SCOPE_TREE, type ScopeDefinition } from '../../src/domain/scopes.ts';
import { scopeHelpAnchor, TOKEN_HELP_PATH, TOKEN_HELP_SECTIONS, type TokenHelpSection } from '../../src/http/token-help-links.ts';
import { translatorFor } from '../../src/i18n/translator.ts';
import { helpUrl } from '../helpers/api-docs.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';

const idsOf = (html: string) => new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((match) => match[1]!));
const linksOf = (html: string) => [...html.matchAll(/\shref="([^"]+)"/g)].map((match) => match[1]!.replaceAll('&amp;', '&'));

async function signedIn(server: TestServer): Promise<WebClient> {
  const user = await server.createUser();
  const web = new WebClient();
  await web.get(`${server.baseUrl}/login`);
  const signIn = await web.submit(`${server.baseUrl}/login`, { login: user.username, password: TEST_PASSWORD });
  assert.equal(signIn.status, 302);
  return web;
}

test('the help page: every section and scope has an anchor, and every link on it leads somewhere', async (t) => {
  const server = await startTestServer(t, { env: { TESSERA_EDITION: 'cloud' } });
  const page = await fetch(`${server.baseUrl}${TOKEN_HELP_PATH}`);
  assert.equal(page.status, 200);
  assert.match(String(page.headers.get('content-type')), /^text\/html/);
  const html = await page.text();
  assert.match(html, /<title>Creating a personal access token · Tessera<\/title>/);
  assert.match(html, /<h1[^>]*>Creating a personal access token<\/h1>/);

  const ids = idsOf(html);
  for (const anchor of Object.values(TOKEN_HELP_SECTIONS)) assert.ok(ids.has(anchor), `section #${anchor} (the cloud edition has them all)`);
  for (const scope of ALL_SCOPES) assert.ok(ids.has(scopeHelpAnchor(scope)), `scope ${scope} has an anchor`);

  const docs = idsOf(await (await fetch(`${server.baseUrl}/docs/api`)).text());
  const article = /<article[\s\S]*<\/article>/.exec(html)![0];
  const internal = linksOf(article).filter((href) => href.startsWith('/') || href.startsWith('#'));
  assert.ok(internal.length > 20);
  for (const href of internal) {
    const [path, anchor] = href.split('#');
    if (path === '' || path === TOKEN_HELP_PATH) assert.ok(ids.has(anchor!), `${href} leads to a section of the page`);
    else if (path === '/docs/api') assert.ok(!anchor || docs.has(anchor), `${href} leads to a section of the API reference`);
    else assert.match(path!, /^\/settings\/(tokens|security-log)$/, href);
  }
});

test('token pages link to the help page ("Learn more")', async (t) => {
  const server = await startTestServer(t);
  const web = await signedIn(server);
  for (const path of ['/settings/tokens', '/settings/tokens/new']) {
    const page = await web.get(`${server.baseUrl}${path}`);
    assert.equal(page.status, 200, path);
    const link = /<a href="([^"]+)" data-testid="token-help-link">([^<]+)<\/a>/.exec(page.body);
    assert.ok(link, `${path} has a Learn more link`);
    assert.equal(link[1], TOKEN_HELP_PATH);
    assert.match(link[2]!, /^Learn more/);
  }
  const ids = idsOf(await (await fetch(`${server.baseUrl}${TOKEN_HELP_PATH}`)).text());
  const list = await web.get(`${server.baseUrl}/settings/tokens`);
  for (const href of linksOf(list.body).filter((link) => link.startsWith(`${TOKEN_HELP_PATH}#`))) {
    assert.ok(ids.has(href.split('#')[1]!), `${href} leads to a section`);
  }
});

test('API errors about the credential link to the help page section that says what to do', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'helped' });
  const gist = await server.createToken(user, { scopes: ['gist'] });
  const ids = idsOf(await (await fetch(`${server.baseUrl}${TOKEN_HELP_PATH}`)).text());
  const basic = `Basic ${Buffer.from(`helped:${TEST_PASSWORD}`).toString('base64')}`;
  const cases: Array<{ what: string; request: () => Promise<Response>; status: number; message: RegExp; url: string }> = [
    { what: 'a bad token', request: () => fetch(`${server.apiUrl}/user`, { headers: { authorization: 'token tsp_nope' } }), status: 401, message: /^Bad credentials$/, url: helpUrl(server, 'stopsWorking') },
    { what: 'no token', request: () => fetch(`${server.apiUrl}/user`), status: 401, message: /^Requires authentication$/, url: helpUrl(server, 'api') },
    { what: 'a password', request: () => fetch(`${server.apiUrl}/user`, { headers: { authorization: basic } }), status: 401, message: /^Password authentication is not supported/, url: helpUrl(server, 'api') },
    {
      what: 'a missing scope (403)', request: () => fetch(`${server.apiUrl}/repos/helped/anything`, { method: 'DELETE', headers: { authorization: `token ${gist}` } }),
      status: 403, message: /It needs 'delete_repo'\.$/, url: helpUrl(server, { scope: 'delete_repo' }),
    },
    {
      what: 'a missing scope (404)', request: () => fetch(`${server.apiUrl}/user/repos`, { method: 'POST', headers: { authorization: `token ${gist}` }, body: '{"name":"x"}' }),
      status: 404, message: /It needs 'public_repo' or 'repo'\.$/, url: helpUrl(server, { scope: 'public_repo' }),
    },
    {
      what: 'a bad token on GraphQL', request: () => fetch(`${server.baseUrl}/api/graphql`, { method: 'POST', headers: { authorization: 'bearer tsp_nope' }, body: '{"query":"{viewer{login}}"}' }),
      status: 401, message: /^Bad credentials$/, url: helpUrl(server, 'stopsWorking'),
    },
  ];
  for (const { what, request, status, message, url } of cases) {
    const response = await request();
    assert.equal(response.status, status, what);
    const body = await response.json() as { message: string; documentation_url: string };
    assert.deepEqual(Object.keys(body), ['message', 'documentation_url'], `${what}: GitHub's shape`);
    assert.match(body.message, message, what);
    assert.equal(body.documentation_url, url, what);
    assert.ok(ids.has(new URL(url).hash.slice(1)), `${what}: ${url} leads to a section of the page`);
  }
});

/** The page as read: text without tags, and the titles a pointer shows (a scope's description). */
const readable = (html: string) => [html.replace(/<[^>]+>/g, ' '), ...[...html.matchAll(/\stitle="([^"]*)"/g)].map((match) => match[1])]
  .join(' ').replace(/\s+/g, ' ').replace(/ ([.,;:)])/g, '$1');

const RUSSIAN_HEADINGS: Record<TokenHelpSection, string> = {
  verifyingEmail: 'Подтверждение адреса электронной почты',
  creating: 'Создание токена',
  scopes: 'Области доступа',
  commandLine: 'Токен в командной строке',
  api: 'Токен в API',
  sshRemotes: 'Переход удалённых репозиториев с SSH на HTTPS',
  stopsWorking: 'Когда токен перестаёт работать',
  unusedTokens: 'Неиспользуемые токены',
  samlSso: 'Организации с единым входом SAML',
};

const EDITIONS = [
  { label: 'cloud', env: { TESSERA_EDITION: 'cloud' }, verifiedEmail: true, sweepDays: 365, saml: true },
  { label: 'managed', env: { TESSERA_EDITION: 'managed' }, verifiedEmail: true, sweepDays: 0, saml: true },
  { label: 'server', env: {}, verifiedEmail: true, sweepDays: 0, saml: false },
  {
    label: 'server without the verified-email requirement, removing unused tokens',
    env: { TESSERA_EDITION: 'server', TESSERA_REQUIRE_VERIFIED_EMAIL: 'false', TESSERA_UNUSED_TOKEN_DAYS: '365' },
    verifiedEmail: false, sweepDays: 365, saml: false,
  },
];

for (const edition of EDITIONS) {
  test(`the help page in Russian, ${edition.label}: the same anchors, and only what is true of the edition`, async (t) => {
    const server = await startTestServer(t, { env: edition.env });
    const read = async (language: string) => (await server.app.inject({ url: TOKEN_HELP_PATH, headers: { 'accept-language': language } })).body;
    const [english, html] = [await read('en-US,en;q=0.9'), await read('ru-RU,ru;q=0.9')];
    const text = readable(html);
    assert.match(html, /<html lang="ru"/);
    assert.match(html, /<title>Создание персонального токена доступа · Tessera<\/title>/);
    assert.match(html, /<h1[^>]*>Создание персонального токена доступа<\/h1>/);
    assert.deepEqual(idsOf(html), idsOf(english), 'the same anchors in both languages: API errors link to them');

    const shown = (Object.keys(RUSSIAN_HEADINGS) as TokenHelpSection[])
      .filter((section) => (section !== 'verifyingEmail' || edition.verifiedEmail) && (section !== 'samlSso' || edition.saml));
    const headings = [...html.matchAll(/<h2[^>]*><a class="color-fg-default" href="#([^"]+)">([^<]+)<\/a><\/h2>/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(headings, shown.map((section) => [TOKEN_HELP_SECTIONS[section], RUSSIAN_HEADINGS[section]]));

    if (edition.verifiedEmail) assert.match(text, /При регистрации Tessera присылает вам письмо со ссылкой; ссылка действует 24 часа\./);
    else assert.doesNotMatch(text, /подтвер/i, 'no word of verification where it is not required');

    if (edition.sweepDays > 0) {
      assert.match(text, /Tessera удаляет токен, которым не пользовались 365 дней: забытый токен — это риск/);
      assert.match(text, /Tessera присылает вам письмо за 30 и 7 дней до удаления токена и ещё одно — когда удаляет его\./);
    } else {
      assert.match(text, /Здесь токены не удаляются из-за того, что ими не пользуются: токен работает, пока не истечёт его срок/);
      assert.doesNotMatch(text, /не пользовались \d+ д/);
    }

    if (edition.saml) {
      assert.match(text, /В списке токенов нажмите Настроить SSO рядом с токеном\./);
      assert.match(text, /API: Список авторизаций SAML SSO для организации/, 'the scope list names the SAML operations');
    } else {
      // Nowhere on the page, scope list and its links to the API reference included, in either language.
      assert.doesNotMatch(text, /SAML|SSO|единого входа|единым входом/, 'no SAML in Russian where organizations cannot require it');
      assert.doesNotMatch(readable(english), /SAML|SSO|single sign-on/, 'nor in English');
      for (const page of [html, english]) assert.ok(!/href="[^"]*(saml|sso)/.test(page), 'no link to an operation on SAML authorizations');
    }
  });
}
