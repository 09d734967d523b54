/**
 * The bare git repositories behind repository records, under `<data>/repositories/<owner id>/<repository id>.git`.
 * Paths are built from numeric ids only, never from names a user typed, so no name can reach outside the root.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RepositoryFiles } from '../domain/deps.ts';

const run = promisify(execFile);

export function repositoriesRootOf(dataDir: string): string {
  return join(dataDir, 'repositories');
}

/** Path of a repository relative to the root. */
export function repositoryRelativePath(repository: { owner_id: number; id: number }): string {
  return `${repository.owner_id}/${repository.id}.git`;
}

export function createRepositoryFiles(root: string): RepositoryFiles {
  const pathOf = (repository: { owner_id: number; id: number }) => join(root, repositoryRelativePath(repository));
  return {
    root,
    pathOf,
    async create(repository) {
      const path = pathOf(repository);
      await mkdir(join(root, String(repository.owner_id)), { recursive: true });
      await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', path]);
    },
    async remove(repository) {
      await rm(pathOf(repository), { recursive: true, force: true });
    },
  };
}
