/**
 * One conformance suite for the shared-state ports (src/domain/shared-state.ts), run against every adapter: this
 * process's memory and Redis (TESSERA_TEST_REDIS_URL, else the machine's redis://127.0.0.1:6379), each test under a
 * Redis key prefix of its own. Times come from the test, so windows and expiries are checked at the exact instant.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { INVALIDATE_ALL, type InvalidationBus, type OneTimeStore, type RateLimiter, type ReplayCache } from '../../src/domain/shared-state.ts';
import { openSharedState } from '../../src/shared-state/connect.ts';
import { createMemoryInvalidationBus } from '../../src/shared-state/memory-invalidation-bus.ts';
import { createMemoryOneTimeStore } from '../../src/shared-state/memory-one-time-store.ts';
import { createMemoryRateLimiter } from '../../src/shared-state/memory-rate-limiter.ts';
import { createMemoryReplayCache } from '../../src/shared-state/memory-replay-cache.ts';
import { createRedisInvalidationBus } from '../../src/shared-state/redis-invalidation-bus.ts';
import { createRedisOneTimeStore } from '../../src/shared-state/redis-one-time-store.ts';
import { createRedisRateLimiter } from '../../src/shared-state/redis-rate-limiter.ts';
import { createRedisReplayCache } from '../../src/shared-state/redis-replay-cache.ts';

const REDIS_URL = process.env.TESSERA_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const T0 = new Date('2026-11-25T10:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const after = (ms: number, from: Date = T0) => new Date(from.getTime() + ms);

/** A Redis connection under a fresh prefix; its keys are deleted and the connection closed when the test ends. */
function redisFor(t: TestContext): Redis {
  const keyPrefix = `tessera-test:${randomBytes(6).toString('hex')}:`;
  const redis = new Redis(REDIS_URL, { keyPrefix });
  t.after(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    // KEYS returns full names; DEL through a prefixed client would prefix them twice.
    if (keys.length > 0) await redis.call('DEL', ...keys);
    redis.disconnect();
  });
  return redis;
}

interface Adapter {
  name: string;
  rateLimiter(t: TestContext): RateLimiter;
  oneTimeStore(t: TestContext): OneTimeStore;
  replayCache(t: TestContext): ReplayCache;
}

const ADAPTERS: Adapter[] = [
  {
    name: 'memory', rateLimiter: () => createMemoryRateLimiter(), oneTimeStore: () => createMemoryOneTimeStore(),
    replayCache: () => createMemoryReplayCache(),
  },
  {
    name: 'redis', rateLimiter: (t) => createRedisRateLimiter(redisFor(t)), oneTimeStore: (t) => createRedisOneTimeStore(redisFor(t)),
    replayCache: (t) => createRedisReplayCache(redisFor(t)),
  },
];

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

  describe(`OneTimeStore (${adapter.name})`, () => {
    test('a value is taken once, by its own key only; a second take gets nothing', async (t) => {
      const store = adapter.oneTimeStore(t);
      await store.put('a', '1', 'one', 60_000, T0);
      assert.deepEqual(await store.take('b', T0), []);
      assert.deepEqual(await store.take('a', T0), [{ field: '1', value: 'one' }]);
      assert.deepEqual(await store.take('a', T0), []);
    });

    test('several fields come back newest first; putting a field again replaces it', async (t) => {
      const store = adapter.oneTimeStore(t);
      await store.put('k', '1', 'first', 60_000, T0);
      await store.put('k', '2', 'second', 60_000, after(1000));
      await store.put('k', '1', 'first again', 60_000, after(2000));
      assert.deepEqual(await store.take('k', after(3000)), [{ field: '1', value: 'first again' }, { field: '2', value: 'second' }]);
    });

    test('an entry is gone exactly when its time is up', async (t) => {
      const store = adapter.oneTimeStore(t);
      await store.put('k', '1', 'v', 60_000, T0);
      assert.equal((await store.take('k', after(59_999))).length, 1);
      await store.put('k', '1', 'v', 60_000, T0);
      assert.deepEqual(await store.take('k', after(60_000)), []);
    });

    test('two concurrent takes never both get an entry', async (t) => {
      const store = adapter.oneTimeStore(t);
      await store.put('k', '1', 'v', 60_000, T0);
      const [a, b] = await Promise.all([store.take('k', T0), store.take('k', T0)]);
      assert.equal(a.length + b.length, 1);
    });
  });

  describe(`ReplayCache (${adapter.name})`, () => {
    test('the first claim of a key wins; every later one loses while it lives; keys are separate', async (t) => {
      const cache = adapter.replayCache(t);
      assert.equal(await cache.claim('a', 60_000, T0), true);
      assert.equal(await cache.claim('a', 60_000, after(1000)), false);
      assert.equal(await cache.claim('a', 60_000, after(2000)), false, 'a lost claim does not extend or renew anything');
      assert.equal(await cache.claim('b', 60_000, after(2000)), true);
    });

    test('a claim lives exactly its time: lost one millisecond before, won again at the instant it ends', async (t) => {
      const cache = adapter.replayCache(t);
      await cache.claim('k', 60_000, T0);
      assert.equal(await cache.claim('k', 60_000, after(59_999)), false);
      assert.equal(await cache.claim('k', 1000, after(60_000)), true);
      assert.equal(await cache.claim('k', 1000, after(60_999)), false, 'the new claim lives its own time');
      assert.equal(await cache.claim('k', 1000, after(61_000)), true);
    });

    test('of many concurrent claims of one key exactly one wins', async (t) => {
      const cache = adapter.replayCache(t);
      const results = await Promise.all(Array.from({ length: 50 }, () => cache.claim('k', 60_000, T0)));
      assert.equal(results.filter(Boolean).length, 1);
    });
  });
}

describe('memory replay cache', () => {
  test('expired claims are swept as new ones come: it never holds more than twice what was live at the last sweep', async () => {
    const cache = createMemoryReplayCache();
    for (let i = 0; i < 5000; i++) await cache.claim(`old-${i}`, 1000, T0);
    for (let i = 0; i < 10_000; i++) await cache.claim(`new-${i}`, 60_000, after(HOUR));
    assert.equal(cache.size(), 10_000, 'every expired claim was dropped');
    assert.equal(await cache.claim('new-0', 60_000, after(HOUR + 1)), false, 'live claims are kept');
  });
});

describe('InvalidationBus', () => {
  async function heard(bus: InvalidationBus, count: number): Promise<string[]> {
    const messages: string[] = [];
    return new Promise((resolve) => bus.subscribe((message) => {
      messages.push(message);
      if (messages.length === count) resolve(messages);
    }));
  }

  test('memory: a message reaches this process\'s listeners before publish resolves; always reliable', async () => {
    const bus = createMemoryInvalidationBus();
    const messages: string[] = [];
    bus.subscribe((message) => messages.push(message));
    await bus.publish('token:abc');
    assert.deepEqual(messages, ['token:abc']);
    assert.equal(bus.isReliable(), true);
  });

  test('redis: a message published by one process is heard by another; both start by dropping everything', async (t) => {
    const channel = `tessera-test:${randomBytes(6).toString('hex')}:invalidate`;
    const connections = Array.from({ length: 4 }, () => new Redis(REDIS_URL));
    t.after(() => connections.forEach((connection) => connection.disconnect()));
    const [publisherA, subscriberA, publisherB, subscriberB] = connections as [Redis, Redis, Redis, Redis];
    const a = createRedisInvalidationBus(publisherA, subscriberA, channel);
    const b = createRedisInvalidationBus(publisherB, subscriberB, channel);
    const heardByB = heard(b, 2);
    await Promise.all([a.ready, b.ready]);
    assert.equal(a.isReliable() && b.isReliable(), true);
    await a.publish('token:abc');
    assert.deepEqual(await heardByB, [INVALIDATE_ALL, 'token:abc']);
  });

  test('redis: unreachable, the bus says it is not reliable, so caches are bypassed', async (t) => {
    // Port 1 on loopback: nothing listens there, so every connection is refused at once.
    const options = { lazyConnect: false, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => 50 };
    const publisher = new Redis('redis://127.0.0.1:1', options);
    const subscriber = new Redis('redis://127.0.0.1:1', options);
    for (const connection of [publisher, subscriber]) connection.on('error', () => {});
    t.after(() => [publisher, subscriber].forEach((connection) => connection.disconnect()));
    const bus = createRedisInvalidationBus(publisher, subscriber, 'nowhere');
    await new Promise((resolve) => subscriber.once('error', resolve));
    assert.equal(bus.isReliable(), false);
    const messages: string[] = [];
    bus.subscribe((message) => messages.push(message));
    await assert.rejects(bus.publish('token:abc'));
    assert.deepEqual(messages, ['token:abc'], 'this process still hears its own message');
  });
});

describe('openSharedState with Redis unreachable', () => {
  test('rate limits fall back to counting in this process, one-time values to its memory; nothing throws', async () => {
    const warnings: string[] = [];
    const shared = openSharedState({ redisUrl: 'redis://127.0.0.1:1', redisPrefix: 'nowhere:' }, (_error, message) => warnings.push(message));
    try {
      assert.equal((await shared.rateLimiter.consume('k', 2, T0)).used, 1);
      assert.equal((await shared.rateLimiter.consume('k', 2, T0)).used, 2);
      assert.equal((await shared.rateLimiter.consume('k', 2, T0)).exceeded, true, 'still limited, per process');
      await shared.oneTime.put('s', '1', 'v', 60_000, T0);
      assert.deepEqual(await shared.oneTime.take('s', T0), [{ field: '1', value: 'v' }]);
      assert.equal(await shared.replayCache.claim('r', 60_000, T0), true);
      assert.equal(await shared.replayCache.claim('r', 60_000, T0), false, 'replays are still recognised, in this process');
      assert.equal(shared.invalidations.isReliable(), false);
      await shared.invalidations.publish('token:x');
      assert.ok(warnings.length >= 1 && warnings.length <= 2, `warnings are throttled: ${warnings.join(' | ')}`);
    } finally {
      await shared.close();
    }
  });
});

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
