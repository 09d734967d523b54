/**
 * Whole-table reads and writes for `tessera export` / `tessera import`, the same on SQLite and PostgreSQL.
 *
 * Tables are handled generically (every column, whatever the current migrations define), so a column added by a
 * later migration travels without a change here. Rows are read in id order, one batch at a time, so a large
 * install never sits in memory. Ids are kept on import: repository folders on disk are named by owner id and
 * repository id, and tokens and verifications point at user ids.
 */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from './database.ts';

/**
 * Exported tables, parents before children so foreign keys hold while importing. Token uses travel with their
 * tokens: without them, every token's next use would look like one from a new network and mail its owner.
 */
export const EXPORTED_TABLES = [
  'owners', 'users', 'organizations', 'organization_memberships', 'email_verifications', 'personal_access_tokens', 'token_uses',
  'security_events', 'repositories', 'organization_saml_settings', 'organization_saml_identities', 'credential_authorizations',
] as const;
export type ExportedTable = (typeof EXPORTED_TABLES)[number];

/**
 * Tables deliberately left out. Web sessions are short-lived sign-ins: dropping them signs everyone out of the
 * web pages once (tokens and passwords keep working), and spares moving cookies' hashes between installs. Password
 * reset links live an hour: whoever was resetting asks for a new link.
 */
export const DROPPED_TABLES = ['web_sessions', 'password_resets'] as const;

export type ExportedRow = Record<string, unknown>;

/** Column facts the importer checks each value against. */
export interface ColumnShape {
  name: string;
  kind: 'integer' | 'text' | 'other';
  nullable: boolean;
  /** Required in every imported row: not null, no default, not generated. */
  required: boolean;
}

const INTEGER_TYPES = new Set(['integer', 'int', 'int2', 'int4', 'int8', 'smallint', 'bigint', 'serial', 'bigserial']);
const TEXT_TYPES = new Set(['text', 'varchar', 'character varying', 'char', 'bpchar']);

function kindOf(dataType: string): ColumnShape['kind'] {
  const type = dataType.toLowerCase();
  if (INTEGER_TYPES.has(type)) return 'integer';
  if (TEXT_TYPES.has(type)) return 'text';
  return 'other';
}

/** The columns of each exported table, as the (migrated) store defines them. */
export async function describeExportedTables(db: Kysely<Database>): Promise<Record<ExportedTable, ColumnShape[]>> {
  const tables = await db.introspection.getTables();
  const result = {} as Record<ExportedTable, ColumnShape[]>;
  for (const name of EXPORTED_TABLES) {
    const table = tables.find((candidate) => candidate.name === name);
    if (!table) throw new Error(`table ${name} is missing from the migrated store`);
    result[name] = table.columns.map((column) => ({
      name: column.name,
      kind: kindOf(column.dataType),
      nullable: column.isNullable,
      required: !column.isNullable && !column.hasDefaultValue && !column.isAutoIncrementing,
    }));
  }
  return result;
}

/** Name of the newest migration applied to the store: the schema an export was taken from. */
export async function latestAppliedMigration(db: Kysely<Database>): Promise<string> {
  const row = await (db as unknown as Kysely<any>).selectFrom('kysely_migration').select('name').orderBy('name', 'desc').limit(1).executeTakeFirst();
  if (!row) throw new Error('the store has no migrations applied');
  return String(row.name);
}

export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Rows of every table an install keeps (web sessions too: a target that has any is in use). */
export async function countStoredRows(db: Kysely<Database>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of [...EXPORTED_TABLES, ...DROPPED_TABLES]) counts[table] = await countRows(db, table);
  return counts;
}

/** Every row of a table in id order, `batchSize` at a time (keyset pagination: each batch costs the same). */
export async function* readRowsInBatches(db: Kysely<Database>, table: ExportedTable, batchSize: number): AsyncGenerator<ExportedRow[]> {
  const any = db as unknown as Kysely<any>;
  let after = 0;
  for (;;) {
    const rows: ExportedRow[] = await any.selectFrom(table).selectAll().where('id', '>', after).orderBy('id').limit(batchSize).execute();
    if (rows.length === 0) return;
    yield rows;
    after = Number(rows.at(-1)!.id);
    if (rows.length < batchSize) return;
  }
}

/** Inserts rows as they are, ids included. */
export async function insertRows(db: Kysely<Database>, table: ExportedTable, rows: ExportedRow[]): Promise<void> {
  if (rows.length > 0) await (db as unknown as Kysely<any>).insertInto(table).values(rows).execute();
}

/**
 * After rows were inserted with explicit ids, PostgreSQL's sequences still start at 1, so the next new row would
 * collide; move each past the largest id. (SQLite's AUTOINCREMENT already follows the largest id inserted.)
 */
export async function resetIdSequences(db: Kysely<Database>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const table of [...EXPORTED_TABLES, ...DROPPED_TABLES]) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(table)}`.execute(db);
  }
}
