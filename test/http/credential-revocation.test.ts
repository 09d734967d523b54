/**
 * Leaked-token revocation as a reporter sees it (Octokit over HTTP: `POST /credentials/revoke`) and as owners see
 * it afterwards: only real tokens stop working, 202 whatever was sent, owners mailed without the secret, the event
 * in their security log, a limit an hour, 403 for an authenticated caller and 422 for a malformed body.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { deletePersonalAccessToken } from '../../src/domain/tokens.ts';
import { hashToken, TOKEN_BODY_LENGTH, TOKEN_PREFIX, tokenChecksum } from '../../src/domain/token-format.ts';
import { QueryCounter } from '../helpers/query-counter.ts';
import { docsUrl } from '../helpers/api-docs.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';

const HOUR_MS = 60 * 60 * 1000;
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A reporter at `address` (the server believes X-Forwarded-For from 127.0.0.1), optionally signed in. */
function reporter(server: TestServer, address: string, auth?: string): Octokit {
  const octokit = new Octokit({ baseUrl: server.apiUrl, log: quiet, ...(auth && { auth }), userAgent: 'leak-scanner/1.0' });
  octokit.hook.before('request', (options) => {
    options.headers['x-forwarded-for'] = address;
  });
  return octokit;
}

async function statusOf(promise: Promise<{ status: number }>): Promise<{ status: number; data: unknown; headers: Record<string, unknown> }> {
  try {
    const response = await promise as { status: number; data: unknown; headers: Record<string, unknown> };
    return response;
  } catch (error) {
    const failure = error as { status: number; response?: { data: unknown; headers: Record<string, unknown> } };
    if (typeof failure.status !== 'number') throw error;
    return { status: failure.status, data: failure.response?.data, headers: failure.response?.headers ?? {} };
  }
}

async function userStatus(server: TestServer, token: string): Promise<number> {
  return (await server.app.inject({ method: 'GET', url: '/api/v3/user', headers: { authorization: `token ${token}` } })).statusCode;
}

function withBadChecksum(token: string): string {
  return token.slice(0, -1) + (token.at(-1) === '0' ? '1' : '0');
}

function unissuedToken(seed: string): string {
  const body = seed.repeat(TOKEN_BODY_LENGTH).slice(0, TOKEN_BODY_LENGTH);
  return TOKEN_PREFIX + body + tokenChecksum(body);
}

async function startServer(t: Parameters<typeof startTestServer>[0]) {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, config: { trustProxy: ['127.0.0.1'] } });
  return { server, clock };
}

test('a mixed batch: 202 every time, only the real tokens stop working, each owner mailed once without the secret', async (t) => {
  const { server } = await startServer(t);
  const alice = await server.createUser({ username: 'leaky-alice' });
  const bob = await server.createUser({ username: 'leaky-bob' });
  const laptop = await server.createToken(alice, { note: 'laptop', scopes: ['repo'] });
  const kept = await server.createToken(alice, { note: 'kept' });
  const logReader = await server.createToken(alice, { note: 'log reader', scopes: ['read:user'] });
  const bobs = await server.createToken(bob, { note: 'bob ci' });
  const gone = await server.createToken(alice, { note: 'gone' });
  const goneId = (await server.db.selectFrom('personal_access_tokens').select('id').where('token_hash', '=', hashToken(gone)).executeTakeFirstOrThrow()).id;
  assert.ok(await deletePersonalAccessToken(server.deps, alice, goneId));
  // Used just before: its check is cached, and the revocation must reach the cache too.
  assert.equal(await userStatus(server, laptop), 200);
  const outboxBefore = (await server.readOutbox()).length;

  const batch = [
    laptop, laptop, withBadChecksum(kept), bobs, gone, unissuedToken('Q'), 'ghp_16C7e42F292c6912E7710c838347Ae178B4a', 'tsp_short', '', 'x'.repeat(500),
  ];
  const scanner = reporter(server, '198.51.100.20');
  for (const round of [1, 2]) {
    const response = await statusOf(scanner.request('POST /credentials/revoke', { credentials: batch }));
    assert.equal(response.status, 202, `round ${round}`);
    assert.deepEqual(response.data, {}, `round ${round}: nothing said about what was found`);
  }

  assert.equal(await userStatus(server, laptop), 401, 'the leaked token stopped working at once, cached or not');
  assert.equal(await userStatus(server, bobs), 401);
  assert.equal(await userStatus(server, kept), 200, 'a token whose checksum was wrong in the report is not touched');
  const remaining = await server.db.selectFrom('personal_access_tokens').select('note').orderBy('note').execute();
  assert.deepEqual(remaining.map((row) => row.note), ['kept', 'log reader']);

  const mails = (await server.readOutbox()).slice(outboxBefore);
  assert.equal(mails.length, 2, 'one mail per owner, and none for the second, redundant report');
  const toAlice = mails.find((mail) => mail.to.includes(alice.email));
  const toBob = mails.find((mail) => mail.to.includes(bob.email));
  assert.ok(toAlice && toBob);
  assert.match(toAlice.text, /Your personal access token “laptop” was revoked because it was found in a public place\./);
  assert.match(toBob.text, /“bob ci” was revoked/);
  assert.ok(toAlice.text.includes(`${server.baseUrl}/settings/tokens`));
  assert.doesNotMatch(toAlice.text, /kept|gone|log reader/);
  for (const mail of mails) {
    for (const secret of [laptop, kept, bobs]) assert.ok(!mail.raw.includes(secret), 'never a secret in mail');
  }
  for (const line of server.logs) assert.ok(![laptop, kept, bobs].some((secret) => line.includes(secret)), 'never a secret in the log');

  const log = await server.app.inject({
    method: 'GET', url: '/api/v3/user/security-log?action=token.revoked_leaked', headers: { authorization: `token ${logReader}` },
  });
  const events = log.json() as Array<{ action: string; actor: string; token_note: string; client_address: string; user_agent: string }>;
  assert.deepEqual(events.map((event) => [event.action, event.actor, event.token_note, event.client_address]), [
    ['token.revoked_leaked', 'anonymous', 'laptop', '198.51.100.20'],
  ], 'the owner sees who (anonymous) and from where in the security log');
  assert.match(events[0]!.user_agent, /^leak-scanner\/1\.0/);
});

test('strings that are not well-formed tokens cost no store query', async (t) => {
  const { server } = await startServer(t);
  const counter = new QueryCounter();
  const plain = server.deps.db;
  server.deps.db = plain.withPlugin(counter);
  t.after(() => { server.deps.db = plain; });
  const body = { credentials: [withBadChecksum(unissuedToken('R')), 'ghp_x', 'tsp_', ...Array.from({ length: 900 }, (_, i) => `noise-${i}`)] };
  const response = await server.app.inject({ method: 'POST', url: '/api/v3/credentials/revoke', payload: body, headers: { 'x-forwarded-for': '198.51.100.21' } });
  assert.equal(response.statusCode, 202);
  assert.equal(counter.queries, 0);
});

test('an authenticated call gets 403 and revokes nothing, not even the token it lists', async (t) => {
  const { server } = await startServer(t);
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: ['repo'] });
  for (const auth of [`token ${token}`, `Bearer ${token}`, `Basic ${Buffer.from(`${user.username}:${token}`).toString('base64')}`]) {
    const response = await server.app.inject({
      method: 'POST', url: '/api/v3/credentials/revoke', headers: { authorization: auth }, payload: { credentials: [token] },
    });
    assert.equal(response.statusCode, 403, auth.split(' ')[0]);
    assert.match(response.json().message, /must not be authenticated/);
  }
  const viaOctokit = await statusOf(reporter(server, '198.51.100.22', token).request('POST /credentials/revoke', { credentials: [token] }));
  assert.equal(viaOctokit.status, 403);
  assert.equal(await userStatus(server, token), 200);
});

test('a malformed body is 422 in GitHub\'s validation shape', async (t) => {
  const { server } = await startServer(t);
  const cases: Array<[string, unknown, RegExp]> = [
    ['an empty list', { credentials: [] }, /fewer than 1 item/],
    ['1,001 strings', { credentials: Array.from({ length: 1001 }, (_, i) => `s${i}`) }, /more than 1000 items/],
    ['a number among strings', { credentials: ['tsp_x', 5] }, /index 1 is not a string/],
    ['null in the list', { credentials: [null] }, /index 0 is not a string/],
    ['no credentials field', { tokens: ['tsp_x'] }, /"credentials" wasn't supplied/],
    ['a string instead of a list', { credentials: 'tsp_x' }, /not an array/],
    ['a list instead of an object', ['tsp_x'], /must be a JSON object/],
  ];
  for (const [name, payload, message] of cases) {
    const response = await server.app.inject({
      method: 'POST', url: '/api/v3/credentials/revoke', payload: payload as object, headers: { 'x-forwarded-for': '198.51.100.23' },
    });
    assert.equal(response.statusCode, 422, name);
    const body = response.json() as { message: string; documentation_url: string; errors: string[] };
    assert.match(body.message, /^Invalid request\.\n\n/, name);
    assert.match(body.message, message, name);
    assert.equal(body.documentation_url, docsUrl(server, 'revoke-a-list-of-credentials'));
    assert.ok(Array.isArray(body.errors) && body.errors.every((error) => typeof error === 'string'), name);
  }
  const exactly1000 = await server.app.inject({
    method: 'POST', url: '/api/v3/credentials/revoke', payload: { credentials: Array.from({ length: 1000 }, (_, i) => `s${i}`) },
    headers: { 'x-forwarded-for': '198.51.100.23' },
  });
  assert.equal(exactly1000.statusCode, 202, '1,000 is allowed');
  const octokit = await statusOf(reporter(server, '198.51.100.24').request('POST /credentials/revoke', { credentials: [] }));
  assert.equal(octokit.status, 422);
});

test('60 reports an hour per client network: the 61st is refused until the hour is over', async (t) => {
  const { server, clock } = await startServer(t);
  const user = await server.createUser();
  const token = await server.createToken(user, { note: 'late leak' });
  const report = (address: string, credentials: string[] = ['noise']) => server.app.inject({
    method: 'POST', url: '/api/v3/credentials/revoke', payload: { credentials }, headers: { 'x-forwarded-for': address },
  });
  for (let call = 1; call <= 60; call++) {
    const response = await report('203.0.113.50');
    assert.equal(response.statusCode, 202, `call ${call}`);
    assert.equal(response.headers['x-ratelimit-remaining'], String(60 - call));
  }
  const refused = await report('203.0.113.50', [token]);
  assert.equal(refused.statusCode, 422, 'GitHub: "Validation failed, or the endpoint has been spammed"');
  assert.match(refused.json().message, /rate limit exceeded/);
  assert.equal(refused.headers['retry-after'], String(HOUR_MS / 1000));
  assert.equal(await userStatus(server, token), 200, 'a refused report revokes nothing');
  assert.equal((await report('203.0.113.51')).statusCode, 202, 'another client is not affected');
  assert.equal((await server.app.inject({ method: 'GET', url: '/api/v3/rate_limit', headers: { 'x-forwarded-for': '203.0.113.50' } })).json().rate.used, 0,
    'reports have their own budget, not the anonymous API budget');

  const viaOctokit = await statusOf(reporter(server, '203.0.113.50').request('POST /credentials/revoke', { credentials: [token] }));
  assert.equal(viaOctokit.status, 422, 'Octokit over HTTP sees the same');

  clock.advance(HOUR_MS);
  assert.equal((await report('203.0.113.50', [token])).statusCode, 202);
  assert.equal(await userStatus(server, token), 401, 'an hour later the report goes through');
});
