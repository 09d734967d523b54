/**
 * The adapters the shared-state conformance tests run every port against: this process's memory and Redis
 * (TESSERA_TEST_REDIS_URL, else the machine's redis://127.0.0.1:6379), each test under a Redis key prefix of its own;
 * and the instants the tests give them, so that windows and expiries are checked at the exact instant.
 */
import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import type { OneTimeStore, RateLimiter, ReplayCache } from '../../src/domain/shared-state.ts';
import { createMemoryOneTimeStore } from '../../src/shared-state/memory-one-time-store.ts';
import { createMemoryRateLimiter } from '../../src/shared-state/memory-rate-limiter.ts';
import { createMemoryReplayCache } from '../../src/shared-state/memory-replay-cache.ts';
import { createRedisOneTimeStore } from '../../src/shared-state/redis-one-time-store.ts';
import { createRedisRateLimiter } from '../../src/shared-state/redis-rate-limiter.ts';
import { createRedisReplayCache } from '../../src/shared-state/redis-replay-cache.ts';

export const REDIS_URL = process.env.TESSERA_TEST_REDIS_URL || 'redis://127.0.0.1:6379';
export const T0 = new Date('2026-11-25T10:00:00.000Z');
export const HOUR = 60 * 60 * 1000;
export const after = (ms: number, from: Date = T0) => new Date(from.getTime() + ms);

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

export interface Adapter {
  name: string;
  rateLimiter(t: TestContext): RateLimiter;
  oneTimeStore(t: TestContext): OneTimeStore;
  replayCache(t: TestContext): ReplayCache;
}

export const ADAPTERS: Adapter[] = [
  {
    name: 'memory', rateLimiter: () => createMemoryRateLimiter(), oneTimeStore: () => createMemoryOneTimeStore(),
    replayCache: () => createMemoryReplayCache(),
  },
  {
    name: 'redis', rateLimiter: (t) => createRedisRateLimiter(redisFor(t)), oneTimeStore: (t) => createRedisOneTimeStore(redisFor(t)),
    replayCache: (t) => createRedisReplayCache(redisFor(t)),
  },
];
