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
import type { Config } from '../config/config.ts';
import type { Clock } from '../domain/deps.ts';
import { createMaintenanceScheduler, type MaintenanceScheduler } from './maintenance-scheduler.ts';

const run = promisify(execFile);

export interface MaintenanceOptions {
  /** Unreachable objects younger than this are kept. */
  pruneGraceSeconds: number;
  /** The time the grace period counts back from (a test's clock); now when not given. */
  now?: Date;
}

export async function maintainRepository(path: string, options: MaintenanceOptions): Promise<void> {
  const now = options.now?.getTime() ?? Date.now();
  const expire = new Date(now - options.pruneGraceSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await run('git', [
    '-C', path,
    '-c', 'gc.autoDetach=false',
    '-c', 'repack.writeBitmaps=true',
    '-c', 'pack.writeBitmapHashCache=true',
    'gc', '--quiet', `--prune=${expire}`,
  ], { env: { PATH: process.env.PATH } }); // As the git service runs git: no user's settings.
}

/** The background maintenance `tessera serve` runs after pushes, as configured (TESSERA_GIT_MAINTENANCE_DELAY, TESSERA_GIT_PRUNE_GRACE). */
export function createRepositoryMaintenance(
  config: Pick<Config, 'gitMaintenanceDelay' | 'gitPruneGrace'>,
  clock: Clock,
  onError?: (error: unknown, path: string) => void,
): MaintenanceScheduler {
  return createMaintenanceScheduler({
    delayMs: config.gitMaintenanceDelay * 1000,
    maintain: (path) => maintainRepository(path, { pruneGraceSeconds: config.gitPruneGrace, now: clock.now() }),
    ...(onError && { onError }),
  });
}
