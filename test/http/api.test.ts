/**
 * The REST API as a client sees it: Octokit (and plain fetch) against a real server on 127.0.0.1, every endpoint,
 * every way of presenting a token, the scope and rate-limit headers, GitHub's error shapes, and last-used tracking.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { fakeClock, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { createOwnRepository } from '../../src/domain/repositories.ts';
import { deletePersonalAccessToken, regeneratePersonalAccessToken } from '../../src/domain/tokens.ts';
import { hashToken, TOKEN_BODY_LENGTH, TOKEN_PREFIX, tokenChecksum } from '../../src/domain/token-format.ts';
import type { UserRow } from '../../src/store/database.ts';
import { docsUrl } from '../helpers/api-docs.ts';

/** GitHub's answer to a refused credential; the documentation URL is the operation's section of Tessera's reference. */
function badCredentials(server: TestServer, anchor: string) {
  return { message: 'Bad credentials', documentation_url: docsUrl(server, anchor) };
}

type Headers = Record<string, string | number | undefined>;

interface OctokitFailure {
  status: number;
  response?: { data: unknown; headers: Headers };
}

/** Octokit logs every failed request; the tests assert on them instead. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Octokit sending exactly this Authorization header (or none). */
function octokitWithHeader(server: TestServer, authorization?: string): Octokit {
  const octokit = new Octokit({ baseUrl: server.apiUrl, log: quiet });
  if (authorization !== undefined) {
    octokit.hook.before('request', (options) => {
      options.headers.authorization = authorization;
    });
  }
  return octokit;
}

/** Octokit the way its README says: `auth: token` (sent as `Authorization: token T`). */
function octokitFor(server: TestServer, token: string): Octokit {
  return new Octokit({ baseUrl: server.apiUrl, auth: token, log: quiet });
}

function basic(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The three accepted ways of presenting a token, as Authorization header values. */
function credentialStyles(username: string, token: string): Array<[string, string]> {
  return [['token', `token ${token}`], ['Bearer', `Bearer ${token}`], ['Basic', basic(username, token)]];
}

async function octokitFailure(promise: Promise<unknown>, status: number): Promise<{ data: unknown; headers: Headers }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as OctokitFailure;
    assert.equal(failure.status, status, `expected HTTP ${status}, got ${failure.status}: ${JSON.stringify(failure.response?.data)}`);
    assert.ok(failure.response, 'the error carries the response');
    return failure.response;
  }
  assert.fail(`expected HTTP ${status}, but the request succeeded`);
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}

/** A well-formed token (right prefix, length and checksum) that was never issued. */
function unissuedToken(): string {
  const body = 'Z'.repeat(TOKEN_BODY_LENGTH - 4) + 'q9Xa';
  return TOKEN_PREFIX + body + tokenChecksum(body);
}

/** The same token with its last checksum character changed. */
function withBadChecksum(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

async function tokenRow(server: TestServer, token: string) {
  return server.db.selectFrom('personal_access_tokens').selectAll()
    .where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
}

async function repositoryExists(server: TestServer, owner: UserRow, name: string): Promise<boolean> {
  const row = await server.db.selectFrom('repositories').select('id')
    .where('owner_id', '=', owner.id).where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

async function makeRepository(server: TestServer, owner: UserRow, name: string, isPrivate: boolean): Promise<void> {
  const result = await createOwnRepository(server.deps, owner, { name, private: isPrivate });
  assert.ok(result.ok, `fixture repository ${name}`);
}

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

test('GET /user/repos lists the owner\'s repositories; private ones only with `repo`', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'lister' });
  const other = await server.createUser({ username: 'stranger' });
  await makeRepository(server, user, 'open-one', false);
  await makeRepository(server, user, 'secret-one', true);
  await makeRepository(server, other, 'not-mine', false);

  const full = await octokitFor(server, await server.createToken(user, { scopes: ['repo'] })).rest.repos.listForAuthenticatedUser();
  assert.deepEqual(full.data.map((repository) => repository.full_name).sort(), ['lister/open-one', 'lister/secret-one']);
  const secret = full.data.find((repository) => repository.name === 'secret-one');
  assert.equal(secret?.private, true);
  assert.equal(secret?.visibility, 'private');
  assert.equal(secret?.owner.login, 'lister');
  assert.equal(secret?.permissions?.admin, true);

  const publicOnly = await octokitFor(server, await server.createToken(user, { scopes: ['public_repo'] })).rest.repos.listForAuthenticatedUser();
  assert.deepEqual(publicOnly.data.map((repository) => repository.full_name), ['lister/open-one']);

  const anonymous = await octokitFailure(octokitWithHeader(server).rest.repos.listForAuthenticatedUser(), 401);
  assert.deepEqual(anonymous.data, { message: 'Requires authentication', documentation_url: docsUrl(server, 'list-repositories-for-the-authenticated-user') });
});

test('POST /user/repos needs `repo`, or `public_repo` for a public repository', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'creator' });
  const full = octokitFor(server, await server.createToken(user, { scopes: ['repo'] }));
  const publicOnly = octokitFor(server, await server.createToken(user, { scopes: ['public_repo'] }));
  const none = octokitFor(server, await server.createToken(user, { scopes: ['user'] }));

  const created = await full.rest.repos.createForAuthenticatedUser({ name: 'private-made', private: true, description: 'd' });
  assert.equal(created.status, 201);
  assert.equal(created.data.full_name, 'creator/private-made');
  assert.equal(created.data.private, true);
  assert.equal(created.data.description, 'd');
  assert.equal(header(created.headers, 'x-accepted-oauth-scopes'), 'repo');

  const publicMade = await publicOnly.rest.repos.createForAuthenticatedUser({ name: 'public-made' });
  assert.equal(publicMade.status, 201);
  assert.equal(publicMade.data.private, false);
  assert.equal(header(publicMade.headers, 'x-accepted-oauth-scopes'), 'public_repo, repo');

  const privateRefused = await octokitFailure(publicOnly.rest.repos.createForAuthenticatedUser({ name: 'nope-private', private: true }), 404);
  assert.equal(header(privateRefused.headers, 'x-accepted-oauth-scopes'), 'repo');
  const publicRefused = await octokitFailure(none.rest.repos.createForAuthenticatedUser({ name: 'nope-public' }), 404);
  assert.equal(header(publicRefused.headers, 'x-accepted-oauth-scopes'), 'public_repo, repo');
  assert.equal(header(publicRefused.headers, 'x-oauth-scopes'), 'user');
  assert.equal(await repositoryExists(server, user, 'nope-private'), false);
  assert.equal(await repositoryExists(server, user, 'nope-public'), false);

  const duplicate = await octokitFailure(full.rest.repos.createForAuthenticatedUser({ name: 'private-made' }), 422);
  assert.equal((duplicate.data as { message: string }).message, 'Repository creation failed.');
  const invalid = await octokitFailure(full.rest.repos.createForAuthenticatedUser({ name: 'bad name!' }), 422);
  assert.equal((invalid.data as { errors: Array<{ field: string }> }).errors[0]?.field, 'name');
});

test('GET /repos/{owner}/{repo}: public to anyone; private only to its owner with `repo`, 404 otherwise', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'keeper' });
  const other = await server.createUser({ username: 'peeker' });
  await makeRepository(server, owner, 'shown', false);
  await makeRepository(server, owner, 'hidden', true);
  const ownerFull = octokitFor(server, await server.createToken(owner, { scopes: ['repo'] }));
  const ownerPublicOnly = octokitFor(server, await server.createToken(owner, { scopes: ['public_repo', 'user'] }));
  const otherFull = octokitFor(server, await server.createToken(other, { scopes: ['repo', 'delete_repo'] }));
  const anonymous = octokitWithHeader(server);

  for (const client of [ownerFull, ownerPublicOnly, otherFull, anonymous]) {
    const { data } = await client.rest.repos.get({ owner: 'keeper', repo: 'shown' });
    assert.equal(data.full_name, 'keeper/shown');
    assert.equal(data.private, false);
  }
  const asOwner = await ownerFull.rest.repos.get({ owner: 'keeper', repo: 'hidden' });
  assert.equal(asOwner.data.private, true);
  assert.equal(asOwner.data.permissions?.admin, true);
  assert.equal(header(asOwner.headers, 'x-accepted-oauth-scopes'), 'repo');
  const asOther = await otherFull.rest.repos.get({ owner: 'keeper', repo: 'shown' });
  assert.equal(asOther.data.permissions?.admin, false);

  const notFound = { message: 'Not Found', documentation_url: docsUrl(server, 'get-a-repository') };
  for (const [who, client] of [['another user', otherFull], ['the owner without repo', ownerPublicOnly], ['anonymous', anonymous]] as const) {
    const failure = await octokitFailure(client.rest.repos.get({ owner: 'keeper', repo: 'hidden' }), 404);
    assert.deepEqual(failure.data, notFound, who);
    if (client !== anonymous) assert.equal(header(failure.headers, 'x-accepted-oauth-scopes'), 'repo', who);
  }
  // Absent and hidden look the same.
  const absent = await octokitFailure(otherFull.rest.repos.get({ owner: 'keeper', repo: 'never-was' }), 404);
  assert.deepEqual(absent.data, notFound);
});

test('DELETE /repos/{owner}/{repo} needs `delete_repo` and ownership', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'deleter' });
  const other = await server.createUser({ username: 'intruder' });
  await makeRepository(server, owner, 'doomed', true);
  await makeRepository(server, owner, 'public-doomed', false);
  const withoutScope = octokitFor(server, await server.createToken(owner, { scopes: ['repo'] }));
  const withScope = octokitFor(server, await server.createToken(owner, { scopes: ['repo', 'delete_repo'] }));
  const otherWithScope = octokitFor(server, await server.createToken(other, { scopes: ['repo', 'delete_repo'] }));

  const refused = await octokitFailure(withoutScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' }), 403);
  assert.equal(header(refused.headers, 'x-accepted-oauth-scopes'), 'delete_repo');
  assert.match((refused.data as { message: string }).message, /delete_repo/);
  assert.equal(await repositoryExists(server, owner, 'doomed'), true);

  const hidden = await octokitFailure(otherWithScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' }), 404);
  assert.equal((hidden.data as { message: string }).message, 'Not Found');
  const notAdmin = await octokitFailure(otherWithScope.rest.repos.delete({ owner: 'deleter', repo: 'public-doomed' }), 403);
  assert.equal((notAdmin.data as { message: string }).message, 'Must have admin rights to Repository.');
  assert.equal(await repositoryExists(server, owner, 'doomed'), true);
  assert.equal(await repositoryExists(server, owner, 'public-doomed'), true);

  const deleted = await withScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' });
  assert.equal(deleted.status, 204);
  assert.equal(await repositoryExists(server, owner, 'doomed'), false);
  await octokitFailure(withScope.rest.repos.get({ owner: 'deleter', repo: 'doomed' }), 404);
  await octokitFailure(withScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' }), 404);
});

test('X-RateLimit-* count down per user on successive calls; GET /rate_limit reports without counting', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  const user = await server.createUser();
  const octokit = octokitFor(server, await server.createToken(user, { scopes: ['repo'] }));
  const windowReset = String(Math.floor(clock.now().getTime() / 1000) + 3600);

  const remaining: string[] = [];
  const used: string[] = [];
  for (let call = 0; call < 3; call++) {
    clock.advance(1000);
    const { headers } = await octokit.rest.users.getAuthenticated();
    assert.equal(header(headers, 'x-ratelimit-limit'), '5000');
    assert.equal(header(headers, 'x-ratelimit-reset'), String(Math.floor(clock.now().getTime() / 1000) - call + 3600),
      'the window resets an hour after its first request');
    remaining.push(header(headers, 'x-ratelimit-remaining')!);
    used.push(header(headers, 'x-ratelimit-used')!);
  }
  assert.deepEqual(remaining, ['4999', '4998', '4997']);
  assert.deepEqual(used, ['1', '2', '3']);

  for (let call = 0; call < 2; call++) {
    const { data, headers } = await octokit.rest.rateLimit.get();
    assert.equal(header(headers, 'x-ratelimit-remaining'), '4997', 'GET /rate_limit does not count');
    assert.deepEqual(data.rate, { limit: 5000, used: 3, remaining: 4997, reset: Number(windowReset) + 1, resource: 'core' });
    assert.deepEqual(data.resources.core, data.rate);
  }
  const next = await octokit.rest.users.getAuthenticated();
  assert.equal(header(next.headers, 'x-ratelimit-remaining'), '4996');

  // The budget is the user's, over all of their tokens (GitHub's rule): another token of theirs continues the count,
  // another user's token has its own. Anonymous calls are counted per address, 60 an hour.
  const second = octokitFor(server, await server.createToken(user, { scopes: [] }));
  assert.equal(header((await second.rest.users.getAuthenticated()).headers, 'x-ratelimit-remaining'), '4995');
  const otherUser = octokitFor(server, await server.createToken(await server.createUser(), { scopes: [] }));
  assert.equal(header((await otherUser.rest.users.getAuthenticated()).headers, 'x-ratelimit-remaining'), '4999');
  const anonymous = octokitWithHeader(server);
  const anonymousRemaining: string[] = [];
  for (let call = 0; call < 2; call++) {
    const { headers } = await anonymous.rest.users.getByUsername({ username: user.username });
    assert.equal(header(headers, 'x-ratelimit-limit'), '60');
    anonymousRemaining.push(header(headers, 'x-ratelimit-remaining')!);
  }
  assert.deepEqual(anonymousRemaining, ['59', '58']);
  const anonymousRate = await anonymous.rest.rateLimit.get();
  assert.equal(anonymousRate.data.rate.limit, 60);
  assert.equal(anonymousRate.data.rate.remaining, 58);
});

test('going over the rate limit gets 403 until the window resets; GET /rate_limit still answers', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, rateLimits: { authenticatedPerHour: 3, anonymousPerHour: 2 } });
  const user = await server.createUser();
  const octokit = octokitFor(server, await server.createToken(user, { scopes: ['repo'] }));

  for (let call = 0; call < 3; call++) await octokit.rest.users.getAuthenticated();
  const limited = await octokitFailure(octokit.rest.users.getAuthenticated(), 403);
  assert.deepEqual(limited.data, { message: `API rate limit exceeded for user ID ${user.id}.`, documentation_url: docsUrl(server, 'get-the-authenticated-user') });
  assert.equal(header(limited.headers, 'x-ratelimit-remaining'), '0');
  assert.equal(header(limited.headers, 'x-ratelimit-limit'), '3');
  assert.equal(header(limited.headers, 'x-ratelimit-used'), '3');
  assert.equal(header(limited.headers, 'x-ratelimit-reset'), String(Math.floor(clock.now().getTime() / 1000) + 3600));
  await octokitFailure(octokit.rest.repos.listForAuthenticatedUser(), 403);

  const rate = await octokit.rest.rateLimit.get();
  assert.equal(rate.status, 200, 'GET /rate_limit answers when the limit is used up');
  assert.equal(rate.data.rate.remaining, 0);
  assert.equal(rate.data.rate.limit, 3);

  // Anonymous callers are limited by address.
  const anonymous = octokitWithHeader(server);
  for (let call = 0; call < 2; call++) await anonymous.rest.users.getByUsername({ username: user.username });
  const anonymousLimited = await octokitFailure(anonymous.rest.users.getByUsername({ username: user.username }), 403);
  assert.match((anonymousLimited.data as { message: string }).message, /^API rate limit exceeded for 127\.0\.0\.1\.$/);

  clock.advance(60 * 60 * 1000);
  const again = await octokit.rest.users.getAuthenticated();
  assert.equal(header(again.headers, 'x-ratelimit-remaining'), '2', 'a new window starts after an hour');
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
      assert.deepEqual(failure.data, badCredentials(server, 'get-the-authenticated-user'), `${what} via ${style}`);
      assert.equal(header(failure.headers, 'x-oauth-scopes'), undefined, `${what} via ${style}: no scopes revealed`);
      const response = await fetch(`${server.apiUrl}/users/badcreds`, { headers: { authorization } });
      assert.equal(response.status, 401, `${what} via ${style}: a bad token is refused even where none is needed`);
      assert.deepEqual(await response.json(), badCredentials(server, 'get-a-user'));
    }
  }
  for (const authorization of ['token', 'Bearer', 'token a b', 'Digest abc', 'Basic !!!!', `Basic ${Buffer.from('nocolon').toString('base64')}`]) {
    const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization } });
    assert.equal(response.status, 401, authorization);
    assert.deepEqual(await response.json(), badCredentials(server, 'get-the-authenticated-user'), authorization);
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
    assert.equal(body.documentation_url, docsUrl(server, 'get-the-authenticated-user'));
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
