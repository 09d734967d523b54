/** Sign-in and sign-up attempts are limited per client address: each is a password guess and an Argon2 hash. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock, startTestServer, TEST_PASSWORD } from '../helpers/server.ts';

/** A browser-like client: the sign-in form's CSRF token and cookie, then form posts. */
async function signInForm(baseUrl: string) {
  const page = await fetch(`${baseUrl}/login`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  assert.ok(csrf, 'the sign-in form carries a CSRF token');
  return (path: string, fields: Record<string, string>) => fetch(`${baseUrl}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, ...fields }),
  });
}

test('after the limit, sign-in and sign-up are refused with a page saying when to try again', async (t) => {
  const clock = fakeClock(new Date('2026-11-25T10:00:00.000Z'));
  const server = await startTestServer(t, { clock, rateLimits: { signInAttemptsPerHour: 3 } });
  await server.createUser({ username: 'frank' });
  const post = await signInForm(server.baseUrl);

  for (let attempt = 1; attempt <= 2; attempt++) {
    assert.equal((await post('/login', { login: 'frank', password: 'wrong password' })).status, 401);
  }
  assert.equal((await post('/signup', { username: 'x', email: 'bad', password: 'short' })).status, 422);
  for (const [path, fields] of [['/login', { login: 'frank', password: TEST_PASSWORD }], ['/signup', { username: 'gina', email: 'gina@example.test', password: TEST_PASSWORD }]] as const) {
    const refused = await post(path, fields);
    assert.equal(refused.status, 429, path);
    assert.equal(refused.headers.get('retry-after'), '3600');
    assert.match(await refused.text(), /Too many sign-in and sign-up attempts from your address\. Try again after 11:00 UTC\./);
  }
  assert.equal(await server.db.selectFrom('users').select('id').where('username_key', '=', 'gina').executeTakeFirst(), undefined);

  clock.advance(60 * 60 * 1000);
  const signedIn = await post('/login', { login: 'frank', password: TEST_PASSWORD });
  assert.equal(signedIn.status, 302);
  assert.equal(signedIn.headers.get('location'), '/settings/tokens');
});
