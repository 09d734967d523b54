/**
 * One-time values in Redis: one hash per key, field → {value, expiresAt}; the hash expires with its newest entry.
 * Taking reads and deletes the hash in one MULTI, so two processes never both get an entry.
 */
import type { Redis } from 'ioredis';
import type { OneTimeEntry, OneTimeStore } from '../domain/shared-state.ts';

interface Stored {
  value: string;
  expiresAt: number;
}

export function createRedisOneTimeStore(redis: Redis): OneTimeStore {
  const keyOf = (key: string) => `once:${key}`;
  return {
    async put(key, field, value, ttlMs, now) {
      const stored: Stored = { value, expiresAt: now.getTime() + ttlMs };
      await redis.multi().hset(keyOf(key), field, JSON.stringify(stored)).pexpire(keyOf(key), ttlMs).exec();
    },
    async take(key, now) {
      const results = await redis.multi().hgetall(keyOf(key)).del(keyOf(key)).exec();
      const [error, hash] = results?.[0] ?? [new Error('Redis transaction aborted')];
      if (error) throw error;
      const entries: Array<OneTimeEntry & { expiresAt: number }> = [];
      for (const [field, text] of Object.entries(hash as Record<string, string>)) {
        const stored = JSON.parse(text) as Stored;
        if (stored.expiresAt > now.getTime()) entries.push({ field, value: stored.value, expiresAt: stored.expiresAt });
      }
      // Entries put later expire later: newest first.
      return entries.sort((a, b) => b.expiresAt - a.expiresAt).map(({ field, value }) => ({ field, value }));
    },
  };
}
