/**
 * Writes a whole store to an export file (format in export-file.ts), one batch of rows at a time, from one
 * read-only snapshot: a server running meanwhile cannot add a token whose user is not in the file.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { countRows, EXPORTED_TABLES, latestAppliedMigration, readRowsInBatches } from '../../store/export-store.ts';
import { endLine, headerLine, rowLine, type TableCounts } from './export-file.ts';
import { startProgress } from './progress.ts';

/** Rows read per query: large enough to be quick, small enough that memory stays flat. */
const READ_BATCH_ROWS = 1000;

export async function exportRows(db: Kysely<Database>, file: FileHandle, exportedAt: Date): Promise<TableCounts> {
  return db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(async (trx) => {
    const counts = {} as TableCounts;
    for (const table of EXPORTED_TABLES) counts[table] = await countRows(trx, table);
    await file.write(headerLine(await latestAppliedMigration(trx), exportedAt, counts));
    const progress = startProgress('export', counts);
    const written = {} as TableCounts;
    try {
      for (const table of EXPORTED_TABLES) {
        written[table] = 0;
        for await (const rows of readRowsInBatches(trx, table, READ_BATCH_ROWS)) {
          await file.write(rows.map((row) => rowLine(table, row)).join(''));
          written[table] += rows.length;
          progress.advance(table, rows.length);
        }
      }
    } finally {
      progress.finish();
    }
    await file.write(endLine(written));
    return written;
  });
}
