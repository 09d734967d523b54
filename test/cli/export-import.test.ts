/**
 * `tessera export` and `tessera import`, spawned as a user runs them: an install built on SQLite with the domain
 * functions moves to a fresh PostgreSQL database (always, whatever TESSERA_TEST_STORE says) and back to SQLite,
 * keeping every row, id, token and password. Damaged files are refused and leave the target empty.
 */
import { MIGRATIONS } from '../../src/migrations/index.ts';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { authenticateWithPassword, signUp } from '../../src/domain/accounts.ts';
import { verifyEmail } from '../../src/domain/email-verification.ts';
import { setUserSuspended } from '../../src/domain/account-admin.ts';
import { createOwnRepository } from '../../src/domain/repositories.ts';
import { checkToken, createPersonalAccessToken } from '../../src/domain/tokens.ts';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import { ExportFileError } from '../../src/cli/transfer/export-file.ts';
import { exportRows } from '../../src/cli/transfer/export-rows.ts';
import { importRows } from '../../src/cli/transfer/import-rows.ts';
import type { UserRow } from '../../src/store/database.ts';
import { countRows, countStoredRows, DROPPED_TABLES, EXPORTED_TABLES } from '../../src/store/export-store.ts';
import { updateTokenLastUsed } from '../../src/store/token-store.ts';
import { insertUser } from '../../src/store/user-store.ts';
import { createTestPostgresDatabase } from '../helpers/store.ts';
import {
  allRows, assertOk, assertRefused, assertSameRows, type Hooks, openStore, type Run, START, type Store, tempDir, tessera,
} from './transfer-helpers.ts';

const DAY = 24 * 60 * 60 * 1000;
const PASSWORD = 'correct horse battery staple';
/** More rows than one read batch (1,000) and one insert batch (500), so batching is exercised. */
const FILLER_USERS = 1200;

/** Clean-ups of what the suite-wide `before` made, run in reverse when the suite ends. */
const suiteCleanups: (() => Promise<void>)[] = [];
const hooks: Hooks = { after: (fn) => void suiteCleanups.unshift(fn) };
let source: Store;
let exportFile: string;
let exportRun: Run;
const secrets: Record<'laptop' | 'forever' | 'short', string> = { laptop: '', forever: '', short: '' };
let carolVerification = '';

/** The install to move: verified and unverified users, tokens of every kind, public and private repositories. */
async function buildSqliteInstall(): Promise<Store> {
  const store = await openStore(hooks, await tempDir(hooks));
  const user = async (name: string, verified: boolean): Promise<UserRow> => {
    const result = await signUp(store.deps, { username: name, email: `${name}@example.test`, password: PASSWORD }, { verified });
    assert.ok(result.ok);
    return result.user;
  };
  const alice = await user('alice', true);
  const bob = await user('bob', true);
  const carol = await user('carol', false);
  carolVerification = decodeURIComponent(/verify-email\?token=(\S+)/.exec(store.mail.at(-1)!.text)![1]!);
  // A suspension travels with the user (users.suspended_at).
  assert.ok((await setUserSuspended(store.deps, carol, true)).changed);
  const token = async (owner: UserRow, note: string, scopes: string[], expiresAt: Date | null) => {
    const result = await createPersonalAccessToken(store.deps, owner, { note, scopes, expiresAt });
    assert.ok(result.ok);
    return result;
  };
  const laptop = await token(alice, 'laptop', ['repo', 'read:org'], new Date(START.getTime() + 30 * DAY));
  secrets.laptop = laptop.secret;
  await updateTokenLastUsed(store.db, laptop.token.id, new Date(START.getTime() + 1000).toISOString(), new Date(START.getTime() + 1000).toISOString());
  // Where the laptop token was used from travels with it.
  store.deps.tokenUses.record(store.deps, laptop.token, alice.id, { clientAddress: '198.51.100.4', userAgent: 'git/2.45.1' }, START);
  await store.deps.tokenUses.settled();
  secrets.forever = (await token(alice, 'forever', ['gist'], null)).secret;
  secrets.short = (await token(bob, 'short', ['repo'], new Date(START.getTime() + DAY))).secret;
  for (const [owner, name, isPrivate] of [[alice, 'tools', false], [alice, 'secret', true], [bob, 'notes', false]] as const) {
    assert.ok((await createOwnRepository(store.deps, owner, { name, private: isPrivate, description: `${name} of ${owner.username}` })).ok);
  }
  await startWebSession(store.deps, alice);

  // Many more rows, inserted directly (hashing a password per user would take minutes).
  await store.db.transaction().execute(async (trx) => {
    for (let i = 0; i < FILLER_USERS; i += 1) {
      const name = `user${String(i).padStart(4, '0')}`;
      const at = START.toISOString();
      const row = await insertUser(trx, {
        username: name, username_key: name, email: `${name}@example.test`, email_key: `${name}@example.test`, name: null,
        password_hash: alice.password_hash, email_verified_at: at, created_at: at, updated_at: at,
      });
      await trx.insertInto('personal_access_tokens').values({
        user_id: row.id, note: 'ci', token_hash: randomBytes(32).toString('hex'), scopes: 'repo', created_at: at, updated_at: at,
        expires_at: null, last_used_at: null,
      }).execute();
    }
  });
  return store;
}

describe('tessera export / import', { concurrency: 2 }, () => {
  after(async () => {
    for (const cleanup of suiteCleanups) await cleanup();
  });
  before(async () => {
    source = await buildSqliteInstall();
    exportFile = join(await tempDir(hooks), 'tessera.jsonl');
    exportRun = await tessera({ dataDir: source.config.dataDir }, 'export', '--out', exportFile);
  });

  test('export writes a versioned JSON Lines file and reports its progress on standard error', async () => {
    assertOk(exportRun, 'export');
    assert.match(exportRun.stdout, /Exported 1,203 users, 1,203 tokens, 3 repositories and 1 pending email verifications/);
    assert.match(exportRun.stdout, /Web sessions are not exported/);
    assert.match(exportRun.stderr, /export: logins 1,203\/1,203, users 1,203\/1,203, organizations 0\/0, memberships 0\/0, email verifications 1\/1, tokens 1,203\/1,203, token uses 1\/1, security log events \d+\/\d+, repositories 3\/3/);
    const lines = (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
    const header = JSON.parse(lines[0]!);
    assert.equal(header.format, 'tessera-export');
    assert.equal(header.version, 1);
    assert.equal(header.schema, Object.keys(MIGRATIONS).sort().at(-1), 'the newest migration applied');
    assert.deepEqual(JSON.parse(lines.at(-1)!), { end: true, counts: header.counts });
    const text = lines.join('\n');
    for (const secret of Object.values(secrets)) assert.ok(!text.includes(secret), 'no token secret in the file');
    assert.ok(!text.includes(PASSWORD) && !text.includes(carolVerification), 'no password, no verification secret');
    assert.doesNotMatch(text, /"web_sessions"\s*,\s*"row"/);

    const again = await tessera({ dataDir: source.config.dataDir }, 'export', '--out', exportFile);
    assertRefused(again, /already exists: choose another --out/);
    assert.equal((await readFile(exportFile, 'utf8')).split('\n').length, lines.length + 1, 'the existing file is left as it was');

    const missing = join(source.config.dataDir, 'no-such-folder');
    const typo = await tessera({ dataDir: missing }, 'export', '--out', join(missing, 'x.jsonl'));
    assertRefused(typo, /There is no store in .*no-such-folder.*--data/);
    assert.equal(existsSync(missing), false, 'no empty store created');
  });

  test('SQLite → PostgreSQL → SQLite keeps every row and id; tokens, passwords and verification links still work', async (t) => {
    assertOk(exportRun, 'export');
    const target = { dataDir: await tempDir(t), databaseUrl: await createTestPostgresDatabase(t) };
    const imported = await tessera(target, 'import', '--in', exportFile, '--repositories-from', join(source.config.dataDir, 'repositories'));
    assertOk(imported, 'import');
    assert.match(imported.stderr, /import: logins 1,203\/1,203, users 1,203\/1,203, organizations 0\/0, memberships 0\/0, email verifications 1\/1, tokens 1,203\/1,203, token uses 1\/1, security log events \d+\/\d+, repositories 3\/3/);
    assert.match(imported.stdout, /Imported 1,203 users.*PostgreSQL.*Copied 3 git repositories/);

    const pg = await openStore(t, target.dataDir, target.databaseUrl);
    await assertSameRows(pg.db, source.db);
    assert.equal(await countRows(source.db, 'web_sessions'), 1);
    assert.equal(await countRows(pg.db, 'web_sessions'), 0, 'web sessions are dropped');

    for (const repository of await allRows(pg.db, 'repositories') as { owner_id: number; id: number }[]) {
      assert.ok(existsSync(join(pg.deps.repositoryFiles.pathOf(repository), 'HEAD')), 'git data copied beside its record');
    }
    const laptop = await checkToken(pg.deps, secrets.laptop);
    assert.ok(laptop.ok);
    assert.equal(laptop.principal.user.username, 'alice');
    assert.deepEqual(laptop.principal.token.scopes, ['repo', 'read:org']);
    assert.ok((await checkToken(pg.deps, secrets.forever)).ok);
    pg.clock.advance(2 * DAY);
    assert.deepEqual(await checkToken(pg.deps, secrets.short), { ok: false, reason: 'expired' });
    assert.equal((await authenticateWithPassword(pg.deps, 'alice', PASSWORD))?.username, 'alice');
    assert.equal(await authenticateWithPassword(pg.deps, 'alice', 'wrong password'), undefined);
    pg.clock.set(START);
    const verified = await verifyEmail(pg.deps, carolVerification);
    assert.ok(verified.ok && verified.user.username === 'carol', 'a pending verification link still works');
    assert.equal(verified.user.suspended_at, START.toISOString(), 'and the suspension is kept');

    // New rows get fresh ids after the explicit ones: the sequences were moved past them.
    const dave = await signUp(pg.deps, { username: 'dave', email: 'dave@example.test', password: PASSWORD }, { verified: true });
    assert.ok(dave.ok);
    assert.equal(dave.user.id, 1204);
    const repository = await createOwnRepository(pg.deps, dave.user, { name: 'fresh', private: false, description: null });
    assert.ok(repository.ok);
    assert.equal(repository.repository.id, 4);
    const token = await createPersonalAccessToken(pg.deps, dave.user, { note: 'new', scopes: ['repo'], expiresAt: null });
    assert.ok(token.ok && token.token.id === 1204);

    // A second import into the now-filled store is refused, and changes nothing.
    const twice = await tessera(target, 'import', '--in', exportFile);
    assertRefused(twice, /is not empty \(1,204 logins, 1,204 users.*nothing was imported.*new, empty database/);
    assert.equal(await countRows(pg.db, 'users'), 1204);

    // And back: PostgreSQL to a new SQLite folder.
    const backFile = join(await tempDir(t), 'back.jsonl');
    assertOk(await tessera(target, 'export', '--out', backFile), 'export from PostgreSQL');
    const sqlite = { dataDir: await tempDir(t) };
    const back = await tessera(sqlite, 'import', '--in', backFile, '--repositories-from', join(target.dataDir, 'repositories'));
    assertOk(back, 'import into SQLite');
    assert.match(back.stdout, /Copied 4 git repositories/);
    const lite = await openStore(t, sqlite.dataDir);
    await assertSameRows(lite.db, pg.db);
    assert.ok((await checkToken(lite.deps, secrets.laptop)).ok);
    const erin = await signUp(lite.deps, { username: 'erin', email: 'erin@example.test', password: PASSWORD }, { verified: true });
    assert.ok(erin.ok && erin.user.id === 1205);
  });

  test('a truncated or damaged file is refused with a clear message and leaves the target empty', async (t) => {
    assertOk(exportRun, 'export');
    const target = { dataDir: await tempDir(t), databaseUrl: await createTestPostgresDatabase(t) };
    const pg = await openStore(t, target.dataDir, target.databaseUrl);
    const lines = (await readFile(exportFile, 'utf8')).trimEnd().split('\n');
    const dir = await tempDir(t);
    const assertEmpty = async () => assert.ok(Object.values(await countStoredRows(pg.db)).every((count) => count === 0), 'target left empty');
    const write = async (name: string, content: string) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    };

    // Through the CLI: what the user reads.
    const cutAtLine = await write('cut-at-line.jsonl', `${lines.slice(0, -1).join('\n')}\n`);
    assertRefused(await tessera(target, 'import', '--in', cutAtLine), /Cannot import .*without its end line: the file is incomplete.*Nothing was imported\./);
    await assertEmpty();
    const text = lines.join('\n');
    const cutMidLine = await write('cut-mid-line.jsonl', text.slice(0, Math.floor(text.length * 0.9)));
    assertRefused(await tessera(target, 'import', '--in', cutMidLine), /Cannot import .*line \d+ is not valid JSON.*Nothing was imported\./);
    await assertEmpty();
    const notExport = await write('notes.txt', 'hello\n');
    assertRefused(await tessera(target, 'import', '--in', notExport), /not a Tessera export/);
    assertRefused(await tessera(target, 'import', '--in', join(dir, 'missing.jsonl')), /Cannot read .*missing\.jsonl/);
    await assertEmpty();

    // In process: each kind of damage, late in the file so earlier rows were already inserted (and rolled back).
    const withLine = (index: number, replace: (row: Record<string, any>) => unknown) => {
      const copy = [...lines];
      copy[index] = JSON.stringify(replace(JSON.parse(copy[index]!)));
      return `${copy.join('\n')}\n`;
    };
    const lastRepository = lines.length - 2;
    const verification = lines.findIndex((line) => line.startsWith('{"table":"email_verifications"'));
    const cases: [string, string, RegExp][] = [
      ['wrong type', withLine(lastRepository, (line) => ({ ...line, row: { ...line.row, private: 'yes' } })), /repositories\.private holds "yes"/],
      ['unknown column', withLine(lastRepository, (line) => ({ ...line, row: { ...line.row, stars: 3 } })), /no column "stars".*upgrade Tessera/],
      ['unknown table', withLine(lastRepository, (line) => ({ ...line, table: 'issues' })), /names no known table/],
      ['missing column', withLine(lastRepository, (line) => ({ ...line, row: { ...line.row, name: undefined } })), /repositories row without name/],
      ['duplicate row', `${[...lines.slice(0, -1), lines[lastRepository], lines.at(-1)].join('\n')}\n`, /database refused repositories rows/],
      ['rows out of order', `${[...lines.slice(0, verification), ...lines.slice(verification + 1, -1), lines[verification], lines.at(-1)].join('\n')}\n`,
        /email_verifications row after the repositories rows/],
      ['count mismatch', withLine(lines.length - 1, (line) => ({ ...line, counts: { ...line.counts, repositories: 2 } })), /holds 3 repositories rows, but .* end line 2/],
      ['newer format', withLine(0, (line) => ({ ...line, version: 2 })), /format version 2/],
      ['unknown schema', withLine(0, (line) => ({ ...line, schema: '2099-01-01T00-00-00-future' })), /schema .* is unknown to this Tessera: upgrade/],
      ['inherited name as schema', withLine(0, (line) => ({ ...line, schema: 'toString' })), /schema "toString" is unknown/],
    ];
    for (const [name, content, pattern] of cases) {
      const path = await write(`${name}.jsonl`, content);
      await assert.rejects(importRows(pg.db, path), (error: Error) => {
        assert.ok(error instanceof ExportFileError, `${name}: ${error.stack}`);
        assert.match(error.message, pattern, name);
        return true;
      });
      await assertEmpty();
    }
    // The same target still takes the whole file afterwards.
    const counts = await importRows(pg.db, exportFile);
    assert.equal(counts.users, 1203);
    await assertSameRows(pg.db, source.db);
  });

  test('a column added by a later migration travels without a change to the export code', async (t) => {
    const lite = await openStore(t, await tempDir(t));
    const pg = await openStore(t, await tempDir(t), await createTestPostgresDatabase(t));
    for (const store of [lite, pg]) await sql`alter table repositories add column archived integer not null default 0`.execute(store.db);
    const at = START.toISOString();
    const owner = await insertUser(lite.db, {
      username: 'olga', username_key: 'olga', email: 'olga@example.test', email_key: 'olga@example.test', name: 'Olga',
      password_hash: 'not-a-real-hash', email_verified_at: at, created_at: at, updated_at: at,
    });
    await (lite.db as unknown as Kysely<any>).insertInto('repositories').values({
      owner_id: owner.id, name: 'old', name_key: 'old', description: null, private: 1, created_at: at, updated_at: at, archived: 1,
    }).execute();
    const path = join(await tempDir(t), 'with-column.jsonl');
    const file = await open(path, 'wx');
    try {
      await exportRows(lite.db, file, START);
    } finally {
      await file.close();
    }
    assert.match(await readFile(path, 'utf8'), /"archived":1/);
    await importRows(pg.db, path);
    await assertSameRows(pg.db, lite.db);
    assert.deepEqual(await (pg.db as unknown as Kysely<any>).selectFrom('repositories').select('archived').execute(), [{ archived: 1 }]);
  });

  test('the help of both commands says how to move the git repositories and that web sessions are dropped', async () => {
    const store = { dataDir: source.config.dataDir };
    const importHelp = await tessera(store, 'import', '--help');
    assertOk(importHelp, 'import --help');
    for (const text of ['--in', '--repositories-from', 'cp -a OLD_DATA/repositories NEW_DATA/', 'TESSERA_DATABASE_URL', 'must be empty', 'Web sessions are not moved']) {
      assert.ok(importHelp.stdout.includes(text), text);
    }
    const exportHelp = await tessera(store, 'export', '--help');
    for (const text of ['--out', 'Web sessions are not exported', 'tessera import --in']) assert.ok(exportHelp.stdout.includes(text), text);
    assert.match((await tessera(store, '--help')).stdout, /^\s+export\b[\s\S]*^\s+import\b/m);
  });

  test('every table is either exported or deliberately dropped', async () => {
    const tables = (await source.db.introspection.getTables()).map((table) => table.name).sort();
    assert.deepEqual(tables, [...EXPORTED_TABLES, ...DROPPED_TABLES].sort(),
      'a new table must be added to EXPORTED_TABLES (in foreign-key order) or DROPPED_TABLES in src/store/export-store.ts');
  });
});

