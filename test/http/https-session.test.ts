/** Over HTTPS the session cookie is Secure, so a browser never sends it over plain HTTP; over HTTP it cannot be. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { makeTestCertificates } from '../helpers/tls-certificates.ts';

/** Signs in through the form as a browser would; the Set-Cookie line of the session. */
async function sessionCookie(server: TestServer, username: string): Promise<string> {
  const page = await server.app.inject({ url: '/login' });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const cookies = page.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  const signIn = await server.app.inject({
    method: 'POST', url: '/login', headers: { cookie: cookies, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrf, login: username, password: TEST_PASSWORD }).toString(),
  });
  assert.equal(signIn.statusCode, 302, signIn.body);
  const line = [signIn.headers['set-cookie']].flat().find((value) => value?.startsWith('tessera_session='));
  assert.ok(line, 'a session cookie is set');
  return line;
}

test('the session cookie is Secure when the server speaks HTTPS, and only then', async (t) => {
  const certificates = await makeTestCertificates(t, ['127.0.0.1']);
  const https = await startTestServer(t, { tls: certificates });
  assert.match(https.baseUrl, /^https:\/\//);
  assert.match(await sessionCookie(https, (await https.createUser()).username), /;\s*Secure/i);
  const http = await startTestServer(t);
  assert.doesNotMatch(await sessionCookie(http, (await http.createUser()).username), /;\s*Secure/i);
});
