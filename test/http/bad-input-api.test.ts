/** Bad input to the REST API from a signed-in user: a password for a token, 1 MB and broken JSON bodies, odd paths; never a 500 nor a leak. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { docsUrl } from '../helpers/api-docs.ts';
import { assertNoStackTraceSeen, Browser, ONE_MEGABYTE, remember, STACK_FRAME } from './bad-input-fixture.ts';

const CREATE_REPOSITORY = 'create-a-repository-for-the-authenticated-user';
/** The sections of Tessera's API reference that the refused requests below belong to. */
const ANCHORS: Record<string, string> = {
  'PATCH /user': 'update-the-authenticated-user',
  'POST /user/repos': CREATE_REPOSITORY,
};

// One scenario, as bad-input.test.ts's: each step below sends one kind of bad input to the API, and the last ones check
// that no answer carried a stack trace and no secret was logged.
test('bad input to the REST API never gets a 500, a stack trace or a secret in the logs', async (t) => {
  const server = await startTestServer(t);
  const browser = new Browser(server);
  const username = 'careful-user';
  const password = 'pw-Zebra-Quartz-1928-never-log-me';
  let apiToken = '';

  await t.test('a signed-in user makes a token through the form', async () => {
    await server.createUser({ username, email: 'careful@example.test', password });
    const loginCsrf = await browser.csrfTokenOf('/login');
    const signedIn = await browser.request('/login', { form: { _csrf: loginCsrf, login: username, password, return_to: '/settings/tokens' } });
    assert.equal(signedIn.status, 302, signedIn.text.slice(0, 300));
    const csrf = await browser.csrfTokenOf('/settings/tokens/new');
    const created = await browser.request('/settings/tokens', { form: { _csrf: csrf, note: 'for the API', scopes: ['repo', 'user'], expiration: '30' } });
    assert.equal(created.status, 302);
    apiToken = /tsp_[0-9A-Za-z]{36}/.exec((await browser.request('/settings/tokens')).text)?.[0] ?? '';
    assert.ok(apiToken, 'the new token is on the page');
  });

  await t.test('an account password sent to the API is refused and pointed at tokens', async () => {
    const response = await fetch(`${server.apiUrl}/user`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
    const body = remember('API with a password', await response.text());
    assert.equal(response.status, 401);
    assert.match((JSON.parse(body) as { message: string }).message, /personal access token/);
  });

  await t.test('a 1 MB JSON body to the API is refused with JSON', async () => {
    const me = await server.db.selectFrom('users').select('id').where('username', '=', username).executeTakeFirstOrThrow();
    for (const [method, path] of [['POST', '/user/repos'], ['PATCH', '/user']] as const) {
      const response = await fetch(`${server.apiUrl}${path}`, {
        method,
        headers: { authorization: `token ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'huge-repo', description: 'd'.repeat(ONE_MEGABYTE) }),
      });
      const body = remember(`${method} ${path} with 1 MB`, await response.text());
      assert.equal(response.status, 413, `${method} ${path}: ${body.slice(0, 200)}`);
      assert.match(String(response.headers.get('content-type')), /^application\/json/);
      assert.deepEqual(JSON.parse(body), { message: 'Request body is too large.', documentation_url: docsUrl(server, ANCHORS[`${method} ${path}`]) });
    }
    const repositories = await server.db.selectFrom('repositories').select('id').where('owner_id', '=', me.id).execute();
    assert.equal(repositories.length, 0);
  });

  await t.test('invalid JSON gets 400 "Problems parsing JSON"; other bad bodies a 4xx in JSON', async () => {
    const send = async (method: string, path: string, body: string, contentType = 'application/json') => {
      const response = await fetch(`${server.apiUrl}${path}`, {
        method, headers: { authorization: `Bearer ${apiToken}`, 'content-type': contentType }, body,
      });
      const text = remember(`${method} ${path} with ${JSON.stringify(body.slice(0, 40))}`, await response.text());
      assert.match(String(response.headers.get('content-type')), /^application\/json/, text);
      return { status: response.status, body: JSON.parse(text) as { message: string; documentation_url: string } };
    };
    for (const broken of ['{"name": "x"', '{name: "x"}', 'not json at all', '{"name": "x"}}', '\u0000', '{"a":' + '['.repeat(5000)]) {
      const answer = await send('POST', '/user/repos', broken);
      assert.equal(answer.status, 400, broken.slice(0, 20));
      assert.deepEqual(answer.body, { message: 'Problems parsing JSON', documentation_url: docsUrl(server, CREATE_REPOSITORY) });
    }
    const empty = await send('PATCH', '/user', '');
    assert.equal(empty.status, 400);
    assert.equal(empty.body.message, 'Problems parsing JSON');

    for (const [what, body] of [['an array', '[]'], ['a string', '"x"'], ['null', 'null'], ['no name', '{}'], ['a long name', JSON.stringify({ name: 'n'.repeat(5000) })]]) {
      const answer = await send('POST', '/user/repos', body!);
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: ${answer.status}`);
      assert.equal(answer.body.documentation_url, docsUrl(server, CREATE_REPOSITORY));
    }
    // GitHub reads every body as JSON whatever its content type: XML is a JSON parse error, not a 415.
    const wrongType = await send('POST', '/user/repos', '<name>x</name>', 'application/xml');
    assert.equal(wrongType.status, 400);
    assert.equal(wrongType.body.message, 'Problems parsing JSON');
  });

  await t.test('odd paths and parameters get a 4xx, never a 500', async () => {
    const apiPaths = ['/users/%ff%fe', `/users/${'u'.repeat(500)}`, `/repos/${'o'.repeat(500)}/r`, '/repos/a/%00', '/repos/..%2f..%2fetc/passwd', '/nonexistent'];
    for (const path of apiPaths) {
      const response = await fetch(`${server.apiUrl}${path}`, { headers: { authorization: `token ${apiToken}` } });
      const text = remember(`GET ${path}`, await response.text());
      assert.ok(response.status >= 400 && response.status < 500, `${path}: ${response.status} ${text}`);
      assert.match(String(response.headers.get('content-type')), /^application\/json/, path);
    }
    for (const path of ['/settings/tokens/abc/regenerate', '/settings/tokens/99999999999999/regenerate', '/settings/tokens/-1/regenerate', '/%E0%A4%A', '/login?return_to=%ff']) {
      const page = await browser.request(path);
      assert.ok(page.status < 500, `${path}: ${page.status}`);
      assert.doesNotMatch(page.text, STACK_FRAME, path);
    }
  });

  await t.test('no response body carried a stack trace', () => assertNoStackTraceSeen(20));

  await t.test('no token, password or cookie appears in any log line', () => {
    const cookies = browser.cookieValuesSeen.filter((cookie) => cookie.value.length >= 16).map((cookie) => cookie.value);
    const secrets: Array<[string, string]> = [
      ['token', apiToken], ['token body', apiToken.slice(4, 34)], ['password', password],
      ...cookies.map((value): [string, string] => ['cookie', value]),
      ['Basic credentials', Buffer.from(`${username}:${password}`).toString('base64')],
    ];
    assert.ok(server.logs.length > 20, `${server.logs.length} log lines captured`);
    for (const line of server.logs) {
      for (const [kind, secret] of secrets) assert.ok(!line.includes(secret), `a ${kind} was logged: ${line}`);
    }
  });
});
