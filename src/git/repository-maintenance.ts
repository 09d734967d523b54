/**
 * Housekeeping of a bare repository, as a hosting service does it after pushes:
 *
 * - A push leaves its objects as sent (a pack without a bitmap index, or loose objects), so every clone must walk
 *   the history to count objects. `git gc` repacks everything reachable into one pack with a reachability bitmap
 *   (repack.writeBitmaps), which lets upload-pack answer a clone without that walk (bench/git-clone.ts).
 * - Objects no ref reaches any more (a deleted branch, a force-push) stay fetchable by hash until pruned. They are
 *   pruned once older than a grace period, not at once: a push under way may still refer to them (git-gc(1), "NOTES").
 *
 * git's own gc is safe alongside pushes (new objects are never removed inside the grace period, and packs are
 * replaced by rename) and refuses to run twice at once in one repository (gc.pid); the scheduler also keeps to one
 * run per repository in this process.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface MaintenanceOptions {
  /** Unreachable objects younger than this are kept. */
  pruneGraceSeconds: number;
}

/** Two weeks, git's own default for gc.pruneExpire. */
export const DEFAULT_PRUNE_GRACE_SECONDS = 14 * 24 * 60 * 60;

export async function maintainRepository(path: string, options: MaintenanceOptions): Promise<void> {
  await run('git', [
    '-C', path,
    '-c', 'gc.autoDetach=false',
    '-c', 'repack.writeBitmaps=true',
    '-c', 'pack.writeBitmapHashCache=true',
    'gc', '--quiet', `--prune=${options.pruneGraceSeconds}.seconds.ago`,
  ], { env: { PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', HOME: path } });
}
