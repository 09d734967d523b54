/** One-time values in this process's memory; expired keys are dropped as new ones are put. */
import type { OneTimeEntry, OneTimeStore } from '../domain/shared-state.ts';

interface Entry extends OneTimeEntry {
  expiresAt: number;
}

export function createMemoryOneTimeStore(): OneTimeStore {
  const keys = new Map<string, Entry[]>();
  const live = (entries: Entry[], now: Date) => entries.filter((entry) => entry.expiresAt > now.getTime());
  return {
    async put(key, field, value, ttlMs, now) {
      // Keys are few (one per browser that just made a token) and short-lived; drop the dead ones from the front.
      for (const [other, entries] of keys) {
        if (live(entries, now).length > 0) break;
        keys.delete(other);
      }
      const others = (keys.get(key) ?? []).filter((entry) => entry.field !== field);
      keys.delete(key);
      keys.set(key, [{ field, value, expiresAt: now.getTime() + ttlMs }, ...others]);
    },
    async take(key, now) {
      const entries = keys.get(key) ?? [];
      keys.delete(key);
      return live(entries, now).map(({ field, value }) => ({ field, value }));
    },
  };
}
