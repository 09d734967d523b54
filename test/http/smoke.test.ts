import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';

test('smoke: token works for GET /user', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: ['repo', 'user'] });
  const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization: `token ${token}` } });
  assert.equal(response.status, 200);
  assert.equal((await response.json()).login, user.username);
  assert.equal(response.headers.get('x-oauth-scopes'), 'repo, user');
  const unverified = await server.createUser({ verified: false });
  const outbox = await server.readOutbox();
  assert.equal(outbox.length, 1);
  assert.match(outbox[0]!.text, /verify-email\?token=/);
  assert.ok(unverified);
});
