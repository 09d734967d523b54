/**
 * The OneTimeStore and ReplayCache ports (src/domain/shared-state.ts) run against every adapter, memory and Redis
 * (adapter-fixture.ts); the InvalidationBus in memory and over Redis; and what openSharedState does without Redis.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { INVALIDATE_ALL, type InvalidationBus } from '../../src/domain/shared-state.ts';
import { openSharedState } from '../../src/shared-state/connect.ts';
import { createMemoryInvalidationBus } from '../../src/shared-state/memory-invalidation-bus.ts';
import { createMemoryReplayCache } from '../../src/shared-state/memory-replay-cache.ts';
import { createRedisInvalidationBus } from '../../src/shared-state/redis-invalidation-bus.ts';
import { ADAPTERS, after, HOUR, REDIS_URL, T0 } from './adapter-fixture.ts';

for (const adapter of ADAPTERS) {
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
