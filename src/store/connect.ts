/**
 * Opens the store named by configuration: a SQLite file in the data folder (the embedded default) or PostgreSQL
 * when a `postgres://` URL is given. Both run the same migrations and the same queries.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './database.ts';
import { createNodeSqliteDialect, openSqliteDatabase } from './node-sqlite-dialect.ts';

export interface StoreLocation {
  dataDir: string;
  databaseUrl?: string | undefined;
}

export const SQLITE_FILE_NAME = 'tessera.sqlite';

/**
 * How long a request waits for a PostgreSQL connection (a new one, or a free one from a busy pool) before it fails
 * with 503. pg's default is to wait for ever: an unreachable server that drops packets would hang every request.
 */
const CONNECTION_TIMEOUT_MS = 5000;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//.test(url);
}

/**
 * A dropped connection must not crash the process: the pool discards it and the next query gets a fresh one, so the
 * service heals by itself once PostgreSQL is back (the requests in between get 503: store/unavailable.ts).
 */
export function createPostgresPool(databaseUrl: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10, connectionTimeoutMillis: CONNECTION_TIMEOUT_MS });
  // An idle connection's error reaches the pool, which drops that connection.
  pool.on('error', () => {});
  // A connection checked out for a query can lose its server while no query runs on it (a restart's 57P01 between
  // Kysely taking it and sending the query): pg then emits 'error' on the client itself, which without a listener
  // kills the process. The query in flight, if any, still gets the error, and the pool drops the client on release
  // because it is no longer queryable.
  pool.on('connect', (client) => client.on('error', () => {}));
  return pool;
}

export function connectStore(location: StoreLocation): Kysely<Database> {
  if (isPostgresUrl(location.databaseUrl)) {
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool: createPostgresPool(location.databaseUrl) }) });
  }
  mkdirSync(location.dataDir, { recursive: true });
  const database = openSqliteDatabase(join(location.dataDir, SQLITE_FILE_NAME));
  return new Kysely<Database>({ dialect: createNodeSqliteDialect(database) });
}
