/**
 * A repository is a record and a folder of git data; a crash (SIGKILL, power loss) may come between any two steps
 * of making or removing them. The record's `state` is what keeps the two promises below true at every instant:
 *
 * - "Answered 201 ⇒ record and git data both exist": the record is inserted `creating`, the git data is made under a
 *   temporary name and renamed into place (atomic), and only then is the record marked `ready` and the answer sent.
 * - "Found or listed ⇒ cloneable": every lookup (find, list, git) sees `ready` records only.
 * - Deletion runs backwards: the record is marked `deleting` (so it vanishes at once), the folder is renamed to the
 *   trash and removed, then the record is deleted.
 *
 * reconcileRepositories, run when `tessera serve` starts, finishes what a crash left half-done: a `creating` record
 * whose folder is in place is marked `ready` (its data is complete; only the answer was lost); one without its folder
 * whose process is gone is removed (it was never answered); `deleting` records are deleted; folders with no record,
 * half-made folders of gone processes and the trash are removed. A record being created by a process that still
 * runs is left alone, so starting a second server never breaks the first one's work.
 */
import { announceRepositoriesChanged } from './repository-counts.ts';
import type { Deps } from './deps.ts';
import type { RepositoriesTable, RepositoryRow } from '../store/database.ts';
import {
  deleteRepository as deleteRepositoryRow, insertRepository, listReadyRepositories, listRepositoriesInState, listRepositoryIds, updateRepositoryState,
} from '../store/repository-store.ts';
import type { Insertable } from 'kysely';
import { listUsersByIds } from '../store/user-store.ts';

/** A `creating` record of a process we cannot ask about (another machine) is given up after this long. */
export const ABANDONED_CREATION_MS = 60 * 60 * 1000;

type NewRepository = Omit<Insertable<RepositoriesTable>, 'state' | 'instance'>;

/** Inserts the record, makes the git data, and marks it ready; throws (leaving nothing) if any step fails. */
export async function createRepositoryRecordAndFiles(deps: Deps, values: NewRepository): Promise<RepositoryRow> {
  const repository = await insertRepository(deps.db, { ...values, state: 'creating', instance: deps.repositoryFiles.instance });
  try {
    await deps.repositoryFiles.create(repository);
  } catch (error) {
    await deleteRepositoryRow(deps.db, repository.id);
    throw error;
  }
  // Reconciliation may have marked it ready already (harmless); if it removed the record, the data must go too.
  if (!(await updateRepositoryState(deps.db, repository.id, ['creating', 'ready'], 'ready'))) {
    await deps.repositoryFiles.remove(repository);
    throw new Error(`repository ${repository.id} was removed while it was being created`);
  }
  await announceRepositoriesChanged(deps, repository.owner_id);
  return { ...repository, state: 'ready', instance: null };
}

export async function deleteRepositoryRecordAndFiles(deps: Deps, repository: RepositoryRow): Promise<void> {
  if (!(await updateRepositoryState(deps.db, repository.id, ['ready', 'deleting'], 'deleting'))) return;
  await deps.repositoryFiles.remove(repository);
  await deleteRepositoryRow(deps.db, repository.id);
  await announceRepositoriesChanged(deps, repository.owner_id);
}

export interface ReconciliationReport {
  /** Records whose creation had finished but not been marked: now ready. */
  completed: number;
  /** Records whose creation died before its git data was in place: removed. */
  abandoned: number;
  /** Deletions finished. */
  deleted: number;
  /** Folders removed: half-made, half-removed, or without a record. */
  clearedFolders: number;
}

export async function reconcileRepositories(deps: Deps): Promise<ReconciliationReport> {
  const files = deps.repositoryFiles;
  const report: ReconciliationReport = { completed: 0, abandoned: 0, deleted: 0, clearedFolders: 0 };
  const now = deps.clock.now().getTime();
  for (const repository of await listRepositoriesInState(deps.db, 'creating')) {
    if (await files.exists(repository)) {
      if (await updateRepositoryState(deps.db, repository.id, ['creating'], 'ready')) report.completed += 1;
      continue;
    }
    const status = repository.instance ? await files.instanceStatus(repository.instance) : 'gone';
    const isOld = now - Date.parse(repository.created_at) > ABANDONED_CREATION_MS;
    if (status === 'gone' || (status === 'unknown' && isOld)) {
      await deleteRepositoryRow(deps.db, repository.id);
      report.abandoned += 1;
    }
  }
  for (const repository of await listRepositoriesInState(deps.db, 'deleting')) {
    await deleteRepositoryRecordAndFiles(deps, repository);
    report.deleted += 1;
  }
  // Folders first, records second: a record is inserted before its folder appears, so a folder listed here whose
  // record is missing below truly has none (even while another server is creating repositories).
  const stored = await files.listStored();
  const recorded = new Set((await listRepositoryIds(deps.db)).map((row) => `${row.owner_id}/${row.id}`));
  for (const folder of stored) {
    if (recorded.has(`${folder.owner_id}/${folder.id}`)) continue;
    await files.discardStored(folder);
    report.clearedFolders += 1;
  }
  report.clearedFolders += (await files.clearLeftovers()).length;
  return report;
}

/** Every ready repository with its display name and the path of its git data, for maintenance over all of them. */
export async function listRepositoriesToMaintain(deps: Deps): Promise<Array<{ fullName: string; path: string }>> {
  const repositories = await listReadyRepositories(deps.db);
  const owners = new Map((await listUsersByIds(deps.db, [...new Set(repositories.map((r) => r.owner_id))])).map((u) => [u.id, u.username]));
  return repositories.map((repository) => ({
    fullName: `${owners.get(repository.owner_id) ?? repository.owner_id}/${repository.name}`,
    path: deps.repositoryFiles.pathOf(repository),
  }));
}
