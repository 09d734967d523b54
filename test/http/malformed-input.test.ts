/**
 * Input of the wrong shape, as clients have sent it: a parameter given twice (`return_to` twice once produced two
 * Location headers), a list where one value belongs (`/verify-email?token=a&token=b` and `"scopes":[1]` were 500s),
 * names of inherited properties (`?notice=constructor` printed a function's source), bad ids in addresses, control
 * and bidirectional-override characters in notes and names, two Authorization headers. Each gets a 4xx that says
 * what was wrong, and afterwards the log holds no error and no stack trace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { type PageResponse, WebClient } from '../helpers/web-client.ts';
import { signInThroughForm } from '../helpers/web-pages.ts';
import { sendRequest } from '../helpers/http-request.ts';

const STACK_FRAME = /\bat\s+(?:\S+\s+\()?(?:file:\/\/|node:|\/)[^\s)]*:\d+/;

function assertRefusalPage(page: PageResponse, status: number, message: RegExp, what: string): void {
  assert.equal(page.status, status, `${what}: ${page.body.slice(0, 300)}`);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/, what);
  assert.match(page.body, message, what);
  assert.doesNotMatch(page.body, STACK_FRAME, `${what}: no stack trace`);
  assert.doesNotMatch(page.body, /function \w*\(|\[native code\]|must be (?:integer|string)|querystring\/|params\//, `${what}: no source or validator jargon`);
  assert.equal(page.location, null, `${what}: no redirect`);
}

async function tokenNotes(server: TestServer, userId: number): Promise<string[]> {
  return (await server.db.selectFrom('personal_access_tokens').select('note').where('user_id', '=', userId).execute()).map((row) => row.note);
}

test('malformed input gets a 4xx that says what was wrong, and no stack trace anywhere', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser();
  const browser = new WebClient();
  await signInThroughForm(browser, server.baseUrl, user.username, TEST_PASSWORD);
  const url = (path: string) => `${server.baseUrl}${path}`;

  await t.test('a parameter given twice is refused, with one answer and no Location header at all', async () => {
    for (const client of [browser, new WebClient()]) {
      const login = await client.get(url('/login?return_to=/settings/tokens&return_to=//evil.example'));
      assertRefusalPage(login, 400, /The address of this page is not valid: “return_to” is given more than once\./, 'return_to twice');
    }
    const verify = await new WebClient().get(url('/verify-email?token=a&token=b'));
    assertRefusalPage(verify, 400, /“token” is given more than once/, 'token twice');

    const anonymous = new WebClient();
    await anonymous.get(url('/login'));
    const signIn = await anonymous.submit(url('/login'), { login: user.username, password: TEST_PASSWORD, return_to: '/a' });
    assert.equal(signIn.location, '/a', 'one return_to is followed');
    const twice = await fetch(url('/login'), {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, redirect: 'manual',
      body: 'login=x&password=y&return_to=/a&return_to=/b',
    });
    assert.equal(twice.status, 400);
    assert.equal(twice.headers.get('location'), null);
    assert.match(await twice.text(), /The form was not sent the way this page sends it: “return_to” is given more than once/);
  });

  await t.test('a page takes forms only: JSON or text gets 415, never a value of a type it does not expect', async () => {
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get(url('/settings/tokens/new'))).body)![1]!;
    for (const [contentType, body] of [
      ['application/json', JSON.stringify({ _csrf: csrf, note: 'json', scopes: [1], expiration: '30' })],
      ['text/plain', 'note=json'],
    ] as const) {
      const answer = await fetch(url('/settings/tokens'), { method: 'POST', headers: { 'content-type': contentType }, body, redirect: 'manual' });
      const text = await answer.text();
      assert.equal(answer.status, 415, `${contentType}: ${text.slice(0, 200)}`);
      assert.match(text, /Unsupported media type/);
    }
    const form = new URLSearchParams({ _csrf: csrf, note: 'one', expiration: '30' });
    form.append('note', 'two');
    const twice = await fetch(url('/settings/tokens'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form, redirect: 'manual' });
    assert.equal(twice.status, 400);
    assert.match(await twice.text(), /“note” is given more than once/);
    assert.deepEqual(await tokenNotes(server, user.id), []);
  });

  await t.test('a static table answers only for its own keys', async () => {
    for (const key of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      const page = await browser.get(url(`/settings/tokens?notice=${key}`));
      assertRefusalPage(page, 400, /“notice” is not a value this page knows/, `notice=${key}`);
    }
    const sessions = await browser.get(url('/settings/sessions?notice=constructor'));
    assertRefusalPage(sessions, 400, /“notice” is not a value this page knows/, 'sessions notice=constructor');
    const log = await browser.get(url('/settings/security-log?kind=constructor'));
    assertRefusalPage(log, 400, /“kind” is not a value this page knows/, 'security log kind=constructor');
    const page = await browser.get(url('/settings/security-log?page=abc'));
    assertRefusalPage(page, 400, /“page” must be a whole number/, 'security log page=abc');
    const known = await browser.get(url('/settings/tokens?notice=deleted'));
    assert.equal(known.status, 200);
    assert.match(known.body, /data-testid="notice">Deleted personal access token\.</);
  });

  await t.test('a bad id in an address is a page that was not found, not validation jargon', async () => {
    for (const path of ['/settings/tokens/abc', '/settings/tokens/abc/regenerate', '/settings/tokens/-1', '/settings/tokens/1.5',
      '/settings/tokens/99999999999999', '/avatars/u/abc', `/${user.username}/${'r'.repeat(100)}`]) {
      assertRefusalPage(await browser.get(url(path)), 404, /There is no page at this address\./, path);
    }
    // A segment longer than the router takes (100 characters) is refused before any hook runs, so in a line of text.
    for (const path of [`/${'o'.repeat(101)}`, `/${user.username}/${'r'.repeat(201)}`]) {
      const answer = await browser.get(url(path));
      assert.equal(answer.status, 404, path);
      assert.equal(answer.body, 'There is no page at this address.\n', path);
      assert.equal(answer.headers.get('content-security-policy'), "default-src 'none'", path);
    }
    const deletion = await browser.submit(url('/settings/tokens/abc/delete'), {});
    assertRefusalPage(deletion, 404, /There is no page at this address\./, 'POST /settings/tokens/abc/delete');
  });

  await t.test('notes, names and descriptions refuse control characters and direction overrides', async () => {
    for (const [note, message] of [
      ['deploy\u202eyek', /can&#39;t contain characters that change the direction of the text/],
      ['isolated \u2066x\u2069', /change the direction of the text/],
      ['bell\u0007', /can&#39;t contain control characters or line breaks/],
      ['c1 \u009b31m', /control characters/],
    ] as const) {
      await browser.get(url('/settings/tokens/new'));
      const answer = await browser.submit(url('/settings/tokens'), { note, expiration: '30', scopes: 'repo' });
      assert.equal(answer.status, 422, JSON.stringify(note));
      assert.match(answer.body, message, JSON.stringify(note));
    }
    assert.deepEqual(await tokenNotes(server, user.id), []);

    await browser.get(url('/new'));
    const repository = await browser.submit(url('/new'), { name: 'described', description: 'fine\u202e', visibility: 'public' });
    assert.equal(repository.status, 422);
    assert.match(repository.body, /Description can&#39;t contain characters that change the direction/);

    const token = await server.createToken(user, { scopes: ['repo', 'user'] });
    const rename = await fetch(`${server.apiUrl}/user`, {
      method: 'PATCH', headers: { authorization: `token ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Eve\u202eliA' }),
    });
    assert.equal(rename.status, 422);
    const renameBody = await rename.json() as { message: string; errors: Array<{ field: string; code: string }> };
    assert.equal(renameBody.message, 'Validation Failed');
    assert.deepEqual(renameBody.errors.map((error) => [error.field, error.code]), [['name', 'custom']]);
    const created = await fetch(`${server.apiUrl}/user/repos`, {
      method: 'POST', headers: { authorization: `token ${token}` }, body: JSON.stringify({ name: 'api-made', description: 'bad\u0000' }),
    });
    assert.equal(created.status, 422);
    assert.match(JSON.stringify(await created.json()), /Description can't contain control characters/);

    const signUp = new WebClient();
    await signUp.get(url('/signup'));
    const refused = await signUp.submit(url('/signup'), { username: 'bidi-mail', email: 'x\u202e@example.test', password: 'long enough password 1' });
    assert.equal(refused.status, 422);
    assert.match(refused.body, /Enter a valid email address/);
  });

  await t.test('two Authorization headers are refused on the API, GraphQL and Git, whatever each says', async () => {
    const token = await server.createToken(user, { scopes: ['repo'] });
    const repository = await server.createRepository(user, 'two-headers', { private: true });
    const twice = ['authorization', `token ${token}`, 'authorization', `token ${token}`, 'user-agent', 'git/2.47.0'];
    const api = await sendRequest(`${server.apiUrl}/user`, { headers: twice });
    assert.equal(api.status, 401);
    assert.equal((JSON.parse(api.body) as { message: string }).message, 'Bad credentials');
    const graphql = await sendRequest(`${server.baseUrl}/api/graphql`, { method: 'POST', headers: twice, body: '{"query":"{ viewer { login } }"}' });
    assert.equal(graphql.status, 401);
    const git = await sendRequest(`${server.baseUrl}/${user.username}/${repository.name}.git/info/refs?service=git-upload-pack`, { headers: twice });
    assert.equal(git.status, 401);
    assert.match(git.body, /Send one Authorization header: this request had more than one/);
    // One of them alone is accepted: the refusal is about the repetition.
    const once = await sendRequest(`${server.apiUrl}/user`, { headers: twice.slice(2) });
    assert.equal(once.status, 200);
  });

  await t.test('deleting a repository with the wrong name says so on the page, and deletes nothing', async () => {
    const repository = await server.createRepository(user, 'keep-me', { private: false });
    await browser.get(url(`/${user.username}/keep-me`));
    const wrong = await browser.submit(url(`/${user.username}/keep-me/delete`), { confirm: 'keep-m' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.location, null);
    assert.match(wrong.body, /The name you typed does not match: type keep-me exactly to delete this repository\. Nothing was deleted\./);
    assert.match(wrong.body, /id="confirm" name="confirm" autocomplete="off" aria-invalid="true"/);
    assert.ok(await server.db.selectFrom('repositories').select('id').where('id', '=', repository.id).executeTakeFirst());
  });

  await t.test('the log has no error and no stack trace', () => {
    assert.ok(server.logs.length > 30, `${server.logs.length} log lines`);
    for (const line of server.logs) {
      const entry = JSON.parse(line) as { level: number };
      assert.ok(entry.level < 50, `an error was logged: ${line.slice(0, 500)}`);
      assert.doesNotMatch(line, /"stack"/, `a stack trace was logged: ${line.slice(0, 500)}`);
      assert.doesNotMatch(line, STACK_FRAME, `a stack frame was logged: ${line.slice(0, 500)}`);
    }
  });
});
