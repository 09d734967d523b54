/**
 * Email verification links and web sessions on SQLite or PostgreSQL (test/helpers/store.ts selects): one use per
 * link, expiry at the exact instant, resending at most every five minutes, and sessions that end on sign-out or at 14 days.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isEmailVerified, signUp } from '../../src/domain/accounts.ts';
import {
  EMAIL_VERIFICATION_LIFETIME_MS, mailVerificationLink, resendVerificationEmail, VERIFICATION_RESEND_INTERVAL_MS, verifyEmail,
} from '../../src/domain/email-verification.ts';
import type { MailMessage } from '../../src/domain/deps.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import { endWebSession, resolveWebSession, startWebSession, WEB_SESSION_LIFETIME_MS } from '../../src/domain/web-sessions.ts';
import { createDeps } from '../../src/runtime.ts';
import { findEmailVerification, findWebSession } from '../../src/store/session-store.ts';
import { findUserById, findUserByUsername } from '../../src/store/user-store.ts';
import { TEST_STORE, openTestDatabase } from '../helpers/store.ts';
import { fakeClock } from '../helpers/fake-clock.ts';
import { countRows, DAY, openFixture, PASSWORD, START } from './store-fixture.ts';

// Every test has its own store, so the suites and their tests run side by side (bounded: each PostgreSQL test has
// its own database and connection pool).
describe(`store conformance (${TEST_STORE})`, { concurrency: 4 }, () => {
  describe(`store (${TEST_STORE}): email verification`, { concurrency: 4 }, () => {
    test('the link verifies the address once; a second use is invalid', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('verify', { verified: false });
      const secret = f.verificationSecretFor('verify@example.test');
      f.clock.advance(60_000);
      const first = await verifyEmail(f.deps, secret);
      assert.ok(first.ok);
      assert.equal(first.user.id, user.id);
      assert.equal(first.user.email_verified_at, f.clock.now().toISOString());
      assert.equal(isEmailVerified((await findUserById(f.db, user.id))!), true);
      assert.deepEqual(await verifyEmail(f.deps, secret), { ok: false, reason: 'invalid' });
    });

    test('verifying with one link retires every other link of the user', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('twice', { verified: false });
      const older = f.verificationSecretFor('twice@example.test');
      await mailVerificationLink(f.deps, user, user.email, 'sign_up');
      const newer = f.verificationSecretFor('twice@example.test');
      assert.notEqual(older, newer);
      assert.equal(await countRows(f.db, 'email_verifications'), 2);
      assert.ok((await verifyEmail(f.deps, newer)).ok);
      assert.deepEqual(await verifyEmail(f.deps, older), { ok: false, reason: 'invalid' });
      assert.equal(await countRows(f.db, 'email_verifications'), 0);
    });

    test('a link works until one millisecond before it expires, and is expired exactly at the instant', async (t) => {
      const f = await openFixture(t);
      assert.equal(EMAIL_VERIFICATION_LIFETIME_MS, DAY);
      await f.user('early', { verified: false });
      await f.user('onthedot', { verified: false });
      await f.user('late', { verified: false });
      const row = await findEmailVerification(f.db, hashToken(f.verificationSecretFor('early@example.test')));
      assert.equal(row!.expires_at, new Date(START.getTime() + DAY).toISOString());

      f.clock.set(new Date(START.getTime() + DAY - 1));
      assert.ok((await verifyEmail(f.deps, f.verificationSecretFor('early@example.test'))).ok);
      f.clock.set(new Date(START.getTime() + DAY));
      assert.deepEqual(await verifyEmail(f.deps, f.verificationSecretFor('onthedot@example.test')), { ok: false, reason: 'expired' });
      f.clock.set(new Date(START.getTime() + DAY + 1000));
      assert.deepEqual(await verifyEmail(f.deps, f.verificationSecretFor('late@example.test')), { ok: false, reason: 'expired' });
      assert.equal((await findUserByUsername(f.db, 'onthedot'))!.email_verified_at, null);
    });

    test('an unknown or altered secret is invalid', async (t) => {
      const f = await openFixture(t);
      await f.user('altered', { verified: false });
      const secret = f.verificationSecretFor('altered@example.test');
      assert.deepEqual(await verifyEmail(f.deps, 'nope'), { ok: false, reason: 'invalid' });
      assert.deepEqual(await verifyEmail(f.deps, `${secret}x`), { ok: false, reason: 'invalid' });
      assert.deepEqual(await verifyEmail(f.deps, ''), { ok: false, reason: 'invalid' });
      assert.ok((await verifyEmail(f.deps, secret)).ok);
    });
  });

  describe(`store (${TEST_STORE}): web sessions`, { concurrency: 4 }, () => {
    test('a session resolves to its user until it expires, exactly at 14 days', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('browser');
      const secret = await startWebSession(f.deps, user);
      assert.equal((await resolveWebSession(f.deps, secret))?.id, user.id);
      const row = await findWebSession(f.db, hashToken(secret));
      assert.equal(row!.expires_at, new Date(START.getTime() + WEB_SESSION_LIFETIME_MS).toISOString());
      assert.equal(WEB_SESSION_LIFETIME_MS, 14 * DAY);
      f.clock.set(new Date(START.getTime() + WEB_SESSION_LIFETIME_MS - 1));
      assert.equal((await resolveWebSession(f.deps, secret))?.id, user.id);
      f.clock.set(new Date(START.getTime() + WEB_SESSION_LIFETIME_MS));
      assert.equal(await resolveWebSession(f.deps, secret), undefined);
    });

    test('signing out ends that session only', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('twotabs');
      const one = await startWebSession(f.deps, user);
      const two = await startWebSession(f.deps, user);
      assert.notEqual(one, two);
      await endWebSession(f.deps, one);
      assert.equal(await resolveWebSession(f.deps, one), undefined);
      assert.equal((await resolveWebSession(f.deps, two))?.id, user.id);
      assert.equal(await findWebSession(f.db, hashToken(one)), undefined);
    });

    test('sessions belong to their own users; unknown and oversized secrets resolve to nobody', async (t) => {
      const f = await openFixture(t);
      const a = await f.user('sessa');
      const b = await f.user('sessb');
      const sa = await startWebSession(f.deps, a);
      const sb = await startWebSession(f.deps, b);
      assert.equal((await resolveWebSession(f.deps, sa))?.id, a.id);
      assert.equal((await resolveWebSession(f.deps, sb))?.id, b.id);
      assert.equal(await resolveWebSession(f.deps, 'unknown'), undefined);
      assert.equal(await resolveWebSession(f.deps, ''), undefined);
      const before = f.counter.queries;
      assert.equal(await resolveWebSession(f.deps, 'x'.repeat(101)), undefined);
      assert.equal(f.counter.queries, before, 'an oversized secret is refused without a look-up');
    });
  });
});

describe(`verification resend (${TEST_STORE})`, () => {
  test('a new link at most every five minutes, none once verified', async (t) => {
    const { config, db } = await openTestDatabase(t);
    const mail: MailMessage[] = [];
    const clock = fakeClock(START);
    const deps = createDeps(config, db, { clock, mailer: { send: async (message) => void mail.push(message) } });
    const signedUp = await signUp(deps, { username: 'resender', email: 'resender@example.test', password: PASSWORD });
    assert.ok(signedUp.ok);
    assert.equal(mail.length, 1);
    clock.advance(VERIFICATION_RESEND_INTERVAL_MS - 1);
    assert.equal(await resendVerificationEmail(deps, signedUp.user), 'too_soon');
    assert.equal(mail.length, 1);
    clock.advance(1);
    assert.equal(await resendVerificationEmail(deps, signedUp.user), 'sent');
    assert.equal(mail.length, 2);
    assert.equal(await resendVerificationEmail(deps, signedUp.user), 'too_soon');
    const secret = /token=([^\s]+)/.exec(mail[1]!.text)![1]!;
    assert.ok((await verifyEmail(deps, decodeURIComponent(secret))).ok);
    clock.advance(VERIFICATION_RESEND_INTERVAL_MS);
    assert.equal(await resendVerificationEmail(deps, (await findUserById(db, signedUp.user.id))!), 'already_verified');
    assert.equal(mail.length, 2);
  });
});
