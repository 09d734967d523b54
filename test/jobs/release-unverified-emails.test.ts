/**
 * An account that never verifies its address holds it for seven days: then the release job gives it up, so that
 * its owner can sign up with it. Batched, idempotent, and read through its partial index.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery } from 'kysely';
import { signUp } from '../../src/domain/accounts.ts';
import { UNVERIFIED_CLAIM_DAYS } from '../../src/domain/email-address.ts';
import { resendVerificationEmail, verifyEmail } from '../../src/domain/email-verification.ts';
import { releaseUnverifiedEmailsJob } from '../../src/jobs/release-unverified-emails.ts';
import { JOBS } from '../../src/jobs/registry.ts';
import { selectUnverifiedClaims } from '../../src/store/unverified-claim-store.ts';
import { findUserByUsername } from '../../src/store/user-store.ts';
import { TEST_PASSWORD } from '../helpers/server.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { linkIn, mailTo } from '../http/account-fixture.ts';
import { days, openLifecycle, type LifecycleFixture } from './lifecycle-fixture.ts';

const conceal = { whenEmailTaken: 'conceal' } as const;

async function signUpUnverified(f: LifecycleFixture, username: string, email = `${username}@example.test`) {
  const result = await signUp(f.server.deps, { username, email, password: TEST_PASSWORD }, conceal);
  assert.ok(result.ok, JSON.stringify(result));
  return result.user;
}

const keyOf = async (f: LifecycleFixture, username: string) => (await findUserByUsername(f.server.db, username))!.email_key;

test('seven days after signing up, an unverified address is released, once; verified ones are never touched', async (t) => {
  const f = await openLifecycle(t);
  assert.equal(UNVERIFIED_CLAIM_DAYS, 7);
  assert.ok(JOBS.includes(releaseUnverifiedEmailsJob), 'tessera serve and tessera jobs run run it');
  await signUpUnverified(f, 'squatter', 'Victim@Example.test');
  await f.server.createUser({ username: 'settled' });
  f.at(days(1));
  await signUpUnverified(f, 'later');

  f.at(days(7) - 1);
  assert.deepEqual(await f.run(releaseUnverifiedEmailsJob), { released: 0 });
  assert.equal(await keyOf(f, 'squatter'), 'victim@example.test');
  f.at(days(7));
  assert.deepEqual(await f.run(releaseUnverifiedEmailsJob), { released: 1 });
  assert.match(await keyOf(f, 'squatter'), /^unclaimed:\d+$/);
  assert.equal(await keyOf(f, 'settled'), 'settled@example.test');
  assert.equal(await keyOf(f, 'later'), 'later@example.test');
  assert.deepEqual(await f.run(releaseUnverifiedEmailsJob), { released: 0 }, 'a second run changes nothing');

  // The address's owner can now sign up with it and gets a real link, which verifies it for them.
  const victim = await signUpUnverified(f, 'victim', 'victim@example.test');
  const link = linkIn((await mailTo(f.server, 'victim@example.test')).at(-1)!, '/verify-email');
  const verified = await verifyEmail(f.server.deps, new URL(link).searchParams.get('token')!);
  assert.ok(verified.ok && verified.user.id === victim.id);
  // The squatter asking again only makes the address hear that it is taken.
  const squatter = (await findUserByUsername(f.server.db, 'squatter'))!;
  assert.equal(await resendVerificationEmail(f.server.deps, squatter), 'sent');
  assert.equal((await mailTo(f.server, 'victim@example.test')).at(-1)!.subject, '[Tessera] This email address already has an account');
});

test('a released address nobody took can still be verified by its account, which then holds it again', async (t) => {
  const f = await openLifecycle(t);
  await signUpUnverified(f, 'slowpoke');
  f.at(days(8));
  assert.deepEqual(await f.run(releaseUnverifiedEmailsJob), { released: 1 });
  const slowpoke = (await findUserByUsername(f.server.db, 'slowpoke'))!;
  assert.equal(await resendVerificationEmail(f.server.deps, slowpoke), 'sent');
  const link = linkIn((await mailTo(f.server, 'slowpoke@example.test')).at(-1)!, '/verify-email');
  assert.ok((await verifyEmail(f.server.deps, new URL(link).searchParams.get('token')!)).ok);
  assert.equal(await keyOf(f, 'slowpoke'), 'slowpoke@example.test');
  f.at(days(30));
  assert.deepEqual(await f.run(releaseUnverifiedEmailsJob), { released: 0 }, 'a verified address stays');
});

test('a verification link mailed before the address was released is void: links are bound to the account\'s address', async (t) => {
  const f = await openLifecycle(t);
  await signUpUnverified(f, 'lastminute');
  f.at(days(7) - 60_000);
  const account = (await findUserByUsername(f.server.db, 'lastminute'))!;
  assert.equal(await resendVerificationEmail(f.server.deps, account), 'sent');
  const link = linkIn((await mailTo(f.server, 'lastminute@example.test')).at(-1)!, '/verify-email');
  f.at(days(7));
  assert.deepEqual(await f.run(releaseUnverifiedEmailsJob), { released: 1 });
  // Within its 24 hours, but the account's address is no longer the one the link was sent for.
  assert.deepEqual(await verifyEmail(f.server.deps, new URL(link).searchParams.get('token')!), { ok: false, reason: 'invalid' });
  assert.equal((await findUserByUsername(f.server.db, 'lastminute'))!.email_verified_at, null);
});

test('batches: every due address is released, with progress after each batch', async (t) => {
  const f = await openLifecycle(t);
  for (let i = 0; i < 5; i++) await signUpUnverified(f, `batch${i}`);
  f.at(days(7));
  const progress: number[] = [];
  const report = await releaseUnverifiedEmailsJob.run(f.server.deps, { batchSize: 2, onProgress: (soFar) => progress.push(soFar.released!) });
  assert.deepEqual(report, { released: 5 });
  assert.deepEqual(progress, [2, 4, 5]);
});

test(`the job reads its batches through the partial index users_unverified_claims (${TEST_STORE})`, async (t) => {
  const f = await openLifecycle(t);
  const compiled = selectUnverifiedClaims(f.server.db, new Date().toISOString(), 100).compile();
  const plan = TEST_STORE === 'sqlite'
    ? (await f.server.db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters])))
      .rows.map((row) => row.detail).join('\n')
    : await f.server.db.transaction().execute(async (trx) => {
      // An empty table is cheaper to scan than to search: forbid the scan to see whether the index serves the query.
      await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
      const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]));
      return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
  t.diagnostic(plan);
  assert.match(plan, /users_unverified_claims/);
  assert.doesNotMatch(plan, /SCAN users(?! USING)|Seq Scan|USE TEMP B-TREE/);
});
