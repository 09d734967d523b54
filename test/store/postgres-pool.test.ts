/**
 * The PostgreSQL pool survives its server going away under it: a connection checked out while its backend is
 * terminated (as a fast restart terminates every backend, with 57P01) neither kills the process nor stays in the
 * pool, and the next query gets a fresh connection. The whole restart under traffic is in
 * test/e2e/multi-process.test.ts; this pins the one moment that test can only hit by chance.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { createPostgresPool } from '../../src/store/connect.ts';
import { isStoreUnavailable } from '../../src/store/unavailable.ts';
import { createTestStore, TEST_STORE } from '../helpers/store.ts';

test('a checked-out connection whose backend is terminated is dropped, and the pool goes on', async (t) => {
  if (TEST_STORE !== 'postgres') return void t.skip('PostgreSQL only (TESSERA_TEST_STORE=postgres)');
  const { databaseUrl } = await createTestStore(t);
  const pool = createPostgresPool(databaseUrl!);
  const client = await pool.connect();
  let released = false;
  t.after(async () => {
    if (!released) client.release(true); // A failure above must not leave pool.end() waiting for this client.
    await pool.end();
  });
  const { rows: [backend] } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const ended = new Promise((resolve) => client.once('end', resolve));

  // Terminated while checked out and between queries: pg emits 'error' on the client itself. Without a listener
  // that is an uncaught exception, which fails this test.
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query('select pg_terminate_backend($1)', [backend!.pid]);
  await admin.end();
  // A deadline, not a pause: without the fix the uncaught error can leave the client never ending.
  await Promise.race([ended, delay(5000).then(() => assert.fail('the terminated connection did not end within 5 s'))]);

  const error = await client.query('select 1').then(() => undefined, (caught: unknown) => caught);
  assert.ok(error, 'the dead connection cannot be queried');
  assert.equal(isStoreUnavailable(error), true, `${String(error)} is answered 503`);
  client.release();
  released = true;
  assert.equal(pool.totalCount, 0, 'the dead connection left the pool');
  const { rows: [fresh] } = await pool.query<{ pid: number }>('select pg_backend_pid() as pid');
  assert.notEqual(fresh!.pid, backend!.pid);
});
