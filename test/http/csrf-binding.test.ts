/**
 * A form's CSRF token is good only with the session it was made for: someone who plants their own CSRF cookie and
 * token in another person's browser (cookie tossing from a sibling host, or an attacker on plain HTTP) still cannot
 * submit a form in that person's session.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';

const CSRF_COOKIE = 'tessera_csrf';
const SESSION_COOKIE = 'tessera_session';
const csrfFieldOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

interface Browser {
  cookies: Map<string, string>;
  /** The CSRF field of the token form, as rendered for this browser. */
  formToken: string;
  /** The CSRF field of the sign-in form it saw before signing in. */
  signedOutToken: string;
}

async function signIn(server: TestServer, username: string): Promise<Browser> {
  const cookies = new Map<string, string>();
  const keep = (answer: { cookies: Array<{ name: string; value: string }> }) => {
    for (const cookie of answer.cookies) cookies.set(cookie.name, cookie.value);
  };
  const loginPage = await server.app.inject({ url: '/login' });
  keep(loginPage);
  const signedOutToken = csrfFieldOf(loginPage.body);
  const signedIn = await server.app.inject({
    method: 'POST', url: '/login', headers: { cookie: header(cookies), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: signedOutToken, login: username, password: TEST_PASSWORD }).toString(),
  });
  assert.equal(signedIn.statusCode, 302, signedIn.body);
  keep(signedIn);
  const form = await server.app.inject({ url: '/settings/tokens/new', headers: { cookie: header(cookies) } });
  assert.equal(form.statusCode, 200);
  return { cookies, formToken: csrfFieldOf(form.body), signedOutToken };
}

function header(cookies: Map<string, string>): string {
  return [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function createToken(server: TestServer, cookies: { session: string; csrf: string }, token: string, note: string) {
  return server.app.inject({
    method: 'POST', url: '/settings/tokens',
    headers: { cookie: `${SESSION_COOKIE}=${cookies.session}; ${CSRF_COOKIE}=${cookies.csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: token, note, scopes: 'repo', expiration: '30' }).toString(),
  });
}

test('a CSRF cookie and token from another session are refused; the session\'s own are accepted', async (t) => {
  const server = await startTestServer(t);
  const alice = await server.createUser();
  const mallory = await server.createUser();
  const aliceBrowser = await signIn(server, alice.username);
  const malloryBrowser = await signIn(server, mallory.username);
  const aliceSession = aliceBrowser.cookies.get(SESSION_COOKIE)!;
  const aliceCsrf = aliceBrowser.cookies.get(CSRF_COOKIE)!;
  const malloryCsrf = malloryBrowser.cookies.get(CSRF_COOKIE)!;
  assert.ok(aliceSession && aliceCsrf && malloryCsrf);
  const aliceTokens = async () => (await server.db.selectFrom('personal_access_tokens').select('note').where('user_id', '=', alice.id).execute())
    .map((row) => row.note);

  const attempts: Array<[string, { session: string; csrf: string }, string]> = [
    ['Mallory\'s CSRF cookie and token, planted beside Alice\'s session', { session: aliceSession, csrf: malloryCsrf }, malloryBrowser.formToken],
    ['Mallory\'s token with Alice\'s own CSRF cookie', { session: aliceSession, csrf: aliceCsrf }, malloryBrowser.formToken],
    ['Alice\'s token with Mallory\'s CSRF cookie', { session: aliceSession, csrf: malloryCsrf }, aliceBrowser.formToken],
    ['a token from Alice\'s sign-in page, made before her session existed', { session: aliceSession, csrf: aliceCsrf }, aliceBrowser.signedOutToken],
  ];
  for (const [what, cookies, token] of attempts) {
    const answer = await createToken(server, cookies, token, `forged: ${what}`);
    assert.equal(answer.statusCode, 403, what);
    assert.match(answer.body, /The form was out of date or not sent by this site/, what);
  }
  assert.deepEqual(await aliceTokens(), [], 'no forged token was created');

  const own = await createToken(server, { session: aliceSession, csrf: aliceCsrf }, aliceBrowser.formToken, 'made by Alice');
  assert.equal(own.statusCode, 302, own.body);
  assert.deepEqual(await aliceTokens(), ['made by Alice']);

  // Signed in again, the same browser (same CSRF cookie) has a new session: a form rendered for the old one no
  // longer works.
  const again = await signIn(server, alice.username);
  const stale = await createToken(server, { session: again.cookies.get(SESSION_COOKIE)!, csrf: aliceCsrf }, aliceBrowser.formToken, 'from a stale form');
  assert.equal(stale.statusCode, 403);
  assert.deepEqual(await aliceTokens(), ['made by Alice']);
});
