/**
 * `@octokit/plugin-throttling`, the way Octokit users guard against rate limits, reading Tessera's headers: when the
 * primary limit is used up, the plugin must recognise the 403 as a rate limit (`X-RateLimit-Remaining: 0`) and call
 * `onRateLimit` with the wait Tessera announced (`X-RateLimit-Reset`, the same instant as `Retry-After`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { throttling } from '@octokit/plugin-throttling';
import { fakeClock, startTestServer } from '../helpers/server.ts';

const ThrottledOctokit = Octokit.plugin(throttling);

/** Octokit logs every failed request; the test asserts on them instead. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

interface RateLimitCall { retryAfter: number; method: string; url: string; retryCount: number }

test('plugin-throttling sees the primary rate limit and the reset time Tessera announces', async (t) => {
  // The plugin computes its wait from the wall clock, so Tessera's fake clock starts at the current second: the
  // window's reset is then known exactly and the plugin's wait can be bounded by the time the request took.
  const start = new Date(Math.floor(Date.now() / 1000) * 1000);
  const clock = fakeClock(start);
  const server = await startTestServer(t, { clock, rateLimits: { authenticatedPerHour: 2 } });
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: ['repo'] });

  const rateLimited: RateLimitCall[] = [];
  let secondaryLimited = 0;
  const octokit = new ThrottledOctokit({
    baseUrl: server.apiUrl, auth: token, log: quiet,
    throttle: {
      // Returning false gives up instead of waiting an hour: the test only needs what the plugin understood.
      onRateLimit: (retryAfter, options, _octokit, retryCount) => {
        rateLimited.push({ retryAfter, method: options.method, url: options.url, retryCount });
        return false;
      },
      onSecondaryRateLimit: () => { secondaryLimited++; return false; },
    },
  });

  for (let call = 0; call < 2; call++) assert.equal((await octokit.rest.users.getAuthenticated()).data.login, user.username);
  assert.equal(rateLimited.length, 0, 'no rate-limit event while requests remain');

  const before = Date.now();
  const failure = await octokit.rest.users.getAuthenticated().then(
    () => assert.fail('the third request of a limit of 2 succeeded'),
    (error: { status: number; response: { headers: Record<string, string | undefined> } }) => error,
  );
  const after = Date.now();

  assert.equal(failure.status, 403);
  const resetSeconds = start.getTime() / 1000 + 3600;
  assert.equal(failure.response.headers['x-ratelimit-remaining'], '0');
  assert.equal(failure.response.headers['x-ratelimit-reset'], String(resetSeconds));
  assert.equal(failure.response.headers['retry-after'], '3600');

  assert.equal(secondaryLimited, 0, 'a primary limit is not mistaken for a secondary one');
  assert.equal(rateLimited.length, 1, 'onRateLimit is called once for the refused request');
  const [seen] = rateLimited;
  assert.deepEqual({ method: seen!.method, url: seen!.url, retryCount: seen!.retryCount }, { method: 'GET', url: '/user', retryCount: 0 });
  // The plugin waits until one second after X-RateLimit-Reset, measured from its own clock when the 403 arrived.
  const waitFrom = (instant: number) => Math.ceil((resetSeconds * 1000 - instant) / 1000) + 1;
  assert.ok(seen!.retryAfter >= waitFrom(after) && seen!.retryAfter <= waitFrom(before),
    `the plugin's wait ${seen!.retryAfter}s lies between ${waitFrom(after)}s and ${waitFrom(before)}s`);
  assert.ok(seen!.retryAfter > 3500, 'the wait is the hour Tessera announced, not a fallback');
});
