/**
 * "Last used" without a database write per request: a token's last_used_at is written at most once per
 * LAST_USED_WRITE_INTERVAL_MS by this process, so a busy token costs one write a minute, not one per call. The list
 * page therefore shows last use to within that interval, which is all a person reading it needs (Gitea and Lucia
 * throttle the same write for the same reason).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { updateTokenLastUsed } from '../store/token-store.ts';

export const LAST_USED_WRITE_INTERVAL_MS = 60_000;

export interface LastUsedRecorder {
  /** Records a use at `now`; resolves once any write it decided to make is done. Never throws. */
  record(db: Kysely<Database>, token: { id: number; last_used_at: string | null }, now: Date): Promise<void>;
}

/** Entries older than the interval are dropped once the map passes this, so it never outgrows the active tokens. */
const PRUNE_THRESHOLD = 10_000;

export function createLastUsedRecorder(onError: (error: unknown) => void = () => {}): LastUsedRecorder {
  const lastWritten = new Map<number, number>();
  return {
    async record(db, token, now) {
      if (lastWritten.size >= PRUNE_THRESHOLD) {
        for (const [id, at] of lastWritten) if (now.getTime() - at >= LAST_USED_WRITE_INTERVAL_MS) lastWritten.delete(id);
      }
      const stored = token.last_used_at ? Date.parse(token.last_used_at) : undefined;
      const previous = lastWritten.get(token.id) ?? stored;
      if (previous !== undefined && now.getTime() - previous < LAST_USED_WRITE_INTERVAL_MS) return;
      lastWritten.set(token.id, now.getTime());
      try {
        await updateTokenLastUsed(db, token.id, now.toISOString());
      } catch (error) {
        // Losing one last-used write is harmless; failing the request that caused it would not be.
        lastWritten.delete(token.id);
        onError(error);
      }
    },
  };
}
