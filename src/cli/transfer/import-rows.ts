/**
 * Reads an export file line by line into an empty store, in one transaction: the store ends up with the whole
 * file or, on any problem (a damaged or truncated file, a row the database refuses), exactly as empty as before,
 * so the fix is always "correct the cause and run the import again".
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  type ColumnShape, countStoredRows, describeExportedTables, EXPORTED_TABLES, type ExportedRow, insertRows,
  resetIdSequences,
} from '../../store/export-store.ts';
import { checkRow, ExportFileError, type ExportHeader, parseBodyLine, parseHeader, type TableCounts } from './export-file.ts';
import { startProgress } from './progress.ts';

/** Bind parameters per INSERT stay well under SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMETERS_PER_INSERT = 30_000;
const MAX_ROWS_PER_INSERT = 500;

/** The target already holds data; `counts` says what. */
export class NonEmptyTargetError extends Error {
  readonly counts: Record<string, number>;

  constructor(counts: Record<string, number>) {
    super('the target store is not empty');
    this.counts = counts;
  }
}

function lines(path: string): AsyncIterableIterator<string> {
  return createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity })[Symbol.asyncIterator]();
}

/** Reads and checks only the header, before the target is touched. */
export async function readExportHeader(path: string): Promise<ExportHeader> {
  const reader = lines(path);
  try {
    const first = await reader.next();
    return parseHeader(first.done ? undefined : first.value);
  } finally {
    await reader.return?.();
  }
}

export async function importRows(db: Kysely<Database>, path: string): Promise<TableCounts> {
  const columns = await describeExportedTables(db);
  return db.transaction().execute(async (trx) => {
    const present = await countStoredRows(trx);
    if (Object.values(present).some((count) => count > 0)) throw new NonEmptyTargetError(present);

    const reader = lines(path);
    const header = parseHeader((await reader.next()).value);
    const progress = startProgress('import', header.counts);
    const received = Object.fromEntries(EXPORTED_TABLES.map((table) => [table, 0])) as TableCounts;
    let tableIndex = 0;
    let batch: ExportedRow[] = [];
    let lineNumber = 1;
    let end: TableCounts | undefined;

    const flush = async () => {
      const table = EXPORTED_TABLES[tableIndex]!;
      try {
        await insertRows(trx, table, batch);
      } catch (error) {
        throw new ExportFileError(`the database refused ${table} rows read up to line ${lineNumber} (${(error as Error).message})`);
      }
      progress.advance(table, batch.length);
      batch = [];
    };

    try {
      for await (const text of reader) {
        lineNumber += 1;
        if (text.trim() === '') continue;
        if (end) throw new ExportFileError(`line ${lineNumber} follows the end line: the file is damaged`);
        const parsed = parseBodyLine(text, lineNumber);
        if (parsed.kind === 'end') {
          if (batch.length > 0) await flush();
          end = parsed.counts;
          continue;
        }
        const index = EXPORTED_TABLES.indexOf(parsed.table);
        if (index < tableIndex) throw new ExportFileError(`line ${lineNumber}: a ${parsed.table} row after the ${EXPORTED_TABLES[tableIndex]} rows: the file is damaged`);
        if (index > tableIndex && batch.length > 0) await flush();
        tableIndex = index;
        checkRow(parsed.table, parsed.row, columns[parsed.table], lineNumber);
        batch.push(parsed.row);
        received[parsed.table] += 1;
        if (batch.length >= batchRowsFor(columns[parsed.table])) await flush();
      }
    } finally {
      // Ends the progress line, so a message after it starts on a line of its own.
      progress.finish();
    }
    if (!end) throw new ExportFileError(`it ends at line ${lineNumber} without its end line: the file is incomplete (truncated while copying or exporting?)`);
    for (const table of EXPORTED_TABLES) {
      if (received[table] !== end[table] || received[table] !== header.counts[table]) {
        throw new ExportFileError(`it holds ${received[table]} ${table} rows, but its header says ${header.counts[table]} and its end line ${end[table]}: the file is damaged`);
      }
    }
    await resetIdSequences(trx);
    return received;
  });
}

function batchRowsFor(columns: readonly ColumnShape[]): number {
  return Math.max(1, Math.min(MAX_ROWS_PER_INSERT, Math.floor(MAX_PARAMETERS_PER_INSERT / columns.length)));
}
