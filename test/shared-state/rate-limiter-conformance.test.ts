/**
 * The RateLimiter port (src/domain/shared-state.ts) run against every adapter, memory and Redis (adapter-fixture.ts):
 * fixed hourly windows counted at the exact instant, peeks, concurrency and batching; then the memory limiter's cap.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createMemoryRateLimiter } from '../../src/shared-state/memory-rate-limiter.ts';
import { ADAPTERS, after, HOUR, T0 } from './adapter-fixture.ts';

for (const adapter of ADAPTERS) {
  describe(`RateLimiter (${adapter.name})`, () => {
    test('counts used and remaining request by request; the window resets an hour after its first request', async (t) => {
      const limiter = adapter.rateLimiter(t);
      for (let i = 1; i <= 5; i++) {
        assert.deepEqual(await limiter.consume('k', 5, after(i * 1000)),
          { limit: 5, used: i, remaining: 5 - i, resetAt: after(HOUR + 1000), exceeded: false }, `request ${i}`);
      }
      assert.deepEqual(await limiter.consume('k', 5, after(6000)),
        { limit: 5, used: 5, remaining: 0, resetAt: after(HOUR + 1000), exceeded: true }, 'the sixth is refused');
    });

    test('keys are counted separately', async (t) => {
      const limiter = adapter.rateLimiter(t);
      await limiter.consume('a', 2, T0);
      await limiter.consume('a', 2, T0);
      assert.equal((await limiter.consume('a', 2, T0)).exceeded, true);
      assert.deepEqual(await limiter.consume('b', 2, after(10)), { limit: 2, used: 1, remaining: 1, resetAt: after(HOUR + 10), exceeded: false });
    });

    test('one millisecond before the hour the window holds; exactly at the hour a new one starts', async (t) => {
      const limiter = adapter.rateLimiter(t);
      await limiter.consume('k', 2, T0);
      await limiter.consume('k', 2, after(30 * 60 * 1000));
      assert.deepEqual(await limiter.consume('k', 2, after(HOUR - 1)), { limit: 2, used: 2, remaining: 0, resetAt: after(HOUR), exceeded: true });
      assert.deepEqual(await limiter.consume('k', 2, after(HOUR)), { limit: 2, used: 1, remaining: 1, resetAt: after(2 * HOUR), exceeded: false });
      assert.deepEqual(await limiter.consume('k', 2, after(HOUR + 1)), { limit: 2, used: 2, remaining: 0, resetAt: after(2 * HOUR), exceeded: false });
    });

    test('the window does not slide, and refused requests do not extend it', async (t) => {
      const limiter = adapter.rateLimiter(t);
      await limiter.consume('k', 1, T0);
      for (let i = 1; i < 20; i++) assert.equal((await limiter.consume('k', 1, after(i * 60_000))).exceeded, true);
      assert.deepEqual((await limiter.consume('k', 1, after(HOUR - 1))).resetAt, after(HOUR));
      assert.equal((await limiter.consume('k', 1, after(HOUR))).exceeded, false);
    });

    test('a clock that jumps backwards starts a new window instead of a negative one', async (t) => {
      const limiter = adapter.rateLimiter(t);
      await limiter.consume('k', 3, T0);
      assert.deepEqual(await limiter.consume('k', 3, after(-1000)), { limit: 3, used: 1, remaining: 2, resetAt: after(HOUR - 1000), exceeded: false });
    });

    test('peek counts nothing and starts no window; it shows an exhausted window as exhausted', async (t) => {
      const limiter = adapter.rateLimiter(t);
      assert.deepEqual(await limiter.peek('k', 3, T0), { limit: 3, used: 0, remaining: 3, resetAt: after(HOUR), exceeded: false });
      for (let i = 0; i < 5; i++) await limiter.peek('k', 3, after(i));
      assert.deepEqual(await limiter.consume('k', 3, after(30 * 60 * 1000)),
        { limit: 3, used: 1, remaining: 2, resetAt: after(HOUR + 30 * 60 * 1000), exceeded: false });
      await limiter.consume('k', 3, after(30 * 60 * 1000));
      await limiter.consume('k', 3, after(30 * 60 * 1000));
      assert.deepEqual(await limiter.peek('k', 3, after(31 * 60 * 1000)),
        { limit: 3, used: 3, remaining: 0, resetAt: after(HOUR + 30 * 60 * 1000), exceeded: false }, 'at the limit: the last one was allowed');
      await limiter.consume('k', 3, after(31 * 60 * 1000));
      assert.equal((await limiter.peek('k', 3, after(31 * 60 * 1000))).exceeded, true);
    });

    test('a limit of 0 is no limit: nothing is counted or refused', async (t) => {
      const limiter = adapter.rateLimiter(t);
      for (let i = 0; i < 50; i++) assert.equal((await limiter.consume('k', 0, T0)).exceeded, false);
      assert.equal((await limiter.peek('k', 5, T0)).used, 0, 'the unlimited requests left no count behind');
    });

    test('concurrent requests are each counted once, never lost', async (t) => {
      const limiter = adapter.rateLimiter(t);
      const states = await Promise.all(Array.from({ length: 200 }, () => limiter.consume('k', 1000, T0)));
      assert.deepEqual(states.map((state) => state.used).sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1));
    });

    test('counts and peeks asked at once, over several keys and times, answer as if asked one by one in that order', async (t) => {
      const limiter = adapter.rateLimiter(t);
      const asked = await Promise.all([
        limiter.peek('a', 3, T0),
        limiter.consume('a', 3, T0),
        limiter.consume('b', 3, after(5)),
        limiter.peek('a', 3, after(1)),
        limiter.consume('a', 3, after(2)),
        limiter.consume('a', 3, after(HOUR)),
        limiter.consume('c', 0, T0),
        limiter.peek('b', 3, after(6)),
      ]);
      assert.deepEqual(asked.map((state) => [state.used, state.resetAt.getTime() - T0.getTime()]), [
        [0, HOUR], [1, HOUR], [1, HOUR + 5], [1, HOUR], [2, HOUR], [1, 2 * HOUR], [0, HOUR], [1, HOUR + 5],
      ]);
      // What the batch counted is kept: the window 'a' restarted with its one count, 'b' with its one.
      const later = [await limiter.consume('a', 3, after(HOUR + 1)), await limiter.consume('b', 3, after(7))];
      assert.deepEqual(later.map((state) => [state.used, state.resetAt.getTime() - T0.getTime()]), [[2, 2 * HOUR], [2, HOUR + 5]]);
      const sameInstant = await Promise.all([
        limiter.consume('d', 2, T0), limiter.peek('d', 2, T0), limiter.consume('d', 2, T0), limiter.consume('d', 2, T0), limiter.peek('d', 2, T0),
      ]);
      assert.deepEqual(sameInstant.map((state) => [state.used, state.remaining, state.exceeded]),
        [[1, 1, false], [1, 1, false], [2, 0, false], [2, 0, true], [2, 0, true]]);
    });

    test('hundreds of requests at once, more than one call to the store carries, are all counted in order', async (t) => {
      const limiter = adapter.rateLimiter(t);
      const states = await Promise.all(Array.from({ length: 600 }, (_, i) => limiter.consume(i % 2 === 0 ? 'even' : 'odd', 1000, T0)));
      assert.deepEqual(states.map((state) => state.used), Array.from({ length: 600 }, (_, i) => Math.floor(i / 2) + 1));
    });
  });
}

describe('memory rate limiter under a flood of distinct clients', () => {
  test('20,000 distinct addresses: windows stay under the cap, the newest are kept, and a consume costs no more at the end', async () => {
    const cap = 5000;
    const limiter = createMemoryRateLimiter(cap);
    const durations: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const started = process.hrtime.bigint();
      await limiter.consume(`ip:10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`, 60, after(i));
      durations.push(Number(process.hrtime.bigint() - started));
      assert.ok(limiter.size() <= cap);
    }
    assert.equal(limiter.size(), cap);
    assert.equal((await limiter.peek('ip:10.0.78.31', 60, after(20_000))).used, 1, 'a recent client is still counted');
    assert.equal((await limiter.peek('ip:10.0.0.0', 60, after(20_000))).used, 0, 'the oldest were dropped');
    // Relative, in the same run: the last thousand inserts cost about what the first thousand did (no scan per insert).
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const first = median(durations.slice(1000, 2000));
    const last = median(durations.slice(-1000));
    assert.ok(last < first * 5 + 20_000, `median consume: first ${first} ns, last ${last} ns`);
  });

  test('expired windows are dropped as new ones open, without waiting for the cap', async () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 0; i < 1000; i++) await limiter.consume(`old-${i}`, 60, T0);
    await limiter.consume('live', 60, after(HOUR - 1));
    await limiter.consume('new', 60, after(HOUR));
    assert.equal(limiter.size(), 2);
    assert.equal((await limiter.peek('live', 60, after(HOUR))).used, 1);
  });
});
