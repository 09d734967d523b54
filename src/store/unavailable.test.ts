import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, test } from 'node:test';
import pg from 'pg';
import { isStoreUnavailable } from './unavailable.ts';

/** Builds an error as the drivers do: an Error with extra fields. */
function driverError(message: string, fields: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), fields);
}

const UNAVAILABLE: ReadonlyArray<[string, unknown]> = [
  ['connection refused', driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED', errno: -111 })],
  ['connection reset', driverError('read ECONNRESET', { code: 'ECONNRESET' })],
  ['both addresses of localhost refused', new AggregateError([
    driverError('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED' }),
    driverError('connect ECONNREFUSED 127.0.0.1:5432', { code: 'ECONNREFUSED' }),
  ])],
  ['57P01 admin_shutdown (fast restart)', driverError('terminating connection due to administrator command', { code: '57P01', severity: 'FATAL' })],
  ['57P02 crash_shutdown', driverError('terminating connection because of crash of another server process', { code: '57P02' })],
  ['57P03 cannot_connect_now', driverError('the database system is starting up', { code: '57P03' })],
  ['08000 connection_exception', driverError('connection exception', { code: '08000' })],
  ['08003 connection_does_not_exist', driverError('connection does not exist', { code: '08003' })],
  ['08006 connection_failure', driverError('connection failure', { code: '08006' })],
  ['53300 too_many_connections', driverError('sorry, too many clients already', { code: '53300' })],
  ['pg: connection terminated unexpectedly', driverError('Connection terminated unexpectedly')],
  ['pg: connection terminated', driverError('Connection terminated')],
  ['pg-pool: connection timeout', driverError('timeout exceeded when trying to connect')],
  ['pg-pool: connection timeout with its cause', driverError('Connection terminated due to connection timeout', { cause: driverError('timeout expired') })],
  ['pg: client not queryable', driverError('Client has encountered a connection error and is not queryable')],
  ['SQLite SQLITE_BUSY', driverError('database is locked', { code: 'ERR_SQLITE_ERROR', errcode: 5, errstr: 'database is locked' })],
  ['SQLite SQLITE_BUSY_SNAPSHOT', driverError('database is locked', { code: 'ERR_SQLITE_ERROR', errcode: 517 })],
  ['wrapped in a cause', driverError('query failed', { cause: driverError('x', { code: '57P01' }) })],
];

const NOT_UNAVAILABLE: ReadonlyArray<[string, unknown]> = [
  ['23505 unique_violation', driverError('duplicate key value violates unique constraint', { code: '23505' })],
  ['42601 syntax_error', driverError('syntax error at or near "selec"', { code: '42601' })],
  ['42P01 undefined_table', driverError('relation "x" does not exist', { code: '42P01' })],
  ['SQLite constraint', driverError('UNIQUE constraint failed: users.username', { code: 'ERR_SQLITE_ERROR', errcode: 2067 })],
  ['SQLite SQLITE_LOCKED is a bug in our own use, not a busy server', driverError('database table is locked', { errcode: 6 })],
  ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ['an AggregateError with one real bug in it', new AggregateError([driverError('x', { code: 'ECONNREFUSED' }), new TypeError('bug')])],
  ['a message that only mentions a connection', driverError('Invalid connection string')],
  ['null', null],
  ['a string', 'ECONNREFUSED'],
  ['undefined', undefined],
];

describe('isStoreUnavailable', () => {
  for (const [name, error] of UNAVAILABLE) test(`unavailable: ${name}`, () => assert.equal(isStoreUnavailable(error), true));
  for (const [name, error] of NOT_UNAVAILABLE) test(`not unavailable: ${name}`, () => assert.equal(isStoreUnavailable(error), false));

  test('a pg Pool connecting to a port nobody listens on', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const pool = new pg.Pool({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, connectionTimeoutMillis: 2000 });
    try {
      const error = await pool.query('select 1').then(() => undefined, (caught: unknown) => caught);
      assert.ok(error, 'the query failed');
      assert.equal(isStoreUnavailable(error), true, String(error));
    } finally {
      await pool.end();
    }
  });

  test('SQLite busy: a write while another connection holds the write lock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tessera-busy-'));
    const holder = new DatabaseSync(join(dir, 'x.sqlite'));
    const writer = new DatabaseSync(join(dir, 'x.sqlite'));
    try {
      holder.exec('PRAGMA journal_mode = WAL; CREATE TABLE t (x INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);');
      writer.exec('PRAGMA busy_timeout = 0');
      const error = (() => {
        try {
          writer.exec('INSERT INTO t VALUES (2)');
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      assert.ok(error, 'the write failed');
      assert.equal(isStoreUnavailable(error), true, String(error));
    } finally {
      holder.close();
      writer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
