/**
 * Verified tokens kept in this process's memory, so a busy token is checked without a store query.
 *
 * Stored per entry: the token's record (id, owner, scopes, times; the SHA-256 of the secret is the key, the secret
 * itself is never seen here) and its owner's record, until TOKEN_CACHE_TTL_MS after the read that produced it began.
 * Bounded to TOKEN_CACHE_MAX_ENTRIES (about the least recently used dropped first). Only tokens that passed a check
 * are cached: a flood of unknown tokens cannot fill it.
 *
 * Threats, and the answers:
 * - A token deleted, regenerated or revoked elsewhere: every change publishes `tokenChanged`/`userChanged` on the
 *   invalidation bus (deps.shared.invalidations); every process drops the entry on hearing it (at once in the
 *   publishing process, the memory bus being synchronous). Messages lost (Redis down) mean the bus is not reliable:
 *   the cache is bypassed then, and emptied when the bus is reliable again (INVALIDATE_ALL). A process that cannot
 *   hear the others at all (the CLI next to a server on SQLite, without Redis) is covered by the TTL: an entry lives
 *   at most one second, which is the promise (a revoked token stops working everywhere within one second).
 * - A check that read the store before a revocation committed, and stores its now-stale row after the invalidation
 *   was heard: each message bumps a generation counter; a read that began under an older generation is not cached.
 * - An expired token: expiry is checked against the clock on every hit, never cached as "valid".
 */
import { INVALIDATE_ALL, type InvalidationBus } from './shared-state.ts';
import type { UserRow } from '../store/database.ts';
import type { PersonalAccessToken } from './tokens.ts';

/** The promise: a revoked token stops working on every process within one second, even without a message. */
export const TOKEN_CACHE_TTL_MS = 1000;
/**
 * An entry used when it is this old is read again in the background, and answers meanwhile (refresh-ahead): a token
 * in steady use never leaves the cache, so its checks never all miss at once. With entries that simply expired, every
 * check that came before the new read finished read the store itself. bench/api-auth's traffic on PostgreSQL (16
 * tokens of 4 users; 10 s, half at 8,000 requests a second, half at saturation) made 241 store transactions a second;
 * with refresh-ahead here and for the repository counts (repository-counts.ts), 116, and Tessera answered 3.7% more
 * requests (bench/serve-ab, 4 rounds out of 4).
 */
export const TOKEN_CACHE_REFRESH_AFTER_MS = 750;
/** About 1 KB an entry: 1 MB at the cap, far above the tokens one process sees used within a second. */
export const TOKEN_CACHE_MAX_ENTRIES = 1000;

export interface CachedToken {
  token: PersonalAccessToken;
  user: UserRow;
}

export interface TokenCache {
  /** The entry for this token hash, if cached, fresh and the bus is reliable. Expiry is the caller's to check. */
  get(tokenHash: string, now: number): CachedToken | undefined;
  /** Call before reading the store; pass the answer to `set`, which refuses a read that an invalidation overtook. */
  generation(): number;
  set(tokenHash: string, entry: CachedToken, readGeneration: number, readStartedAt: number): void;
  /**
   * True once for an entry used TOKEN_CACHE_REFRESH_AFTER_MS or more after its read began: the caller reads the store
   * again and passes the answer to `set`. A read that fails or is overtaken leaves the entry to expire.
   */
  claimRefresh(tokenHash: string, now: number): boolean;
  size(): number;
}

/** Invalidation messages; other caches may share the bus, so each names what it is about. */
export const tokenChanged = (tokenId: number) => `personal-access-token:${tokenId}`;
export const userChanged = (userId: number) => `user:${userId}`;

interface Entry extends CachedToken {
  expiresAt: number;
  /** Used since eviction last passed it over: it gets a second chance (see set). */
  used: boolean;
  refreshAt: number;
  refreshing: boolean;
}

export function createTokenCache(
  bus: InvalidationBus,
  options: { ttlMs?: number; maxEntries?: number } = {},
): TokenCache {
  const ttlMs = options.ttlMs ?? TOKEN_CACHE_TTL_MS;
  const refreshAfterMs = Math.min(TOKEN_CACHE_REFRESH_AFTER_MS, ttlMs);
  const maxEntries = options.maxEntries ?? TOKEN_CACHE_MAX_ENTRIES;
  // A Map keeps insertion order. Rather than re-inserting an entry on every hit (two more look-ups on the hottest
  // path), a hit marks it used, and eviction moves marked entries from the front to the back instead of dropping them
  // ("second chance"): the first unmarked entry is about the least recently used.
  const entries = new Map<string, Entry>();
  let generation = 0;

  const dropWhere = (matches: (entry: Entry) => boolean) => {
    for (const [key, entry] of entries) if (matches(entry)) entries.delete(key);
  };
  bus.subscribe((message) => {
    generation += 1;
    if (message === INVALIDATE_ALL) entries.clear();
    else if (message.startsWith('personal-access-token:')) {
      const id = Number(message.slice('personal-access-token:'.length));
      dropWhere((entry) => entry.token.id === id);
    } else if (message.startsWith('user:')) {
      const id = Number(message.slice('user:'.length));
      dropWhere((entry) => entry.user.id === id);
    }
  });

  return {
    get(tokenHash, now) {
      if (!bus.isReliable()) return undefined;
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (now >= entry.expiresAt || now < entry.expiresAt - ttlMs) {
        entries.delete(tokenHash);
        return undefined;
      }
      entry.used = true;
      return entry;
    },
    generation: () => generation,
    set(tokenHash, entry, readGeneration, readStartedAt) {
      if (readGeneration !== generation || !bus.isReliable()) return;
      entries.delete(tokenHash);
      entries.set(tokenHash, { ...entry, expiresAt: readStartedAt + ttlMs, used: false, refreshAt: readStartedAt + refreshAfterMs, refreshing: false });
      while (entries.size > maxEntries) {
        const [oldestHash, oldest] = entries.entries().next().value!;
        entries.delete(oldestHash);
        if (!oldest.used) break;
        oldest.used = false;
        entries.set(oldestHash, oldest);
      }
    },
    claimRefresh(tokenHash, now) {
      const entry = entries.get(tokenHash);
      if (!entry || entry.refreshing || now < entry.refreshAt) return false;
      entry.refreshing = true;
      return true;
    },
    size: () => entries.size,
  };
}
