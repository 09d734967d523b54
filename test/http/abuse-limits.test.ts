/**
 * Limits that keep one client from hurting the others: failed authentications per client network (counted before
 * any store query), the per-user API budget, limits turned off by configuration, and which client address is
 * believed behind a reverse proxy (TESSERA_TRUST_PROXY).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fakeClock, startTestServer } from '../helpers/server.ts';
import { QueryCounter } from '../helpers/query-counter.ts';
import { helpUrl } from '../helpers/api-docs.ts';
import { TOKEN_PREFIX } from '../../src/domain/token-format.ts';

const UNKNOWN_TOKEN = `${TOKEN_PREFIX}${'0'.repeat(30)}`; // fails its checksum; no store query
const MAXIMUM_ATTEMPTS = 'Maximum number of login attempts exceeded. Please try again later.';

test('a flood of bad tokens trips the failed-authentication limit: 403 for the rest of the hour, without a store query, for that network only', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, rateLimits: { failedAuthenticationsPerHour: 5 }, config: { trustProxy: ['127.0.0.1'] } });
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: [] });
  const from = (address: string, authorization: string) => server.app.inject({
    method: 'GET', url: '/api/v3/user', headers: { authorization, 'x-forwarded-for': address },
  });

  for (let attempt = 1; attempt <= 5; attempt++) {
    const response = await from('198.51.100.7', `token ${UNKNOWN_TOKEN}`);
    assert.equal(response.statusCode, 401, `attempt ${attempt}`);
    assert.equal(response.json().message, 'Bad credentials');
    assert.equal(response.headers['x-ratelimit-used'], String(attempt), 'a refused credential counts against the anonymous budget');
  }
  const counter = new QueryCounter();
  const counted = server.deps.db;
  server.deps.db = counted.withPlugin(counter);
  t.after(() => { server.deps.db = counted; });

  const blocked = await from('198.51.100.7', `token ${token}`);
  assert.equal(blocked.statusCode, 403, 'even a valid token from that network waits out the hour');
  assert.deepEqual(blocked.json(), { message: MAXIMUM_ATTEMPTS, documentation_url: helpUrl(server, 'stopsWorking') });
  assert.equal(blocked.headers['retry-after'], String(60 * 60));
  assert.equal(counter.queries, 0, 'refused before any store query');

  const git = await server.app.inject({
    method: 'GET', url: `/${user.username}/nothing.git/info/refs?service=git-upload-pack`,
    headers: { authorization: `Basic ${Buffer.from(`x:${token}`).toString('base64')}`, 'x-forwarded-for': '198.51.100.7', 'user-agent': 'git/2.39.5' },
  });
  assert.equal(git.statusCode, 403, 'git is refused alike');
  assert.equal(git.body, `${MAXIMUM_ATTEMPTS}\n`);

  assert.equal((await from('198.51.100.8', `token ${token}`)).statusCode, 200, 'another client is not affected');
  assert.equal((await server.app.inject({ method: 'GET', url: `/api/v3/users/${user.username}`, headers: { 'x-forwarded-for': '198.51.100.7' } })).statusCode,
    200, 'anonymous requests from the blocked network still work');

  clock.advance(60 * 60 * 1000);
  assert.equal((await from('198.51.100.7', `token ${token}`)).statusCode, 200, 'an hour later the network may try again');
});

test('a token in use when its network gets blocked is refused from its next check against the store, within a second', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, rateLimits: { failedAuthenticationsPerHour: 3 }, config: { trustProxy: ['127.0.0.1'] } });
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: [] });
  const from = (authorization: string) => server.app.inject({
    method: 'GET', url: '/api/v3/user', headers: { authorization, 'x-forwarded-for': '198.51.100.9' },
  });
  assert.equal((await from(`token ${token}`)).statusCode, 200);
  for (let attempt = 1; attempt <= 3; attempt++) assert.equal((await from(`token ${UNKNOWN_TOKEN}`)).statusCode, 401);
  clock.advance(1000);
  const blocked = await from(`token ${token}`);
  assert.equal(blocked.statusCode, 403);
  assert.equal(blocked.json().message, MAXIMUM_ATTEMPTS);
});

test('IPv6 clients are counted by their /64: hopping addresses within it gains nothing', async (t) => {
  const server = await startTestServer(t, { rateLimits: { failedAuthenticationsPerHour: 3 }, config: { trustProxy: ['127.0.0.1'] } });
  const statuses: number[] = [];
  for (let host = 1; host <= 4; host++) {
    const response = await server.app.inject({
      method: 'GET', url: '/api/v3/user', headers: { authorization: `token ${UNKNOWN_TOKEN}`, 'x-forwarded-for': `2001:db8:5:6::${host}` },
    });
    statuses.push(response.statusCode);
  }
  assert.deepEqual(statuses, [401, 401, 401, 403]);
});

test('a limit of 0 turns the API limit off: no refusal and no X-RateLimit headers', async (t) => {
  const server = await startTestServer(t, { rateLimits: { authenticatedPerHour: 0, anonymousPerHour: 0 } });
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: [] });
  for (let call = 0; call < 100; call++) {
    const response = await server.app.inject({ method: 'GET', url: '/api/v3/user', headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['x-ratelimit-limit'], undefined);
  }
  assert.equal((await server.app.inject({ method: 'GET', url: `/api/v3/users/${user.username}` })).statusCode, 200);
});

test('X-Forwarded-For is believed only from a trusted proxy', async (t) => {
  const trusting = await startTestServer(t, { rateLimits: { anonymousPerHour: 1 }, config: { trustProxy: ['127.0.0.0/8'] } });
  const distrusting = await startTestServer(t, { rateLimits: { anonymousPerHour: 1 } });
  const call = (server: typeof trusting, address: string) => server.app.inject({
    method: 'GET', url: '/api/v3/rate_limit', headers: { 'x-forwarded-for': address },
  }).then((response) => response.json().rate as { limit: number; used: number });
  const callCounted = (server: typeof trusting, address: string) => server.app.inject({
    method: 'GET', url: '/api/v3/users/nobody', headers: { 'x-forwarded-for': address },
  }).then((response) => Number(response.headers['x-ratelimit-remaining']));

  // Behind a trusted proxy each client has its own budget…
  assert.deepEqual([await callCounted(trusting, '192.0.2.1'), await callCounted(trusting, '192.0.2.2')], [0, 0]);
  assert.equal((await call(trusting, '192.0.2.3')).used, 0);
  // …while a forged header from an untrusted peer is ignored: both calls count against 127.0.0.1.
  assert.deepEqual([await callCounted(distrusting, '192.0.2.1'), await callCounted(distrusting, '192.0.2.2')], [0, 0]);
  assert.equal((await call(distrusting, '192.0.2.3')).used, 1);
  const third = await distrusting.app.inject({ method: 'GET', url: '/api/v3/users/nobody', headers: { 'x-forwarded-for': '192.0.2.9' } });
  assert.equal(third.statusCode, 403);
  assert.equal(third.json().message, 'API rate limit exceeded for 127.0.0.1.');
});
