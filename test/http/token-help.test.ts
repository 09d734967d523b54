/**
 * The help page "Creating a personal access token" (/help/personal-access-tokens): its sections and every scope have
 * anchors, its links lead somewhere real, token pages link to it, and each API error about the credential links to
 * the section that says what to do. What differs by edition is in test/e2e/editions.test.ts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ALL_SCOPES, SCOPE_TREE, type ScopeDefinition } from '../../src/domain/scopes.ts';
import { scopeHelpAnchor, TOKEN_HELP_PATH, TOKEN_HELP_SECTIONS } from '../../src/http/token-help-links.ts';
import { scopeDescriptionKey } from '../../src/http/web/token-help-page.ts';
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

test('the English scope descriptions are the scope tree\'s own', () => {
  const { t } = translatorFor('en');
  const check = (definitions: readonly ScopeDefinition[]): void => definitions.forEach((definition) => {
    assert.equal(t(scopeDescriptionKey(definition.name)), definition.description, definition.name);
    check(definition.children ?? []);
  });
  check(SCOPE_TREE);
});
