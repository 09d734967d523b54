/**
 * Hostile and broken input, as a client sends it: bad Authorization headers (raw bytes included), oversized form
 * bodies, forms without their CSRF token or with a duplicate note, HTML in user strings. Every answer is a 4xx in the
 * right format, never a 500 and never a stack trace; and afterwards no secret used along the way (token, password,
 * session cookie, verification link) appears in any log line. Bad bodies and paths sent to the API: bad-input-api.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, verificationLinkIn } from '../helpers/server.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import { helpUrl } from '../helpers/api-docs.ts';
import {
  apiGetWithAuthorization, assertHtmlRefusal, assertNoStackTraceSeen, Browser, ONE_MEGABYTE, remember, tokenCountWithNote,
} from './bad-input-fixture.ts';

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

  await t.test('no response body carried a stack trace', () => assertNoStackTraceSeen(50));

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
