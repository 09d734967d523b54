/** The REST API's rate limits through Octokit: X-RateLimit-* per user and per address, GET /rate_limit, and 403 once used up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakeClock, startTestServer } from '../helpers/server.ts';
import { docsUrl } from '../helpers/api-docs.ts';
import { header, octokitFailure, octokitFor, octokitWithHeader } from './api-fixture.ts';

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
