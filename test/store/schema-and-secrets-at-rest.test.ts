/**
 * The store's tables on SQLite or PostgreSQL (test/helpers/store.ts selects): migrations, the table set the export
 * tool knows, and that after every flow no table holds a raw token, session secret, verification secret or password.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { verifyEmail } from '../../src/domain/email-verification.ts';
import { createOwnRepository } from '../../src/domain/repositories.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import { checkToken, deletePersonalAccessToken, regeneratePersonalAccessToken } from '../../src/domain/tokens.ts';
import { endWebSession, startWebSession } from '../../src/domain/web-sessions.ts';
import type { Database } from '../../src/store/database.ts';
import { DROPPED_TABLES, EXPORTED_TABLES } from '../../src/store/export-store.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { updateUserProfile } from '../../src/store/user-store.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { countRows, openFixture, PASSWORD, START } from './store-fixture.ts';

// Every test has its own store, so the suites and their tests run side by side (bounded: each PostgreSQL test has
// its own database and connection pool).
describe(`store conformance (${TEST_STORE})`, { concurrency: 4 }, () => {
  describe(`store (${TEST_STORE}): schema`, { concurrency: 4 }, () => {
    test('migrating an up-to-date store again applies nothing', async (t) => {
      const f = await openFixture(t);
      assert.deepEqual(await migrateToLatest(f.db), []);
    });

    test('has every table the export tool knows of, all empty at first', async (t) => {
      const f = await openFixture(t);
      const names = (await f.db.introspection.getTables()).map((table) => table.name).sort();
      assert.deepEqual(names, [...EXPORTED_TABLES, ...DROPPED_TABLES].sort());
      for (const name of names) assert.equal(await countRows(f.db, name as keyof Database), 0, name);
    });
  });

  describe(`store (${TEST_STORE}): no raw secret at rest`, { concurrency: 4 }, () => {
    test('after every flow, no cell of any table contains a token, session secret, verification secret or password', async (t) => {
      const f = await openFixture(t);
      const secrets: Array<[string, string]> = [['password', PASSWORD]];
      const hashes: string[] = [];

      // Accounts: one verified through its link, one with a link still pending, one verified from the start.
      await f.user('alice', { verified: false });
      const used = f.verificationSecretFor('alice@example.test');
      secrets.push(['used verification secret', used]);
      const verified = await verifyEmail(f.deps, used);
      assert.ok(verified.ok);
      const alice = verified.user;
      await f.user('pending', { verified: false });
      const pending = f.verificationSecretFor('pending@example.test');
      secrets.push(['pending verification secret', pending]);
      hashes.push(hashToken(pending));
      const bob = await f.user('bob');

      // Sessions: one live, one ended.
      const live = await startWebSession(f.deps, alice);
      const ended = await startWebSession(f.deps, bob);
      await endWebSession(f.deps, ended);
      secrets.push(['live session secret', live], ['ended session secret', ended]);
      hashes.push(hashToken(live));

      // Tokens: used, regenerated (old and new secrets), deleted, expired.
      const used1 = await f.token(alice, 'used', { scopes: ['repo', 'user'] });
      assert.ok((await checkToken(f.deps, used1.secret)).ok);
      const regenerated = await f.token(alice, 'regenerated');
      const fresh = await regeneratePersonalAccessToken(f.deps, alice, regenerated.id, null);
      assert.ok(fresh.ok);
      const deleted = await f.token(bob, 'deleted');
      assert.ok(await deletePersonalAccessToken(f.deps, bob, deleted.id));
      const expiring = await f.token(bob, 'expiring', { expiresAt: new Date(START.getTime() + 1000) });
      f.clock.advance(2000);
      assert.deepEqual(await checkToken(f.deps, expiring.secret), { ok: false, reason: 'expired' });
      for (const [name, secret] of [['used token', used1.secret], ['old regenerated token', regenerated.secret],
        ['new regenerated token', fresh.secret], ['deleted token', deleted.secret], ['expired token', expiring.secret]] as const) {
        secrets.push([name, secret], [`body of the ${name}`, secret.slice(4, 34)]);
      }
      hashes.push(hashToken(used1.secret), hashToken(fresh.secret), hashToken(expiring.secret));

      // Repositories and a profile change, so every table has rows.
      assert.ok((await createOwnRepository(f.deps, alice, { name: 'project', private: true })).ok);
      await updateUserProfile(f.db, bob.id, { name: 'Bob', updatedAt: f.clock.now().toISOString() });

      // Dump every table, whatever it is called.
      const tables = await f.db.introspection.getTables({ withInternalKyselyTables: true });
      const dump: string[] = [];
      for (const table of tables) {
        const id = table.schema ? sql.id(table.schema, table.name) : sql.id(table.name);
        const rows = (await sql<Record<string, unknown>>`select * from ${id}`.execute(f.db)).rows;
        for (const row of rows) {
          for (const [column, value] of Object.entries(row)) dump.push(`${table.name}.${column}=${String(value)}`);
        }
      }
      for (const name of ['users', 'email_verifications', 'web_sessions', 'personal_access_tokens', 'repositories']) {
        assert.ok(dump.some((cell) => cell.startsWith(`${name}.`)), `the dump has rows of ${name}`);
      }
      // The scan sees what is stored: the hashes are there.
      for (const hash of hashes) assert.ok(dump.some((cell) => cell.endsWith(`=${hash}`)), `hash ${hash} is in the dump`);

      for (const [name, secret] of secrets) {
        const found = dump.find((cell) => cell.includes(secret));
        assert.equal(found, undefined, `the ${name} is stored in clear: ${found}`);
      }
    });
  });
});
