/**
 * Tessera's own API reference at /docs/api, and the `documentation_url` of API errors pointing into it: every REST
 * operation the server registers has a section (a new route without one fails here), with its method, path and the
 * scope its route config asks for, and an error's URL leads to the section of the operation that refused (errors
 * about the credential itself lead to the token help page instead).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRAPHQL_DOC, REST_OPERATION_DOCS } from '../../src/http/api/operation-docs.ts';
import { LOCALES } from '../../src/i18n/locales.ts';
import { translatorFor } from '../../src/i18n/translator.ts';
import { startTestServer } from '../helpers/server.ts';
import { docsUrl, helpUrl } from '../helpers/api-docs.ts';

interface Section { route: string; scope: string; text: string }

/** The page's operation sections by anchor, read from the HTML as a reader would see them. */
function sectionsOf(html: string): Map<string, Section> {
  const sections = new Map<string, Section>();
  for (const match of html.matchAll(/<section id="([^"]+)"[^>]*data-testid="operation">([\s\S]*?)<\/section>/g)) {
    const body = match[2]!;
    const words = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
    const field = (name: string) => words(body.match(new RegExp(`data-testid="${name}">([\\s\\S]*?)</(?:code|span)>\\s*</p>`))?.[1] ?? '');
    sections.set(match[1]!, { route: field('route'), scope: field('scope'), text: words(body) });
  }
  return sections;
}

test('GET /docs/api documents every operation, and API errors link to their operation\'s section', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'reader' });
  const token = await server.createToken(user, { scopes: ['gist'] });
  const deleter = await server.createToken(user, { scopes: ['delete_repo'] });

  const page = await fetch(`${server.baseUrl}/docs/api`);
  assert.equal(page.status, 200);
  assert.match(String(page.headers.get('content-type')), /^text\/html/);
  const html = await page.text();
  assert.match(html, /<title>API reference · Tessera<\/title>/);
  const sections = sectionsOf(html);

  const restRoutes = server.app.registeredRoutes
    .filter((route) => route.method !== 'HEAD' && /^\/api\/v3(\/|$)/.test(route.url))
    .map((route) => `${route.method} ${route.url.replace(/:([^/]+)/g, '{$1}')}`);
  assert.ok(restRoutes.length >= 20);
  assert.deepEqual([...sections.values()].map((section) => section.route), [...restRoutes, 'POST /api/graphql'],
    'one section per registered operation, in registration order, then GraphQL');

  assert.deepEqual(sections.get('get-the-authenticated-user'), {
    route: 'GET /api/v3/user', scope: 'any token, no scope',
    text: 'Get the authenticated user GET /api/v3/user Scope needed: any token, no scope The user the token belongs to, with private fields.',
  });
  assert.equal(sections.get('delete-a-repository')?.scope, 'delete_repo', 'the scope comes from the route config');
  assert.equal(sections.get('list-email-addresses-for-the-authenticated-user')?.scope, 'user:email');
  assert.match(sections.get('create-a-repository-for-the-authenticated-user')!.scope, /^public_repo \(or more/);
  assert.equal(sections.get('get-a-user')?.scope, 'none: anonymous callers too');
  assert.equal(sections.get('get-a-user')?.route, 'GET /api/v3/users/{username}');
  assert.equal(sections.get('graphql')?.route, 'POST /api/graphql');

  const refusals = [
    { answer: await fetch(`${server.apiUrl}/users/nobody-here`, { headers: { authorization: `token ${token}` } }), anchor: 'get-a-user' },
    { answer: await fetch(`${server.apiUrl}/user/emails`, { headers: { authorization: `token ${token}` } }), anchor: 'list-email-addresses-for-the-authenticated-user' },
    { answer: await fetch(`${server.apiUrl}/repos/reader/absent`, { method: 'DELETE', headers: { authorization: `token ${deleter}` } }), anchor: 'delete-a-repository' },
  ];
  for (const { answer, anchor } of refusals) {
    assert.ok(answer.status >= 400 && answer.status < 500, `${anchor}: ${answer.status}`);
    const url = (await answer.json() as { documentation_url: string }).documentation_url;
    assert.equal(url, docsUrl(server, anchor));
    assert.ok(sections.has(new URL(url).hash.slice(1)), `${url} leads to a section of the page`);
  }
  const refused = await fetch(`${server.apiUrl}/user`, { headers: { authorization: 'token tsp_nope' } });
  assert.deepEqual(await refused.json(), { message: 'Bad credentials', documentation_url: helpUrl(server, 'stopsWorking') },
    'an error about the credential links to the token help page instead (test/http/token-help.test.ts)');
  const missing = await fetch(`${server.apiUrl}/no/such/route`, { headers: { authorization: `token ${token}` } });
  assert.equal(missing.status, 404);
  assert.deepEqual(await missing.json(), { message: 'Not Found', documentation_url: `${server.baseUrl}/docs/api` },
    'a route Tessera does not have gets the page itself');
});

test('every operation has a title and a summary in every language', () => {
  for (const locale of LOCALES) {
    const { t } = translatorFor(locale);
    for (const { anchor } of [...REST_OPERATION_DOCS, GRAPHQL_DOC]) {
      for (const field of ['title', 'summary']) {
        const key = `apidocs:operations.${anchor}.${field}`;
        assert.notEqual(t(key), `operations.${anchor}.${field}`, `${locale}: ${key}`);
      }
    }
  }
});

test('GET /docs/api in Russian: the same sections and anchors, in Russian words', async (t) => {
  const server = await startTestServer(t);
  const read = async (language: string) => (await server.app.inject({ url: '/docs/api', headers: { 'accept-language': language } })).body;
  const [english, html] = [sectionsOf(await read('en')), await read('ru-RU,ru;q=0.9')];
  assert.match(html, /<title>Справочник API · Tessera<\/title>/);
  const sections = sectionsOf(html);
  assert.deepEqual([...sections.keys()], [...english.keys()], 'an error\'s documentation_url finds its section in either language');
  assert.deepEqual([...sections.values()].map((section) => section.route), [...english.values()].map((section) => section.route));
  assert.deepEqual(sections.get('get-the-authenticated-user'), {
    route: 'GET /api/v3/user', scope: 'любой токен, без области доступа',
    text: 'Получение текущего пользователя GET /api/v3/user Область доступа: любой токен, без области доступа Пользователь, которому принадлежит токен, вместе с закрытыми полями.',
  });
  assert.equal(sections.get('delete-a-repository')?.scope, 'delete_repo', 'a scope\'s name stays as it is');
  assert.equal(sections.get('create-a-repository-for-the-authenticated-user')?.scope, 'public_repo (или шире, в зависимости от запроса)');
  assert.equal(sections.get('get-a-user')?.scope, 'не нужна: доступно и без токена');
});
