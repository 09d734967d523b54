/** How the REST API takes a token: three ways of sending it, 401 for one that does not work or a password, and last-use tracking. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock, startTestServer, TEST_PASSWORD } from '../helpers/server.ts';
import { deletePersonalAccessToken, regeneratePersonalAccessToken } from '../../src/domain/tokens.ts';
import { helpUrl } from '../helpers/api-docs.ts';
import {
  badCredentials, basic, credentialStyles, header, octokitFailure, octokitFor, octokitWithHeader, tokenRow, unissuedToken, withBadChecksum,
} from './api-fixture.ts';

test('a token works the same sent as "token", "Bearer" or Basic, through Octokit and through plain fetch', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'hubot' });
  const token = await server.createToken(user, { scopes: ['read:user'] });

  const bodies: string[] = [];
  for (const [style, authorization] of credentialStyles('hubot', token)) {
    const { data, headers } = await octokitWithHeader(server, authorization).rest.users.getAuthenticated();
    assert.equal(data.login, 'hubot', `Octokit with ${style}`);
    assert.equal(header(headers, 'x-oauth-scopes'), 'read:user', `Octokit with ${style}`);

    const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization } });
    assert.equal(response.status, 200, `fetch with ${style}`);
    assert.equal(response.headers.get('x-oauth-scopes'), 'read:user');
    const body = await response.json() as { login: string; updated_at: string };
    assert.equal(body.login, 'hubot');
    bodies.push(JSON.stringify(body));
  }
  assert.equal(new Set(bodies).size, 1, 'the same body whichever way the token is sent');

  // Schemes are case-insensitive, and Basic accepts any username with a token as the password.
  for (const authorization of [`TOKEN ${token}`, `bearer ${token}`, basic('x-access-token', token), basic('someone-else', token)]) {
    const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization } });
    assert.equal(response.status, 200, authorization.split(' ')[0]);
    assert.equal((await response.json() as { login: string }).login, 'hubot');
  }
});

test('unknown, malformed, expired, deleted and replaced tokens all get 401 Bad credentials', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  const user = await server.createUser({ username: 'badcreds' });
  const live = await server.createToken(user, { scopes: ['repo'] });
  const expiring = await server.createToken(user, { scopes: ['repo'], expiresAt: new Date(clock.now().getTime() + 24 * 3600 * 1000) });
  const toDelete = await server.createToken(user, { scopes: ['repo'] });
  const toRegenerate = await server.createToken(user, { scopes: ['repo'] });

  // The expiring token works until it expires.
  const beforeExpiry = await octokitFor(server, expiring).rest.users.getAuthenticated();
  assert.equal(beforeExpiry.data.login, 'badcreds');
  assert.match(String(header(beforeExpiry.headers, 'github-authentication-token-expiration')), /^2026-11-26 10:00:00 UTC$/);

  assert.ok(await deletePersonalAccessToken(server.deps, user, (await tokenRow(server, toDelete)).id));
  const regenerated = await regeneratePersonalAccessToken(server.deps, user, (await tokenRow(server, toRegenerate)).id, null);
  assert.ok(regenerated.ok);
  clock.advance(2 * 24 * 3600 * 1000);

  const rejected: Array<[string, string]> = [
    ['unknown', unissuedToken()],
    ['bad checksum', withBadChecksum(live)],
    ['truncated', live.slice(0, -1)],
    ['not a token at all', 'tsp_hello'],
    ['expired', expiring],
    ['deleted', toDelete],
    ['replaced by regeneration', toRegenerate],
  ];
  for (const [what, secret] of rejected) {
    for (const [style, authorization] of credentialStyles('badcreds', secret)) {
      const failure = await octokitFailure(octokitWithHeader(server, authorization).rest.users.getAuthenticated(), 401);
      assert.deepEqual(failure.data, badCredentials(server), `${what} via ${style}`);
      assert.equal(header(failure.headers, 'x-oauth-scopes'), undefined, `${what} via ${style}: no scopes revealed`);
      const response = await fetch(`${server.apiUrl}/users/badcreds`, { headers: { authorization } });
      assert.equal(response.status, 401, `${what} via ${style}: a bad token is refused even where none is needed`);
      assert.deepEqual(await response.json(), badCredentials(server));
    }
  }
  for (const authorization of ['token', 'Bearer', 'token a b', 'Digest abc', 'Basic !!!!', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
    const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization } });
    assert.equal(response.status, 401, authorization);
    assert.deepEqual(await response.json(), badCredentials(server), authorization);
  }

  // The live token and the regenerated secret still work.
  assert.equal((await octokitFor(server, live).rest.users.getAuthenticated()).data.login, 'badcreds');
  assert.equal((await octokitFor(server, regenerated.secret).rest.users.getAuthenticated()).data.login, 'badcreds');
});

test('an account password in Basic auth gets a 401 that says to use a personal access token', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'passworder' });

  for (const password of [TEST_PASSWORD, 'a wrong password']) {
    const failure = await octokitFailure(octokitWithHeader(server, basic(user.username, password)).rest.users.getAuthenticated(), 401);
    const body = failure.data as { message: string; documentation_url: string };
    assert.match(body.message, /personal access token/);
    assert.ok(body.message.includes(`${server.baseUrl}/settings/tokens`), body.message);
    assert.equal(body.documentation_url, helpUrl(server, 'api'));
    const plain = await fetch(`${server.apiUrl}/user`, { headers: { authorization: basic(user.username, password) } });
    assert.equal(plain.status, 401);
    assert.deepEqual(await plain.json(), body, 'a right and a wrong password get the same answer');
  }
});

test('last_used_at is recorded, and calls close together cost one write', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: [] });
  const octokit = octokitFor(server, token);
  const start = clock.now();

  assert.equal((await tokenRow(server, token)).last_used_at, null, 'never used yet');

  // Count the writes the server makes to last_used_at.
  const writes: string[] = [];
  const recorder = server.deps.lastUsed;
  const original = recorder.record.bind(recorder);
  server.deps.lastUsed = {
    async record(db, row, now) {
      const before = (await tokenRow(server, token)).last_used_at;
      await original(db, row, now);
      const after = (await tokenRow(server, token)).last_used_at;
      if (after !== before && after !== null) writes.push(after);
    },
  };

  await octokit.rest.users.getAuthenticated();
  assert.equal((await tokenRow(server, token)).last_used_at, start.toISOString());
  clock.advance(10_000);
  await octokit.rest.users.getAuthenticated();
  assert.equal((await tokenRow(server, token)).last_used_at, start.toISOString(), 'a second call soon after is not written');
  assert.deepEqual(writes, [start.toISOString()], 'two calls in a row, one write');

  clock.advance(60_000);
  await octokit.rest.rateLimit.get();
  const later = clock.now().toISOString();
  assert.equal((await tokenRow(server, token)).last_used_at, later, 'a call a minute later is recorded');
  assert.deepEqual(writes, [start.toISOString(), later]);

  // A refused bad token records nothing.
  await fetch(`${server.apiUrl}/user`, { headers: { authorization: `token ${withBadChecksum(token)}` } });
  assert.equal(writes.length, 2);
});
