/**
 * The bare git repositories behind imported repository records. They are not in the export file (they can be
 * large, and `cp -a`/rsync copy them better); the import can copy them from the old repositories folder, and
 * always checks that every record has its folder, since a record without one is a repository that cannot clone.
 */
import { existsSync } from 'node:fs';
import { cp } from 'node:fs/promises';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { repositoryRelativePath } from '../../git/repository-files.ts';
import type { Database } from '../../store/database.ts';
import { readRowsInBatches } from '../../store/export-store.ts';
import { startProgress } from './progress.ts';

const READ_BATCH_ROWS = 1000;

export interface FolderReport {
  copied: number;
  /** Already in the target's repositories folder (the same data folder, or copied by hand). */
  present: number;
  /** Relative paths (`<owner id>/<id>.git`) found nowhere. */
  missing: string[];
}

/** Copies every repository record's folder from `from` (when given) into `root`, leaving existing folders alone. */
export async function placeRepositoryFolders(db: Kysely<Database>, root: string, from: string | undefined, total: number): Promise<FolderReport> {
  const report: FolderReport = { copied: 0, present: 0, missing: [] };
  const progress = from !== undefined && total > 0 ? startProgress('copy', { repositories: total }) : undefined;
  try {
    for await (const rows of readRowsInBatches(db, 'repositories', READ_BATCH_ROWS)) {
      for (const row of rows) {
        const relative = repositoryRelativePath({ owner_id: Number(row.owner_id), id: Number(row.id) });
        const target = join(root, relative);
        if (existsSync(target)) report.present += 1;
        else if (from !== undefined && existsSync(join(from, relative))) {
          await cp(join(from, relative), target, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
          report.copied += 1;
        } else report.missing.push(relative);
      }
      progress?.advance('repositories', rows.length);
    }
  } finally {
    progress?.finish();
  }
  return report;
}
