/**
 * The bare git repositories behind repository records, under `<data>/repositories/<owner id>/<repository id>.git`.
 * Paths are built from numeric ids only, never from names a user typed, so no name can reach outside the root.
 *
 * Crash safety: a folder appears at its final path whole or not at all. It is made under
 * `.incoming/<instance>/<id>.git` (one folder per server process) and renamed into place; rename(2) within one
 * file system is atomic. It leaves by the reverse: renamed to `.trash/…` first, then removed. A crash leaves at
 * most a folder in `.incoming` or `.trash`, which clearLeftovers removes once the process that made it is gone.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { InstanceStatus, RepositoryFiles } from '../domain/deps.ts';

const run = promisify(execFile);

const INCOMING = '.incoming';
const TRASH = '.trash';
/**
 * A process on another machine (sharing the root) whose folder in `.incoming` has not changed for this long is taken
 * to be gone: making a repository takes milliseconds, and each one touches that folder.
 */
export const FOREIGN_INSTANCE_STALE_MS = 60 * 60 * 1000;

export function repositoriesRootOf(dataDir: string): string {
  return join(dataDir, 'repositories');
}

/** Path of a repository relative to the root. */
export function repositoryRelativePath(repository: { owner_id: number; id: number }): string {
  return `${repository.owner_id}/${repository.id}.git`;
}

function hostName(): string {
  return hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'localhost';
}

/** `<pid>-<random>@<host>`: unique per process start, and says where to ask whether that process still runs. */
export function newInstanceId(): string {
  return `${process.pid}-${randomBytes(4).toString('hex')}@${hostName()}`;
}

function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isMissing(path: string): Promise<boolean> {
  return stat(path).then(() => false, (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return true;
    throw error;
  });
}

export function createRepositoryFiles(root: string, instance = newInstanceId()): RepositoryFiles {
  const pathOf = (repository: { owner_id: number; id: number }) => join(root, repositoryRelativePath(repository));

  async function instanceStatus(other: string): Promise<InstanceStatus> {
    if (other === instance) return 'this';
    const match = /^(\d+)-[0-9a-f]+@(.+)$/.exec(other);
    if (!match) return 'gone';
    const pid = Number(match[1]);
    // On this machine the process table answers. Our own pid under another id is an earlier process whose pid was
    // given to us (in a container every server may be pid 1).
    if (match[2] === hostName()) return pid !== process.pid && isProcessRunning(pid) ? 'running' : 'gone';
    const folder = await stat(join(root, INCOMING, other)).catch(() => undefined);
    if (!folder) return 'unknown';
    return Date.now() - folder.mtimeMs > FOREIGN_INSTANCE_STALE_MS ? 'gone' : 'running';
  }

  /** Moves a folder out of the way into the trash, then deletes it; a crash in between leaves only trash. */
  async function discard(path: string, label: string): Promise<void> {
    const trashed = join(root, TRASH, `${label}-${randomBytes(6).toString('hex')}`);
    await mkdir(join(root, TRASH), { recursive: true });
    try {
      await rename(path, trashed);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    await rm(trashed, { recursive: true, force: true });
  }

  return {
    root,
    instance,
    pathOf,
    async create(repository) {
      const incoming = join(root, INCOMING, instance, `${repository.id}.git`);
      await rm(incoming, { recursive: true, force: true });
      try {
        await mkdir(join(root, INCOMING, instance), { recursive: true });
        await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', incoming]);
        await mkdir(join(root, String(repository.owner_id)), { recursive: true });
        await rename(incoming, pathOf(repository));
      } catch (error) {
        await rm(incoming, { recursive: true, force: true });
        throw error;
      }
    },
    async remove(repository) {
      await discard(pathOf(repository), `${repository.owner_id}-${repository.id}`);
    },
    async exists(repository) {
      return !(await isMissing(pathOf(repository)));
    },
    async listStored() {
      const stored: Array<{ owner_id: number; id: number }> = [];
      for (const owner of await readdir(root).catch(() => [] as string[])) {
        if (!/^\d+$/.test(owner)) continue;
        for (const name of await readdir(join(root, owner)).catch(() => [] as string[])) {
          const id = /^(\d+)\.git$/.exec(name)?.[1];
          if (id) stored.push({ owner_id: Number(owner), id: Number(id) });
        }
      }
      return stored;
    },
    instanceStatus,
    async clearLeftovers() {
      const cleared: string[] = [];
      for (const other of await readdir(join(root, INCOMING)).catch(() => [] as string[])) {
        if ((await instanceStatus(other)) !== 'gone') continue;
        await rm(join(root, INCOMING, other), { recursive: true, force: true });
        cleared.push(`${INCOMING}/${other}`);
      }
      for (const trashed of await readdir(join(root, TRASH)).catch(() => [] as string[])) {
        await rm(join(root, TRASH, trashed), { recursive: true, force: true });
        cleared.push(`${TRASH}/${trashed}`);
      }
      return cleared;
    },
    async discardStored(repository) {
      await discard(pathOf(repository), `orphan-${repository.owner_id}-${repository.id}`);
    },
  };
}
