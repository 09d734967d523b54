/**
 * The state that several `tessera serve` processes must share, as ports: async interfaces the domain and the HTTP
 * edge call, each with an in-memory adapter (one process, the embedded default) and a Redis adapter (several
 * processes, selected by TESSERA_REDIS_URL) in src/shared-state/. Both pass one conformance suite
 * (test/shared-state/*-conformance.test.ts). Times come from the caller's clock, never from Redis's, so a test's fake
 * clock moves both adapters alike.
 */
export interface RateLimitState {
  limit: number;
  used: number;
  remaining: number;
  /** When the window resets. */
  resetAt: Date;
  exceeded: boolean;
}

/**
 * Fixed windows of RATE_LIMIT_WINDOW_MS that start with a key's first request, as GitHub counts them. A limit of 0
 * means no limit: nothing is counted and nothing is refused.
 */
export interface RateLimiter {
  /** Counts one request against `key` and says where it stands. */
  consume(key: string, limit: number, now: Date): Promise<RateLimitState>;
  /** Where `key` stands, without counting (for GET /rate_limit, and to refuse before doing any work). */
  peek(key: string, limit: number, now: Date): Promise<RateLimitState>;
}

export interface OneTimeEntry {
  field: string;
  value: string;
}

/** Values that are read once: put under a key, taken (and so removed) by the first reader, gone after a time anyway. */
export interface OneTimeStore {
  /** Keeps `value` under `key`/`field` (replacing that field) until taken or until `ttlMs` after `now`. */
  put(key: string, field: string, value: string, ttlMs: number, now: Date): Promise<void>;
  /** Every live entry under `key`, newest first, removed in the same step: a concurrent or later take gets none of them. */
  take(key: string, now: Date): Promise<OneTimeEntry[]>;
}

/**
 * Keys remembered for a time and claimed at most once while they live: a replay cache (a SAML assertion's ID is
 * claimed when the assertion is accepted, so the same assertion posted again, to any process, is refused).
 */
export interface ReplayCache {
  /** True for the first claim of `key`; false for every later claim until `ttlMs` after the `now` of the claim that won. */
  claim(key: string, ttlMs: number, now: Date): Promise<boolean>;
}

/** Messages that every process hears, for dropping cached entries that another process made stale. */
export interface InvalidationBus {
  /** Delivers `message` to this process's subscribers before it resolves, and to every other process's through Redis. */
  publish(message: string): Promise<void>;
  /** Listeners also hear INVALIDATE_ALL whenever delivery becomes sure again after a time when messages may have been lost. */
  subscribe(listener: (message: string) => void): void;
  /** False while messages from other processes may be missed (Redis unreachable): a cache must not answer from memory then. */
  isReliable(): boolean;
}

/** Sent to subscribers when messages may have been missed: drop everything. */
export const INVALIDATE_ALL = '*';

export interface SharedState {
  kind: 'memory' | 'redis';
  rateLimiter: RateLimiter;
  oneTime: OneTimeStore;
  replayCache: ReplayCache;
  invalidations: InvalidationBus;
  close(): Promise<void>;
}

export const RATE_LIMIT_WINDOW_MS = 60 * 60 * 1000;

/** The state of a window with `used` requests counted, from `startedAt`. Shared by the adapters. */
export function rateLimitState(used: number, startedAt: number, limit: number): RateLimitState {
  return {
    limit,
    used: Math.min(used, limit),
    remaining: Math.max(limit - used, 0),
    resetAt: new Date(startedAt + RATE_LIMIT_WINDOW_MS),
    exceeded: limit > 0 && used > limit,
  };
}
