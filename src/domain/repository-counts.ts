/**
 * How many public and private repositories a user owns, for the user JSON (`public_repos`, `total_private_repos`).
 * GET /user is the API's hottest route and these counts change rarely, so each process keeps them for at most
 * REPOSITORY_COUNTS_TTL_MS, drops them at once when this process creates or deletes one of the user's repositories,
 * and drops them on the shared bus's `userChanged` (other processes) and INVALIDATE_ALL messages; a read that such a
 * message overtook is not kept.
 */
import { countRepositoriesByVisibility } from '../store/repository-store.ts';
import type { Deps } from './deps.ts';
import { refreshInBackground } from './background-work.ts';
import { INVALIDATE_ALL, type InvalidationBus } from './shared-state.ts';
import { userChanged } from './token-cache.ts';

export const REPOSITORY_COUNTS_TTL_MS = 1000;
/** Counts used when this old are read again in the background and answer meanwhile, as token-cache.ts's entries. */
export const REPOSITORY_COUNTS_REFRESH_AFTER_MS = 750;
const MAX_ENTRIES = 10_000;

export interface RepositoryCounts {
  public: number;
  private: number;
}

export interface RepositoryCountsCache {
  get(userId: number, now: number): RepositoryCounts | undefined;
  /** Call before reading the store; pass the answer to `set`, which refuses a read that an invalidation overtook. */
  generation(): number;
  set(userId: number, counts: RepositoryCounts, readGeneration: number, readStartedAt: number): void;
  /** True once for counts used REPOSITORY_COUNTS_REFRESH_AFTER_MS or more after they were read: read them again. */
  claimRefresh(userId: number, now: number): boolean;
}

export function createRepositoryCountsCache(bus: InvalidationBus): RepositoryCountsCache {
  const entries = new Map<number, { counts: RepositoryCounts; at: number; refreshing: boolean }>();
  let generation = 0;
  bus.subscribe((message) => {
    generation += 1;
    if (message === INVALIDATE_ALL) entries.clear();
    else if (message.startsWith('user:')) entries.delete(Number(message.slice('user:'.length)));
  });
  return {
    get(userId, now) {
      const entry = entries.get(userId);
      if (!bus.isReliable() || !entry || now - entry.at >= REPOSITORY_COUNTS_TTL_MS || now < entry.at) return undefined;
      return entry.counts;
    },
    generation: () => generation,
    set(userId, counts, readGeneration, readStartedAt) {
      if (readGeneration !== generation) return;
      entries.delete(userId);
      if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
      entries.set(userId, { counts, at: readStartedAt, refreshing: false });
    },
    claimRefresh(userId, now) {
      const entry = entries.get(userId);
      if (!entry || entry.refreshing || now - entry.at < REPOSITORY_COUNTS_REFRESH_AFTER_MS) return false;
      entry.refreshing = true;
      return true;
    },
  };
}

export async function countRepositoriesOf(deps: Deps, userId: number): Promise<RepositoryCounts> {
  const now = deps.clock.now().getTime();
  const cached = deps.repositoryCounts.get(userId, now);
  if (!cached) return readIntoCache(deps, userId, now);
  if (deps.repositoryCounts.claimRefresh(userId, now)) {
    refreshInBackground(deps, 'repository counts refresh', () => readIntoCache(deps, userId, now));
  }
  return cached;
}

async function readIntoCache(deps: Deps, userId: number, readStartedAt: number): Promise<RepositoryCounts> {
  const generation = deps.repositoryCounts.generation();
  // Frozen: one cached value serves many requests (and GET /user keeps its body beside it).
  const counts = Object.freeze(await countRepositoriesByVisibility(deps.db, userId));
  deps.repositoryCounts.set(userId, counts, generation, readStartedAt);
  return counts;
}

/** Every process drops its counts (and cached token checks) for this owner; call after the change committed. */
export async function announceRepositoriesChanged(deps: Deps, ownerId: number): Promise<void> {
  await deps.shared.invalidations.publish(userChanged(ownerId));
}
