/**
 * The export file: JSON Lines, so it is written and read one row at a time however large the install.
 *
 *   {"format":"tessera-export","version":1,"schema":"<newest migration>","exported_at":"…","counts":{"users":2,…},"dropped":["web_sessions"]}
 *   {"table":"users","row":{"id":1,"username":"alice",…}}          one line per row, tables in EXPORTED_TABLES order
 *   {"end":true,"counts":{"users":2,…}}                               the last line: a file without it is incomplete
 *
 * Rows hold every column as stored: password hashes and token hashes, never a secret (none is stored).
 */
import { MIGRATIONS } from '../../migrations/index.ts';
import { type ColumnShape, DROPPED_TABLES, EXPORTED_TABLES, type ExportedRow, type ExportedTable } from '../../store/export-store.ts';

export const EXPORT_FORMAT = 'tessera-export';
export const EXPORT_VERSION = 1;

export type TableCounts = Record<ExportedTable, number>;

export interface ExportHeader {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  schema: string;
  exported_at: string;
  counts: TableCounts;
  dropped: readonly string[];
}

export function headerLine(schema: string, exportedAt: Date, counts: TableCounts): string {
  const header: ExportHeader = { format: EXPORT_FORMAT, version: EXPORT_VERSION, schema, exported_at: exportedAt.toISOString(), counts, dropped: DROPPED_TABLES };
  return `${JSON.stringify(header)}\n`;
}

export function rowLine(table: ExportedTable, row: ExportedRow): string {
  return `${JSON.stringify({ table, row })}\n`;
}

export function endLine(counts: TableCounts): string {
  return `${JSON.stringify({ end: true, counts })}\n`;
}

/** A problem with the file, said so the user knows what to do; `line` is 1-based. */
export class ExportFileError extends Error {}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string, line: number): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ExportFileError(`line ${line} is not valid JSON: the file is damaged or incomplete`);
  }
  if (!isObject(value)) throw new ExportFileError(`line ${line} is not a JSON object: the file is damaged`);
  return value;
}

function parseCounts(value: unknown, line: number): TableCounts {
  if (!isObject(value)) throw new ExportFileError(`line ${line} has no table counts`);
  const counts = {} as TableCounts;
  for (const table of EXPORTED_TABLES) {
    const count = value[table];
    if (!Number.isSafeInteger(count) || (count as number) < 0) throw new ExportFileError(`line ${line} has no valid count for ${table}`);
    counts[table] = count as number;
  }
  return counts;
}

export function parseHeader(text: string | undefined): ExportHeader {
  if (text === undefined || text.trim() === '') throw new ExportFileError('it is empty: export again with tessera export --out FILE');
  let value: Record<string, unknown>;
  try {
    value = parseJson(text, 1);
  } catch {
    throw new ExportFileError('it is not a Tessera export (its first line is not a tessera-export header)');
  }
  if (value.format !== EXPORT_FORMAT) throw new ExportFileError('it is not a Tessera export (its first line is not a tessera-export header)');
  if (value.version !== EXPORT_VERSION) {
    throw new ExportFileError(`it is in export format version ${String(value.version)}, which this Tessera does not read (it reads version ${EXPORT_VERSION}): import it with the Tessera version that exported it, or a newer one`);
  }
  if (typeof value.schema !== 'string' || !Object.hasOwn(MIGRATIONS, value.schema)) {
    throw new ExportFileError(`its schema ${JSON.stringify(value.schema)} is unknown to this Tessera: upgrade Tessera to the version that exported it (or newer), then import again`);
  }
  const exportedAt = typeof value.exported_at === 'string' ? value.exported_at : '';
  return { format: EXPORT_FORMAT, version: EXPORT_VERSION, schema: value.schema, exported_at: exportedAt, counts: parseCounts(value.counts, 1), dropped: DROPPED_TABLES };
}

export type BodyLine = { kind: 'row'; table: ExportedTable; row: ExportedRow } | { kind: 'end'; counts: TableCounts };

export function parseBodyLine(text: string, line: number): BodyLine {
  const value = parseJson(text, line);
  if (value.end === true) return { kind: 'end', counts: parseCounts(value.counts, line) };
  const table = value.table;
  if (typeof table !== 'string' || !(EXPORTED_TABLES as readonly string[]).includes(table)) {
    throw new ExportFileError(`line ${line} names no known table (${JSON.stringify(table)})`);
  }
  if (!isObject(value.row)) throw new ExportFileError(`line ${line} has no row`);
  return { kind: 'row', table: table as ExportedTable, row: value.row };
}

function fitsColumn(value: unknown, column: ColumnShape): boolean {
  if (value === null) return column.nullable;
  if (column.kind === 'integer') return Number.isSafeInteger(value);
  if (column.kind === 'text') return typeof value === 'string';
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Checks a row against the target's columns: no unknown column, every required one, each value of its type. */
export function checkRow(table: ExportedTable, row: ExportedRow, columns: readonly ColumnShape[], line: number): void {
  if (!Number.isSafeInteger(row.id) || (row.id as number) < 1) throw new ExportFileError(`line ${line}: ${table} row without a valid id`);
  for (const [name, value] of Object.entries(row)) {
    const column = columns.find((candidate) => candidate.name === name);
    if (!column) {
      throw new ExportFileError(`line ${line}: ${table} has no column ${JSON.stringify(name)} in this Tessera: upgrade Tessera to the version that exported the file, then import again`);
    }
    if (!fitsColumn(value, column)) throw new ExportFileError(`line ${line}: ${table}.${name} holds ${JSON.stringify(value)}, which does not fit the column`);
  }
  for (const column of columns) {
    if (column.required && column.name !== 'id' && !(column.name in row)) throw new ExportFileError(`line ${line}: ${table} row without ${column.name}`);
  }
}
