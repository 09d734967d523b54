/**
 * "Last used" without a database write per request. Two throttles, for two reasons:
 * - in this process, a token is written at most once per LAST_USED_WRITE_INTERVAL_MS (no query at all otherwise);
 * - across processes, the write itself is conditional (`… WHERE last_used_at IS NULL OR last_used_at < now −
 *   interval`), so N processes that each decide to write within one interval change the row once.
 * The list page therefore shows last use to within that interval, which is all a person reading it needs (Gitea and
 * Lucia throttle the same write for the same reason).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { updateTokenLastUsed } from '../store/token-store.ts';

export const LAST_USED_WRITE_INTERVAL_MS = 60_000;
/** Tokens remembered by the in-process throttle; past it the least recently written is forgotten (it may write again). */
export const LAST_USED_MAX_TRACKED = 10_000;

export interface LastUsedRecorder {
  /**
   * Records a use at `now`. When it decides to write, returns a promise that resolves once the write is done;
   * otherwise (nearly always) returns nothing, so the hot path waits for nothing. Never throws or rejects.
   */
  record(db: Kysely<Database>, token: { id: number; lastUsedAt: Date | null }, now: Date): Promise<void> | undefined;
}

export function createLastUsedRecorder(
  onError: (error: unknown) => void = () => {},
  maxTracked = LAST_USED_MAX_TRACKED,
): LastUsedRecorder & { size(): number } {
  // Insertion order is write order (a token is re-inserted when written), so the oldest writes are at the front.
  const lastWritten = new Map<number, number>();
  const forgetOld = (now: number) => {
    for (const [id, at] of lastWritten) {
      if (lastWritten.size <= maxTracked && now - at < LAST_USED_WRITE_INTERVAL_MS) return;
      lastWritten.delete(id);
    }
  };
  const write = async (db: Kysely<Database>, tokenId: number, now: Date) => {
    try {
      await updateTokenLastUsed(db, tokenId, now.toISOString(), new Date(now.getTime() - LAST_USED_WRITE_INTERVAL_MS + 1).toISOString());
    } catch (error) {
      // Losing one last-used write is harmless; failing the request that caused it would not be.
      lastWritten.delete(tokenId);
      onError(error);
    }
  };
  return {
    record(db, token, now) {
      const at = now.getTime();
      // What this process wrote last, else what the store had when the token was read.
      const previous = lastWritten.get(token.id) ?? token.lastUsedAt?.getTime();
      if (previous !== undefined && at - previous < LAST_USED_WRITE_INTERVAL_MS && at >= previous) return undefined;
      lastWritten.delete(token.id);
      lastWritten.set(token.id, at);
      forgetOld(at);
      return write(db, token.id, now);
    },
    size: () => lastWritten.size,
  };
}
