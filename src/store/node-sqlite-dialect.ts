/**
 * Kysely's SqliteDialect speaks the better-sqlite3 interface; `node:sqlite` (built into Node, nothing to compile)
 * differs only in how statements take parameters and tell whether they return rows. This adapter bridges the two.
 *
 * Kysely asks for a statement on every query; compiling SQL each time was a third of a token check's cost, so
 * prepared statements are kept per SQL text (parameters are bound per call, never part of the text).
 */
import { DatabaseSync, type SQLInputValue, type StatementSync } from 'node:sqlite';
import { SqliteDialect } from 'kysely';

class NodeSqliteStatement {
  readonly #statement: StatementSync;
  readonly reader: boolean;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    this.reader = statement.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...(parameters as SQLInputValue[]));
  }

  run(parameters: ReadonlyArray<unknown>): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.#statement.run(...(parameters as SQLInputValue[]));
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...(parameters as SQLInputValue[]));
  }
}

export function openSqliteDatabase(path: string): DatabaseSync {
  const database = new DatabaseSync(path);
  // WAL lets readers go on while a writer commits; busy_timeout waits for a lock instead of failing at once.
  // mmap_size: pages are read from the mapped file, not copied in by a read() each, so a look-up in a large token
  // table (a million rows: an index deeper than the page cache) costs about what it does in a small one.
  database.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON; PRAGMA mmap_size = 268435456;');
  return database;
}

/** Distinct SQL texts kept prepared: the service has well under a hundred; bulk inserts of varying size churn the rest. */
export const STATEMENT_CACHE_SIZE = 256;

export function createNodeSqliteDialect(database: DatabaseSync, cacheSize = STATEMENT_CACHE_SIZE): SqliteDialect {
  // Insertion order is use order (re-inserted on each use): the first key is the least recently used.
  const statements = new Map<string, NodeSqliteStatement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (statement) statements.delete(sql);
    else statement = new NodeSqliteStatement(database.prepare(sql));
    statements.set(sql, statement);
    if (statements.size > cacheSize) statements.delete(statements.keys().next().value!);
    return statement;
  };
  return new SqliteDialect({
    database: {
      close: () => {
        statements.clear();
        database.close();
      },
      prepare,
    },
  });
}
