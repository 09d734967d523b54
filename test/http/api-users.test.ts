/** The REST API's user endpoints through Octokit against a real server: GET /user, GET /users/{username}, GET /user/emails, PATCH /user. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { docsUrl } from '../helpers/api-docs.ts';
import { header, octokitFailure, octokitFor, octokitWithHeader } from './api-fixture.ts';

test('GET /user returns the token owner in GitHub\'s shape, with the scope headers', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'octocat' });
  const token = await server.createToken(user, { scopes: ['user', 'repo'] });

  const { data, status, headers } = await octokitFor(server, token).rest.users.getAuthenticated();
  assert.equal(status, 200);
  assert.equal(data.login, 'octocat');
  assert.equal(data.id, user.id);
  assert.equal(data.type, 'User');
  assert.equal(data.url, `${server.apiUrl}/users/octocat`);
  assert.equal((data as { email?: string | null }).email, 'octocat@example.test');
  assert.match(String(data.created_at), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  // Scopes in tree order, comma-separated, as GitHub writes them.
  assert.equal(header(headers, 'x-oauth-scopes'), 'repo, user');
  assert.equal(header(headers, 'x-accepted-oauth-scopes'), '');
  assert.equal(header(headers, 'x-ratelimit-limit'), '5000');
  assert.match(String(headers['content-type']), /^application\/json/);
});

test('GET /users/{username} works with and without a token; an unknown user is a JSON 404', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'mona' });
  const token = await server.createToken(user, { scopes: [] });

  const anonymous = await octokitWithHeader(server).rest.users.getByUsername({ username: 'mona' });
  assert.equal(anonymous.data.login, 'mona');
  assert.equal(anonymous.data.id, user.id);
  assert.equal(anonymous.data.email, null, 'the public profile does not show the email');
  assert.equal(header(anonymous.headers, 'x-oauth-scopes'), undefined);
  assert.equal(header(anonymous.headers, 'x-ratelimit-limit'), '60');

  const authenticated = await octokitFor(server, token).rest.users.getByUsername({ username: 'MONA' });
  assert.equal(authenticated.data.login, 'mona', 'usernames are looked up regardless of case');
  assert.equal(header(authenticated.headers, 'x-oauth-scopes'), '');
  assert.equal(header(authenticated.headers, 'x-ratelimit-limit'), '5000');

  const missing = await octokitFailure(octokitFor(server, token).rest.users.getByUsername({ username: 'nobody-here' }), 404);
  assert.deepEqual(missing.data, { message: 'Not Found', documentation_url: docsUrl(server, 'get-a-user') });
});

test('GET /user/emails needs `user` or `user:email`', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'mailer', email: 'Mailer@Example.test' });

  for (const scopes of [['user'], ['user:email'], ['repo', 'user:email']]) {
    const token = await server.createToken(user, { scopes });
    const { data, headers } = await octokitFor(server, token).rest.users.listEmailsForAuthenticatedUser();
    assert.deepEqual(data, [{ email: 'Mailer@Example.test', primary: true, verified: true, visibility: 'private' }], scopes.join());
    assert.equal(header(headers, 'x-accepted-oauth-scopes'), 'user:email, user');
  }

  for (const scopes of [[], ['read:user'], ['repo']]) {
    const token = await server.createToken(user, { scopes });
    const failure = await octokitFailure(octokitFor(server, token).rest.users.listEmailsForAuthenticatedUser(), 404);
    assert.equal(header(failure.headers, 'x-accepted-oauth-scopes'), 'user:email, user', scopes.join());
    assert.equal(header(failure.headers, 'x-oauth-scopes'), scopes.join(', '));
    assert.equal((failure.data as { message: string }).message, 'Not Found');
  }
});

test('PATCH /user needs `user`; without it nothing changes', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'renamer' });
  const readOnly = await server.createToken(user, { scopes: ['read:user', 'user:email', 'repo'] });
  const writer = await server.createToken(user, { scopes: ['user'] });

  const refused = await octokitFailure(octokitFor(server, readOnly).rest.users.updateAuthenticated({ name: 'Sneaky' }), 404);
  assert.equal(header(refused.headers, 'x-accepted-oauth-scopes'), 'user');
  const unchanged = await octokitFor(server, readOnly).rest.users.getAuthenticated();
  assert.equal(unchanged.data.name, null);

  const { data, status } = await octokitFor(server, writer).rest.users.updateAuthenticated({ name: 'Ren Amer' });
  assert.equal(status, 200);
  assert.equal(data.name, 'Ren Amer');
  assert.equal(data.login, 'renamer');
  const after = await octokitWithHeader(server).rest.users.getByUsername({ username: 'renamer' });
  assert.equal(after.data.name, 'Ren Amer');
});
