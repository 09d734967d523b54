/**
 * The jobs from outside: `tessera jobs run` as cron runs it, mail over SMTP, and the query plans that keep the
 * batches on their indexes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CompiledQuery, type Kysely } from 'kysely';
import { simpleParser } from 'mailparser';
import { loadConfig } from '../../src/config/config.ts';
import { signUp } from '../../src/domain/accounts.ts';
import { DAY_MS } from '../../src/domain/deps.ts';
import { createPersonalAccessToken } from '../../src/domain/tokens.ts';
import { expiryRemindersJob } from '../../src/jobs/expiry-reminders.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import type { Database } from '../../src/store/database.ts';
import { selectExpiringTokens, selectIdleTokens } from '../../src/store/token-lifecycle-store.ts';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import { runCli } from '../helpers/cli.ts';
import { startSmtpCapture } from '../helpers/smtp.ts';
import { fakeClock } from '../helpers/fake-clock.ts';
import { startTestServer } from '../helpers/server.ts';
import { createTestStore, TEST_STORE } from '../helpers/store.ts';

test('tessera jobs run removes a token unused for a year (cloud edition), purges an expired session, and mails the owner', async (t) => {
  const server = await startTestServer(t, { clock: fakeClock(new Date(Date.now() - 400 * DAY_MS)) });
  const user = await server.createUser({ username: 'cronuser' });
  const secret = await server.createToken(user, { note: 'forgotten' });
  await startWebSession(server.deps, user); // 14 days long, so expired 386 days ago
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TESSERA_')) env[name] = value;
  env.TESSERA_DATA_DIR = server.dataDir;
  if (server.databaseUrl) env.TESSERA_DATABASE_URL = server.databaseUrl;

  // A server install keeps unused tokens unless TESSERA_UNUSED_TOKEN_DAYS says otherwise; cloud removes them.
  const kept = await runCli(env, 'jobs', 'run', 'disuse-sweep');
  assert.match(kept.stdout, /^disuse-sweep: 0 removed, 0 warned, 0 erased$/m, kept.stderr);
  env.TESSERA_EDITION = 'cloud';

  const listed = await runCli(env, 'jobs', 'list');
  assert.equal(listed.code, 0);
  assert.match(listed.stdout, /^expiry-reminders .*\ndisuse-sweep .*\npurge-expired .*\nrelease-unverified-emails /m);
  const unknown = await runCli(env, 'jobs', 'run', 'nope');
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /No job named nope\. Jobs: expiry-reminders, disuse-sweep, purge-expired, release-unverified-emails\./);

  const ran = await runCli(env, 'jobs', 'run');
  assert.equal(ran.code, 0, ran.stderr);
  assert.match(ran.stdout, /^expiry-reminders: 0 expired, 0 reminded$/m);
  assert.match(ran.stdout, /^disuse-sweep: 1 removed, 0 warned, 0 erased, 1 mailed$/m);
  assert.match(ran.stdout, /^purge-expired: 1 sessions, 0 verification links, 0 password reset links$/m);
  assert.match(ran.stdout, /^release-unverified-emails: 0 released$/m);
  assert.equal(await server.db.selectFrom('web_sessions').select('id').executeTakeFirst(), undefined);
  const removal = (await server.readOutbox()).filter((mail) => /was removed because it was not used/.test(mail.subject));
  assert.equal(removal.length, 1);
  assert.match(removal[0]!.text, /- "forgotten" \(repo\)/);
  assert.ok(!removal[0]!.raw.includes(secret));

  const again = await runCli(env, 'jobs', 'run', 'disuse-sweep');
  assert.match(again.stdout, /^disuse-sweep: 0 removed, 0 warned, 0 erased$/m, 'a second run changes nothing');
});

test('token mail goes over SMTP when TESSERA_SMTP_URL is set', async (t) => {
  const { url: smtpUrl, received } = await startSmtpCapture(t);
  const store = await createTestStore(t);
  const config = loadConfig({
    TESSERA_SMTP_URL: smtpUrl, TESSERA_BASE_URL: 'https://tessera.example',
    ...(store.databaseUrl && { TESSERA_DATABASE_URL: store.databaseUrl }),
  }, { dataDir: store.dataDir });
  const db = await openMigratedStore(config);
  t.after(() => db.destroy());
  const clock = fakeClock();
  const deps = createDeps(config, db, { clock });
  const signedUp = await signUp(deps, { username: 'smtpuser', email: 'smtpuser@example.test', password: 'a long enough password' }, { verified: true });
  assert.ok(signedUp.ok);
  const created = await createPersonalAccessToken(deps, signedUp.user, { note: 'over smtp', scopes: ['repo'], expiresAt: new Date(clock.now().getTime() + 7 * DAY_MS) });
  assert.ok(created.ok);
  assert.equal((await expiryRemindersJob.run(deps)).reminded, 1);

  const mails = await Promise.all(received.map((mail) => simpleParser(mail.data)));
  assert.deepEqual(mails.map((mail) => mail.subject), [
    '[Tessera] A new personal access token was added to your account',
    '[Tessera] Your personal access token "over smtp" expires in 7 days',
  ]);
  assert.ok(mails[1]!.text?.includes(`https://tessera.example/settings/tokens/${created.token.id}/regenerate`));
  assert.ok(received.every((mail) => !mail.data.includes(created.secret)));
});

/** The store's own account of how it would run a query. */
async function planOf(db: Kysely<Database>, query: { compile(): CompiledQuery }): Promise<string> {
  const compiled = query.compile();
  if (TEST_STORE === 'sqlite') {
    const rows = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]));
    return rows.rows.map((row) => row.detail).join('\n');
  }
  // An empty test table is cheaper to scan than to search: forbid the scan to see whether the index serves the query.
  return db.transaction().execute(async (trx) => {
    await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
    const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
    return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

test(`reminder and sweep batches are read through their indexes (${TEST_STORE})`, async (t) => {
  const server = await startTestServer(t);
  const now = new Date().toISOString();
  const expiring = await planOf(server.db, selectExpiringTokens(server.db, now, { key: now, id: 5 }, 500));
  assert.match(expiring, /personal_access_tokens_expiry_pending/, expiring);
  const idle = await planOf(server.db, selectIdleTokens(server.db, now, { key: now, id: 5 }, 500));
  assert.match(idle, /personal_access_tokens_activity/, idle);
  t.diagnostic(`expiring:\n${expiring}\nidle:\n${idle}`);
  assert.doesNotMatch(`${expiring}\n${idle}`, /SCAN personal_access_tokens(?! USING)|Seq Scan|USE TEMP B-TREE/);
});
