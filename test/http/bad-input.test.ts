/**
 * Hostile and broken input, as a client sends it: bad Authorization headers (raw bytes included), oversized and
 * malformed bodies, forms without their CSRF token, HTML in user strings. Every answer is a 4xx in the right
 * format (JSON for the API, HTML for pages), never a 500 and never a stack trace; and afterwards no secret used
 * along the way (token, password, session cookie, verification link) appears in any log line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { startTestServer, verificationLinkIn, type TestServer } from '../helpers/server.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import { docsUrl, helpUrl } from '../helpers/api-docs.ts';

const CREATE_REPOSITORY = 'create-a-repository-for-the-authenticated-user';
/** The sections of Tessera's API reference that the refused requests below belong to. */
const ANCHORS: Record<string, string> = {
  'GET /user': 'get-the-authenticated-user', 'PATCH /user': 'update-the-authenticated-user', 'GET /rate_limit': 'get-rate-limit-status-for-the-authenticated-user',
  'POST /user/repos': CREATE_REPOSITORY,
};
const ONE_MEGABYTE = 1024 * 1024;
/** A stack frame: "at fn (/path/file.ts:12:5)" or "at file:///path/file.js:3:1". */
const STACK_FRAME = /\bat\s+(?:\S+\s+\()?(?:file:\/\/|node:|\/)[^\s)]*:\d+/;

interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Every response body of the file, to check at the end that none carries a stack trace. */
const seenBodies: Array<{ what: string; body: string }> = [];

function remember(what: string, body: string): string {
  seenBodies.push({ what, body });
  return body;
}

/** One HTTP/1.1 request written byte for byte on a socket, for headers fetch would refuse to send. */
function rawRequest(server: TestServer, head: Buffer, body = Buffer.alloc(0)): Promise<RawResponse> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const headers = new Map(headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
      }));
      let rawBody = text.slice(split + 4);
      if (headers.get('transfer-encoding') === 'chunked') {
        let decoded = '';
        for (let at = 0; ;) {
          const lineEnd = rawBody.indexOf('\r\n', at);
          const size = parseInt(rawBody.slice(at, lineEnd), 16);
          if (!size) break;
          decoded += rawBody.slice(lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
        }
        rawBody = decoded;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(rawBody, 'latin1').toString('utf8') });
    });
    socket.write(Buffer.concat([head, body]));
  });
}

function apiGetWithAuthorization(server: TestServer, path: string, authorization: Buffer): Promise<RawResponse> {
  const head = Buffer.concat([
    Buffer.from(`GET /api/v3${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\nAuthorization:`),
    authorization,
    Buffer.from('\r\n\r\n'),
  ]);
  return rawRequest(server, head);
}

/** A browser of sorts: keeps cookies, does not follow redirects, and reads the CSRF token out of forms. */
class Browser {
  readonly cookies = new Map<string, string>();
  /** Every cookie value the server ever set, to look for in the logs. */
  readonly cookieValuesSeen: Array<{ name: string; value: string }> = [];

  private readonly server: TestServer;

  constructor(server: TestServer) {
    this.server = server;
  }

  async request(path: string, options: { method?: string; form?: Record<string, string | string[]>; body?: string; contentType?: string } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined = options.body;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(options.form)) {
        for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
      }
      body = params.toString();
    }
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.server.baseUrl}${path}`, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual',
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = ''] = setCookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /max-age=0\b|expires=thu, 01 jan 1970/i.test(setCookie)) this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        this.cookieValuesSeen.push({ name, value: decodeURIComponent(value) });
      }
    }
    const text = remember(`${options.method ?? 'GET/POST'} ${path}`, await response.text());
    return { status: response.status, location: response.headers.get('location'), contentType: response.headers.get('content-type'), text };
  }

  async csrfTokenOf(path: string): Promise<string> {
    const page = await this.request(path);
    assert.equal(page.status, 200, `GET ${path}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(token, `a CSRF token in the form of ${path}`);
    return token;
  }
}

function assertHtmlRefusal(page: { status: number; contentType: string | null; text: string }, status: number, what: string): void {
  assert.equal(page.status, status, `${what}: ${page.text.slice(0, 300)}`);
  assert.match(String(page.contentType), /^text\/html/, what);
  assert.match(page.text, /<html/i, what);
  assert.doesNotMatch(page.text, STACK_FRAME, `${what}: no stack trace`);
}

async function tokenCountWithNote(server: TestServer, note: string): Promise<number> {
  const rows = await server.db.selectFrom('personal_access_tokens').select('id').where('note', '=', note).execute();
  return rows.length;
}

test('bad input never gets a 500, a stack trace or a secret in the logs', async (t) => {
  const server = await startTestServer(t);
  const issuedTokens: string[] = [];
  const passwords: string[] = [];
  const otherSecrets: string[] = [];

  const browser = new Browser(server);
  const username = 'careful-user';
  const password = 'pw-Zebra-Quartz-1928-never-log-me';
  passwords.push(password);

  await t.test('signing up, verifying the email and signing in through the real pages', async () => {
    const csrf = await browser.csrfTokenOf('/signup');
    const signedUp = await browser.request('/signup', { form: { _csrf: csrf, username, email: 'careful@example.test', password } });
    assert.equal(signedUp.status, 302, signedUp.text.slice(0, 500));
    const [message] = await server.readOutbox();
    assert.ok(message);
    const link = verificationLinkIn(message);
    otherSecrets.push(new URL(link).searchParams.get('token')!);
    const verified = await browser.request(new URL(link).pathname + new URL(link).search);
    assert.equal(verified.status, 200);

    // Sign out and in again, the way a person would.
    const logoutCsrf = await browser.csrfTokenOf('/settings/tokens');
    assert.equal((await browser.request('/logout', { form: { _csrf: logoutCsrf } })).status, 302);
    const loginCsrf = await browser.csrfTokenOf('/login');
    const signedIn = await browser.request('/login', { form: { _csrf: loginCsrf, login: username, password, return_to: '/settings/tokens' } });
    assert.equal(signedIn.status, 302);
    assert.equal(signedIn.location, '/settings/tokens');
    assert.ok(browser.cookies.get('tessera_session'), 'signed in with a session cookie');
  });

  async function createTokenThroughForm(note: string) {
    const csrf = await browser.csrfTokenOf('/settings/tokens/new');
    return browser.request('/settings/tokens', { form: { _csrf: csrf, note, scopes: ['repo', 'user'], expiration: '30' } });
  }

  let apiToken = '';
  await t.test('a token created through the form is shown once', async () => {
    const created = await createTokenThroughForm('for the API');
    assert.equal(created.status, 302);
    const list = await browser.request('/settings/tokens');
    const secret = /tsp_[0-9A-Za-z]{36}/.exec(list.text)?.[0];
    assert.ok(secret, 'the new token is on the page');
    issuedTokens.push(secret);
    apiToken = secret;
    const again = await browser.request('/settings/tokens');
    assert.ok(!again.text.includes(secret), 'and only once');
  });

  await t.test('malformed Authorization headers get 401 JSON, never a 500', async () => {
    const user = await server.createUser();
    const good = await server.createToken(user, { scopes: ['repo'] });
    issuedTokens.push(good);
    const badChecksum = good.slice(0, -1) + (good.endsWith('x') ? 'y' : 'x');
    const base64 = (text: string | Buffer) => Buffer.from(text).toString('base64');
    const cases: Array<[string, Buffer]> = [
      ['empty', Buffer.from('')],
      ['only spaces', Buffer.from('    ')],
      ['a scheme alone', Buffer.from(' token')],
      ['Bearer alone', Buffer.from(' Bearer')],
      ['wrong scheme', Buffer.from(` Digest username="${user.username}", response="abc"`)],
      ['another wrong scheme', Buffer.from(` Negotiate ${good}`)],
      ['a token without a scheme', Buffer.from(` ${good}`)],
      ['three parts', Buffer.from(` token ${good} ${good}`)],
      ['10 KB token', Buffer.from(` token tsp_${'a'.repeat(10 * 1024)}`)],
      ['10 KB Bearer', Buffer.from(` Bearer ${'A'.repeat(10 * 1024)}`)],
      ['10 KB Basic', Buffer.from(` Basic ${base64(`${user.username}:${'p'.repeat(10 * 1024)}`)}`)],
      ['latin-1 bytes in a token', Buffer.concat([Buffer.from(' token tsp_'), Buffer.from([0xff, 0xfe, 0xe9]), Buffer.from('a'.repeat(33))])],
      ['UTF-8 in a token', Buffer.from(' token tsp_ééééééééééééééééééééééééééééééééééé', 'utf8')],
      ['UTF-8 in a scheme', Buffer.from(' tökén abc', 'utf8')],
      ['raw bytes in Basic', Buffer.concat([Buffer.from(' Basic '), Buffer.from([0x80, 0x81, 0xfe, 0xff])])],
      ['a token with a bad checksum', Buffer.from(` token ${badChecksum}`)],
      ['Basic with a bad checksum', Buffer.from(` Basic ${base64(`${user.username}:${badChecksum}`)}`)],
      ['Basic alone', Buffer.from(' Basic')],
      ['Basic not base64', Buffer.from(' Basic !!!not*base64!!!')],
      ['Basic without a colon', Buffer.from(` Basic ${base64('justtext')}`)],
      ['Basic with an empty password', Buffer.from(` Basic ${base64(`${user.username}:`)}`)],
      ['Basic with only a colon', Buffer.from(` Basic ${base64(':')}`)],
      ['Basic of binary noise', Buffer.from(` Basic ${base64(Buffer.from([0, 1, 2, 0xff, 0x3a, 0xfe, 0, 0x74]))}`)],
      ['Basic with bad padding', Buffer.from(` Basic ${base64(`${user.username}:${good}`)}===`)],
      ['Basic with two values', Buffer.from(` Basic ${base64('a:b')} ${base64('c:d')}`)],
    ];
    for (const path of ['/user', '/rate_limit', `/users/${user.username}`]) {
      for (const [what, authorization] of cases) {
        const response = await apiGetWithAuthorization(server, path, authorization);
        remember(`GET ${path} with ${what}`, response.body);
        assert.equal(response.status, 401, `${what} on ${path}: ${response.body}`);
        assert.match(String(response.headers.get('content-type')), /^application\/json/, what);
        const body = JSON.parse(response.body) as { message: string; documentation_url: string };
        // Binary noise decodes to a username and a password: the answer says to use a token.
        if (what === 'Basic of binary noise') {
          assert.match(body.message, /personal access token/, what);
          assert.equal(body.documentation_url, helpUrl(server, 'api'), what);
        } else {
          assert.deepEqual(body, { message: 'Bad credentials', documentation_url: helpUrl(server, 'stopsWorking') }, what);
        }
      }
    }
    // The same request with the good token works, so the refusals above are about the header.
    const accepted = await apiGetWithAuthorization(server, '/user', Buffer.from(` token ${good}`));
    assert.equal(accepted.status, 200);
  });

  await t.test('an account password sent to the API is refused and pointed at tokens', async () => {
    const response = await fetch(`${server.apiUrl}/user`, {
      headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
    });
    const body = remember('API with a password', await response.text());
    assert.equal(response.status, 401);
    assert.match((JSON.parse(body) as { message: string }).message, /personal access token/);
  });

  await t.test('a 1 MB form body is refused with an HTML page', async () => {
    const signupCsrf = await new Browser(server).csrfTokenOf('/signup');
    const anonymous = new Browser(server);
    const padding = 'x'.repeat(ONE_MEGABYTE);
    const signup = await anonymous.request('/signup', {
      form: { _csrf: signupCsrf, username: 'huge-body', email: 'huge@example.test', password: 'long enough password', padding },
    });
    assertHtmlRefusal(signup, 413, 'POST /signup with 1 MB');
    assert.match(signup.text, /too large/i);
    const users = await server.db.selectFrom('users').select('id').where('username', '=', 'huge-body').execute();
    assert.equal(users.length, 0, 'no account was created');

    const csrf = await browser.csrfTokenOf('/settings/tokens/new');
    const tokens = await browser.request('/settings/tokens', { form: { _csrf: csrf, note: 'huge', scopes: 'repo', expiration: '30', padding } });
    assertHtmlRefusal(tokens, 413, 'POST /settings/tokens with 1 MB');
    assert.equal(await tokenCountWithNote(server, 'huge'), 0, 'no token was created');
    // The session survives and the page still works.
    assert.equal((await browser.request('/settings/tokens')).status, 200);
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

  await t.test('a duplicate token note gets a form error, and no second token', async () => {
    const first = await createTokenThroughForm('deploy key');
    assert.equal(first.status, 302);
    const list = await browser.request('/settings/tokens');
    const secret = /tsp_[0-9A-Za-z]{36}/.exec(list.text)?.[0];
    assert.ok(secret);
    issuedTokens.push(secret);

    const duplicate = await createTokenThroughForm('deploy key');
    assert.equal(duplicate.status, 422);
    assert.match(String(duplicate.contentType), /^text\/html/);
    assert.match(duplicate.text, /data-testid="form-errors"[\s\S]*Note has already been taken\./);
    assert.match(duplicate.text, /value="deploy key"/, 'the form keeps what was typed');
    assert.equal(await tokenCountWithNote(server, 'deploy key'), 1);
    assert.ok(!/tsp_[0-9A-Za-z]{36}/.test(duplicate.text), 'no token on the error page');
  });

  await t.test('a POST without the CSRF token is refused (403) and nothing is created', async () => {
    const withoutToken = await browser.request('/settings/tokens', { form: { note: 'forged', scopes: 'repo', expiration: '30' } });
    assertHtmlRefusal(withoutToken, 403, 'POST /settings/tokens without _csrf');
    const wrongToken = await browser.request('/settings/tokens', { form: { _csrf: 'forged-value', note: 'forged', scopes: 'repo', expiration: '30' } });
    assertHtmlRefusal(wrongToken, 403, 'POST /settings/tokens with a forged _csrf');
    assert.equal(await tokenCountWithNote(server, 'forged'), 0);

    // Another browser's CSRF token is no good either (it belongs to another CSRF cookie).
    const otherBrowserCsrf = await new Browser(server).csrfTokenOf('/login');
    const crossed = await browser.request('/settings/tokens', { form: { _csrf: otherBrowserCsrf, note: 'forged', scopes: 'repo', expiration: '30' } });
    assertHtmlRefusal(crossed, 403, 'POST /settings/tokens with another browser\'s _csrf');
    assert.equal(await tokenCountWithNote(server, 'forged'), 0);

    const row = await server.db.selectFrom('personal_access_tokens').select('id')
      .where('token_hash', '=', hashToken(apiToken)).executeTakeFirstOrThrow();
    const deletion = await browser.request(`/settings/tokens/${row.id}/delete`, { form: {} });
    assertHtmlRefusal(deletion, 403, 'POST delete without _csrf');
    assert.equal((await fetch(`${server.apiUrl}/user`, { headers: { authorization: `token ${apiToken}` } })).status, 200, 'the token still works');

    const signup = await new Browser(server).request('/signup', { form: { username: 'csrf-less', email: 'csrf-less@example.test', password: 'long enough password' } });
    assertHtmlRefusal(signup, 403, 'POST /signup without _csrf');
    const users = await server.db.selectFrom('users').select('id').where('username', '=', 'csrf-less').execute();
    assert.equal(users.length, 0);
  });

  await t.test('user strings are HTML-escaped on every page', async () => {
    const note = '<script>alert(1)</script>';
    const created = await createTokenThroughForm(note);
    assert.equal(created.status, 302);
    const list = await browser.request('/settings/tokens');
    const secret = /tsp_[0-9A-Za-z]{36}/.exec(list.text)?.[0];
    assert.ok(secret);
    issuedTokens.push(secret);
    assert.ok(list.text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the note is shown escaped');
    assert.ok(!list.text.includes(note), 'and never as markup');

    const row = await server.db.selectFrom('personal_access_tokens').select('id').where('note', '=', note).executeTakeFirstOrThrow();
    const regenerate = await browser.request(`/settings/tokens/${row.id}/regenerate`);
    assert.equal(regenerate.status, 200);
    assert.ok(!regenerate.text.includes(note), 'the regenerate page escapes the note');

    const quoted = '"><img src=x onerror=alert(2)>';
    const invalid = await browser.request('/settings/tokens', {
      form: { _csrf: await browser.csrfTokenOf('/settings/tokens/new'), note: quoted, scopes: ['repo', '<b>bold</b>'], expiration: '30' },
    });
    assert.equal(invalid.status, 422);
    assert.ok(!invalid.text.includes(quoted), 'a re-shown note is escaped');
    assert.ok(!invalid.text.includes('<b>bold</b>'), 'an unknown scope is escaped in the error');
    assert.ok(invalid.text.includes('&lt;b&gt;bold&lt;/b&gt;'));

    const anonymous = new Browser(server);
    const badName = '<img src=x onerror=alert(3)>';
    const signup = await anonymous.request('/signup', {
      form: { _csrf: await anonymous.csrfTokenOf('/signup'), username: badName, email: '<i>x</i>@example.test', password: 'long enough password' },
    });
    assert.equal(signup.status, 422);
    assert.ok(!signup.text.includes(badName), 'a username is escaped on the sign-up form');
    assert.ok(!signup.text.includes('<i>x</i>'), 'an email is escaped on the sign-up form');
    assert.ok(signup.text.includes('&lt;img src=x onerror=alert(3)&gt;'));

    const login = await anonymous.request('/login', {
      form: { _csrf: await anonymous.csrfTokenOf('/login'), login: quoted, password: 'whatever it is', return_to: '"><script>alert(4)</script>' },
    });
    assert.equal(login.status, 401);
    assert.ok(!login.text.includes(quoted), 'the login name is escaped');
    assert.ok(!login.text.includes('<script>alert(4)</script>'));
  });

  await t.test('no response body carried a stack trace', () => {
    assert.ok(seenBodies.length > 50, `${seenBodies.length} bodies seen`);
    for (const { what, body } of seenBodies) {
      assert.doesNotMatch(body, STACK_FRAME, what);
      assert.doesNotMatch(body, /\/work\/|node_modules|\.ts:\d+/, `${what}: no file path`);
    }
  });

  await t.test('no token, password or session cookie appears in any log line', () => {
    const sessionCookies = browser.cookieValuesSeen.filter((cookie) => cookie.name === 'tessera_session').map((cookie) => cookie.value);
    assert.ok(new Set(sessionCookies).size >= 2, 'a session cookie was issued at sign-up and at sign-in');
    const otherCookies = browser.cookieValuesSeen.filter((cookie) => cookie.name !== 'tessera_session' && cookie.value.length >= 16)
      .map((cookie) => cookie.value);
    assert.ok(issuedTokens.length >= 4);
    assert.ok(server.logs.length > 100, `${server.logs.length} log lines captured`);
    const labelled = (kind: string, values: readonly string[]) => values.map((value): [string, string] => [kind, value]);
    const secrets = [
      ...labelled('token', issuedTokens),
      ...labelled('token body', issuedTokens.map((secret) => secret.slice(4, 34))),
      ...labelled('password', passwords),
      ...labelled('session cookie', sessionCookies),
      ...labelled('cookie', otherCookies),
      ...labelled('verification link', otherSecrets),
    ];
    for (const line of server.logs) {
      for (const [kind, secret] of secrets) {
        assert.ok(!line.includes(secret), `a ${kind} was logged: ${line}`);
      }
      assert.ok(!line.includes(Buffer.from(`${username}:${password}`).toString('base64')), `Basic credentials were logged: ${line}`);
    }
  });
});
