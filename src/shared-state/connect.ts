/**
 * Opens the shared state the configuration names: this process's memory by default, Redis with TESSERA_REDIS_URL.
 *
 * Redis unreachable: commands fail at once (no offline queue, a short timeout) and each port falls back to this
 * process's memory, so the service keeps answering. Authentication never needed Redis (tokens are checked against
 * the database); rate limits then count per process instead of per install, so with N processes a client gets up to
 * N times its limit until Redis is back; a new token's one-time display still works when the redirect lands on the
 * process that made it; cached token checks are bypassed (see the invalidation bus) until Redis is back. The SAML
 * replay cache falls back to this process's memory too: a replay to another process is then still refused, because an
 * accepted response also consumed its one-time request ID (src/saml/request-store.ts), and that ID lives in one store.
 */
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { OneTimeStore, RateLimiter, ReplayCache, SharedState } from '../domain/shared-state.ts';
import { createMemoryInvalidationBus } from './memory-invalidation-bus.ts';
import { createMemoryOneTimeStore } from './memory-one-time-store.ts';
import { createMemoryRateLimiter } from './memory-rate-limiter.ts';
import { createMemoryReplayCache } from './memory-replay-cache.ts';
import { createRedisInvalidationBus } from './redis-invalidation-bus.ts';
import { createRedisOneTimeStore } from './redis-one-time-store.ts';
import { createRedisRateLimiter } from './redis-rate-limiter.ts';
import { createRedisReplayCache } from './redis-replay-cache.ts';

/** How long a Redis command may take before the port falls back; a healthy Redis on a LAN answers in well under 1 ms. */
const REDIS_COMMAND_TIMEOUT_MS = 500;
/** One warning per this interval while Redis keeps failing, not one per request. */
const WARNING_INTERVAL_MS = 10_000;

export type SharedStateWarning = (error: unknown, message: string) => void;

export function createMemorySharedState(): SharedState {
  return {
    kind: 'memory',
    rateLimiter: createMemoryRateLimiter(),
    oneTime: createMemoryOneTimeStore(),
    replayCache: createMemoryReplayCache(),
    invalidations: createMemoryInvalidationBus(),
    close: async () => {},
  };
}

function throttled(warn: SharedStateWarning): SharedStateWarning {
  let last = -Infinity;
  return (error, message) => {
    const now = Date.now();
    if (now - last < WARNING_INTERVAL_MS) return;
    last = now;
    warn(error, message);
  };
}

function rateLimiterWithFallback(redis: RateLimiter, memory: RateLimiter, warn: SharedStateWarning): RateLimiter {
  const fallback = (method: 'consume' | 'peek'): RateLimiter['consume'] => async (key, limit, now) => {
    try {
      return await redis[method](key, limit, now);
    } catch (error) {
      warn(error, 'Redis unreachable: rate limits count in this process only');
      return memory[method](key, limit, now);
    }
  };
  return { consume: fallback('consume'), peek: fallback('peek') };
}

function oneTimeStoreWithFallback(redis: OneTimeStore, memory: OneTimeStore, warn: SharedStateWarning): OneTimeStore {
  return {
    async put(key, field, value, ttlMs, now) {
      try {
        await redis.put(key, field, value, ttlMs, now);
      } catch (error) {
        warn(error, 'Redis unreachable: one-time values kept in this process only');
        await memory.put(key, field, value, ttlMs, now);
      }
    },
    async take(key, now) {
      const shared = await redis.take(key, now).catch((error: unknown) => {
        warn(error, 'Redis unreachable: one-time values read from this process only');
        return [];
      });
      return [...shared, ...(await memory.take(key, now))];
    },
  };
}

function replayCacheWithFallback(redis: ReplayCache, memory: ReplayCache, warn: SharedStateWarning): ReplayCache {
  return {
    async claim(key, ttlMs, now) {
      try {
        return await redis.claim(key, ttlMs, now);
      } catch (error) {
        warn(error, 'Redis unreachable: replayed SAML assertions are recognised in this process only');
        return memory.claim(key, ttlMs, now);
      }
    },
  };
}

export interface OpenedSharedState extends SharedState {
  /** Resolves when Redis is connected and subscribed (at once for memory). */
  ready: Promise<void>;
}

export function openSharedState(config: Pick<Config, 'redisUrl' | 'redisPrefix'>, onWarning: SharedStateWarning = () => {}): OpenedSharedState {
  if (!config.redisUrl) return { ...createMemorySharedState(), ready: Promise.resolve() };
  const warn = throttled(onWarning);
  const options = {
    keyPrefix: config.redisPrefix,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    autoResubscribe: false,
    // Reconnect for ever, at most every two seconds: Redis coming back must heal the service by itself.
    retryStrategy: (attempt: number) => Math.min(attempt * 100, 2000),
  };
  const redis = new Redis(config.redisUrl, options);
  const subscriber = new Redis(config.redisUrl, options);
  // Connection errors are expected while Redis is down; the ports say so through `warn` when it matters.
  redis.on('error', () => {});
  subscriber.on('error', () => {});
  const memory = createMemorySharedState();
  const bus = createRedisInvalidationBus(redis, subscriber, `${config.redisPrefix}invalidate`);
  return {
    kind: 'redis',
    rateLimiter: rateLimiterWithFallback(createRedisRateLimiter(redis), memory.rateLimiter, warn),
    oneTime: oneTimeStoreWithFallback(createRedisOneTimeStore(redis), memory.oneTime, warn),
    replayCache: replayCacheWithFallback(createRedisReplayCache(redis), memory.replayCache, warn),
    invalidations: {
      publish: (message) => bus.publish(message).catch((error: unknown) => warn(error, 'Redis unreachable: invalidation not sent to other processes')),
      subscribe: bus.subscribe,
      isReliable: bus.isReliable,
    },
    ready: bus.ready,
    async close() {
      redis.disconnect();
      subscriber.disconnect();
    },
  };
}

/** How long start-up waits for Redis before going on without it (it connects later by itself). */
export const REDIS_START_WAIT_MS = 5000;

/** True once the shared state is ready, false if `ms` passed first. */
export function isReadyWithin(shared: OpenedSharedState, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void shared.ready.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
