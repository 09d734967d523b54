/**
 * Kysely's SqliteDialect speaks the better-sqlite3 interface; `node:sqlite` (built into Node, nothing to compile)
 * differs only in how statements take parameters and tell whether they return rows. This adapter bridges the two.
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
  database.exec('PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;');
  return database;
}

export function createNodeSqliteDialect(database: DatabaseSync): SqliteDialect {
  return new SqliteDialect({
    database: {
      close: () => database.close(),
      prepare: (sql: string) => new NodeSqliteStatement(database.prepare(sql)),
    },
  });
}
