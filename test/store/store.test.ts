/**
 * Conformance suite for the store (src/store/*.ts) and the domain functions built on it. It runs on whichever store
 * test/helpers/store.ts selects: SQLite by default, PostgreSQL with TESSERA_TEST_STORE=postgres.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Config } from '../../src/config/config.ts';
import { authenticateWithPassword, isEmailVerified, signUp } from '../../src/domain/accounts.ts';
import { emailKey } from '../../src/domain/email-address.ts';
import {
  EMAIL_VERIFICATION_LIFETIME_MS, mailVerificationLink, resendVerificationEmail, VERIFICATION_RESEND_INTERVAL_MS, verifyEmail,
} from '../../src/domain/email-verification.ts';
import type { Deps, MailMessage } from '../../src/domain/deps.ts';
import { ANONYMOUS, type Principal, sessionPrincipal } from '../../src/domain/principal.ts';
import { findRepositoryFor, listRepositoriesFor } from '../../src/domain/repository-access.ts';
import {
  createOwnRepository, deleteRepository, ownerOfUser,
} from '../../src/domain/repositories.ts';
import { hashToken, isWellFormedToken } from '../../src/domain/token-format.ts';
import {
  checkToken, createPersonalAccessToken, deletePersonalAccessToken, findPersonalAccessToken, listPersonalAccessTokens,
  MAX_NOTE_LENGTH, regeneratePersonalAccessToken,
} from '../../src/domain/tokens.ts';
import { endWebSession, resolveWebSession, startWebSession, WEB_SESSION_LIFETIME_MS } from '../../src/domain/web-sessions.ts';
import { createDeps } from '../../src/runtime.ts';
import type { Database, UserRow } from '../../src/store/database.ts';
import { migrateToLatest } from '../../src/store/migrate.ts';
import { findRepository, listRepositoriesOfOwner } from '../../src/store/repository-store.ts';
import { findEmailVerification, findWebSession } from '../../src/store/session-store.ts';
import { findTokenByHash, findTokenByNote, listTokensOfUser, updateTokenLastUsed } from '../../src/store/token-store.ts';
import { findUserById, findUserByLogin, findUserByUsername, updateUserProfile } from '../../src/store/user-store.ts';
import { isUniqueViolation } from '../../src/store/unique-violation.ts';
import { DROPPED_TABLES, EXPORTED_TABLES } from '../../src/store/export-store.ts';
import { TEST_STORE, openTestDatabase } from '../helpers/store.ts';
import { type FakeClock, fakeClock } from '../helpers/fake-clock.ts';
import { QueryCounter } from '../helpers/query-counter.ts';

const START = new Date('2026-11-25T10:00:00.000Z');
const PASSWORD = 'correct horse battery staple';
const DAY = 24 * 60 * 60 * 1000;

interface Fixture {
  config: Config;
  db: Kysely<Database>;
  deps: Deps;
  clock: FakeClock;
  counter: QueryCounter;
  mail: MailMessage[];
  /** Signs a user up (verified unless told otherwise) and returns the row. */
  user(name: string, options?: { verified?: boolean; email?: string }): Promise<UserRow>;
  /** Creates a token for a user and returns its secret and id. */
  token(user: UserRow, note: string, options?: { scopes?: string[]; expiresAt?: Date | null }): Promise<{ secret: string; id: number }>;
  /** The raw secret of the latest verification link mailed to `to`. */
  verificationSecretFor(to: string): string;
}

async function openFixture(t: TestContext): Promise<Fixture> {
  const { config, db } = await openTestDatabase(t, { host: '127.0.0.1', port: 0, baseUrl: 'http://tessera.test' });
  const clock = fakeClock(START);
  const counter = new QueryCounter();
  const mail: MailMessage[] = [];
  const deps = createDeps(config, db.withPlugin(counter), {
    clock,
    mailer: { send: async (message) => void mail.push(message) },
    onBackgroundError: (error) => { throw error; },
  });
  const fixture: Fixture = {
    config, db, deps, clock, counter, mail,
    async user(name, options = {}) {
      const result = await signUp(deps, { username: name, email: options.email ?? `${name}@example.test`, password: PASSWORD }, { verified: options.verified ?? true });
      assert.ok(result.ok, `signUp ${name}: ${JSON.stringify(result)}`);
      return result.user;
    },
    async token(user, note, options = {}) {
      const result = await createPersonalAccessToken(deps, user, {
        note, scopes: options.scopes ?? ['repo'], expiresAt: options.expiresAt === undefined ? null : options.expiresAt,
      });
      assert.ok(result.ok, `createPersonalAccessToken ${note}: ${JSON.stringify(result)}`);
      return { secret: result.secret, id: result.token.id };
    },
    verificationSecretFor(to) {
      const message = mail.filter((m) => m.to === to).at(-1);
      assert.ok(message, `no mail to ${to}`);
      const match = /\/verify-email\?token=([^\s]+)/.exec(message.text);
      assert.ok(match, `no verification link in: ${message.text}`);
      return decodeURIComponent(match[1]!);
    },
  };
  return fixture;
}

async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

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

  describe(`store (${TEST_STORE}): accounts`, { concurrency: 4 }, () => {
    test('signUp stores the user with lower-case keys, an Argon2id hash and the clock\'s time', async (t) => {
      const f = await openFixture(t);
      const result = await signUp(f.deps, { username: 'OctoCat', email: 'Octo.Cat@Example.TEST', password: PASSWORD });
      assert.ok(result.ok);
      const stored = await findUserById(f.db, result.user.id);
      assert.deepEqual(stored, result.user);
      assert.equal(stored!.username, 'OctoCat');
      assert.equal(stored!.username_key, 'octocat');
      assert.equal(stored!.email, 'Octo.Cat@Example.TEST');
      assert.equal(stored!.email_key, 'octo.cat@example.test');
      assert.match(stored!.password_hash, /^\$argon2id\$/);
      assert.equal(stored!.email_verified_at, null);
      assert.equal(stored!.created_at, START.toISOString());
      assert.equal(isEmailVerified(stored!), false);
    });

    test('signUp without --verified mails one verification link; with it, mails nothing and marks the address', async (t) => {
      const f = await openFixture(t);
      const unverified = await f.user('alice', { verified: false });
      assert.equal(f.mail.length, 1);
      assert.equal(f.mail[0]!.to, 'alice@example.test');
      assert.match(f.mail[0]!.text, /http:\/\/tessera\.test\/verify-email\?token=/);
      assert.equal(unverified.email_verified_at, null);
      const verified = await f.user('bob');
      assert.equal(f.mail.length, 1);
      assert.equal(verified.email_verified_at, START.toISOString());
    });

    test('signUp refuses invalid input field by field and stores nothing', async (t) => {
      const f = await openFixture(t);
      const result = await signUp(f.deps, { username: '-bad-', email: 'not-an-email', password: 'short' });
      assert.ok(!result.ok);
      assert.deepEqual(Object.keys(result.problems).sort(), ['email', 'password', 'username']);
      assert.equal(await countRows(f.db, 'users'), 0);
      assert.equal(f.mail.length, 0);
    });

    test('a username taken in another case is a username error', async (t) => {
      const f = await openFixture(t);
      await f.user('Octocat');
      const result = await signUp(f.deps, { username: 'oCTOCAT', email: 'other@example.test', password: PASSWORD });
      assert.ok(!result.ok);
      assert.deepEqual(result.problems, { username: 'taken' });
      assert.equal(await countRows(f.db, 'users'), 1);
    });

    test('an email taken in another spelling is an email error when the caller asks to be told (the CLI)', async (t) => {
      const f = await openFixture(t);
      await f.user('first', { email: 'Straße@Example.test' });
      const result = await signUp(f.deps, { username: 'second', email: 'STRASSE@example.TEST', password: PASSWORD });
      assert.ok(!result.ok);
      assert.deepEqual(result.problems, { email: 'taken' });
      assert.equal(await countRows(f.db, 'users'), 1);
    });

    test('the store itself refuses duplicate keys with an error isUniqueViolation recognises', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('dup');
      const { id: _id, ...copy } = user;
      const error = await f.db.insertInto('users').values({ ...copy, email: 'x@example.test', email_key: 'x@example.test' })
        .execute().then(() => undefined, (e: unknown) => e);
      assert.ok(error, 'the insert must fail');
      assert.equal(isUniqueViolation(error), true);
      assert.equal(isUniqueViolation(new Error('something else')), false);
    });

    test('users are found by username or email, in any case', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('Mona', { email: 'Mona@Example.test' });
      for (const login of ['Mona', 'mona', 'MONA', 'mona@example.test', 'MONA@EXAMPLE.TEST']) {
        assert.equal((await findUserByLogin(f.db, { usernameKey: login.toLowerCase(), emailKey: emailKey(login) }))?.id, user.id, login);
      }
      assert.equal((await findUserByUsername(f.db, 'mOnA'))?.id, user.id);
      assert.equal(await findUserByUsername(f.db, 'mona@example.test'), undefined);
      assert.equal(await findUserByLogin(f.db, { usernameKey: 'nobody', emailKey: 'nobody' }), undefined);
    });

    test('updateUserProfile changes the name only when given', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('named');
      const later = new Date(START.getTime() + 1000).toISOString();
      const renamed = await updateUserProfile(f.db, user.id, { name: 'The Named', updatedAt: later });
      assert.equal(renamed.name, 'The Named');
      assert.equal(renamed.updated_at, later);
      const untouched = await updateUserProfile(f.db, user.id, { updatedAt: later });
      assert.equal(untouched.name, 'The Named');
      assert.equal((await updateUserProfile(f.db, user.id, { name: null, updatedAt: later })).name, null);
    });

    test('password sign-in by username or email, in any case; wrong password and unknown login fail', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('signer');
      assert.equal((await authenticateWithPassword(f.deps, 'Signer', PASSWORD))?.id, user.id);
      assert.equal((await authenticateWithPassword(f.deps, 'SIGNER@example.test', PASSWORD))?.id, user.id);
      assert.equal(await authenticateWithPassword(f.deps, 'signer', `${PASSWORD}!`), undefined);
      assert.equal(await authenticateWithPassword(f.deps, 'signer', ''), undefined);
      assert.equal(await authenticateWithPassword(f.deps, 'nobody', PASSWORD), undefined);
      assert.equal(await authenticateWithPassword(f.deps, '', PASSWORD), undefined);
    });
  });

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

  describe(`store (${TEST_STORE}): personal access tokens`, { concurrency: 4 }, () => {
    test('createPersonalAccessToken stores the hash, normalised scopes, trimmed note and times; never the secret', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('maker');
      const expiresAt = new Date(START.getTime() + 30 * DAY);
      const result = await createPersonalAccessToken(f.deps, user, {
        note: '  deploy  ', scopes: ['public_repo', 'gist', 'repo', 'read:org'], expiresAt,
      });
      assert.ok(result.ok);
      assert.ok(isWellFormedToken(result.secret));
      assert.deepEqual(result.token, {
        id: result.token.id, note: 'deploy', scopes: ['repo', 'read:org', 'gist'], createdAt: START, expiresAt, lastUsedAt: null,
      });
      const row = await findTokenByHash(f.db, hashToken(result.secret));
      assert.ok(row);
      assert.deepEqual({ ...row }, {
        id: result.token.id, user_id: user.id, note: 'deploy', token_hash: hashToken(result.secret), scopes: 'repo read:org gist',
        created_at: START.toISOString(), updated_at: START.toISOString(), expires_at: expiresAt.toISOString(), last_used_at: null,
        removed_at: null, expiry_reminder_sent_at: null, expiry_day_reminder_sent_at: null, expired_recorded_at: null,
        disuse_warned_30_for: null, disuse_warned_7_for: null,
      });
      assert.equal((await findTokenByNote(f.db, user.id, 'deploy'))?.id, row.id);
      assert.deepEqual(await findPersonalAccessToken(f.deps, user, row.id), result.token);
    });

    test('a token with no scopes and no expiry', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('plain');
      const result = await createPersonalAccessToken(f.deps, user, { note: 'read only', scopes: [], expiresAt: null });
      assert.ok(result.ok);
      assert.deepEqual(result.token.scopes, []);
      assert.equal(result.token.expiresAt, null);
      const check = await checkToken(f.deps, result.secret);
      assert.ok(check.ok);
      assert.deepEqual(check.principal.token.scopes, []);
    });

    test('an unverified user cannot create a token', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('unverified', { verified: false });
      assert.deepEqual(await createPersonalAccessToken(f.deps, user, { note: 'x', scopes: ['repo'], expiresAt: null }),
        { ok: false, reason: 'email_unverified' });
      assert.equal(await countRows(f.db, 'personal_access_tokens'), 0);
    });

    test('a duplicate note of the same user is a note error; other users may use it', async (t) => {
      const f = await openFixture(t);
      const a = await f.user('notea');
      const b = await f.user('noteb');
      await f.token(a, 'ci');
      assert.deepEqual(await createPersonalAccessToken(f.deps, a, { note: 'ci', scopes: ['gist'], expiresAt: null }),
        { ok: false, reason: 'invalid', errors: { note: 'taken' } });
      assert.deepEqual(await createPersonalAccessToken(f.deps, a, { note: '  ci ', scopes: [], expiresAt: null }),
        { ok: false, reason: 'invalid', errors: { note: 'taken' } });
      await f.token(b, 'ci');
      assert.equal((await listTokensOfUser(f.db, a.id)).length, 1);
      assert.equal((await listTokensOfUser(f.db, b.id)).length, 1);
    });

    test('invalid input: blank or overlong note, unknown scope, expiry not in the future', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('invalid');
      const create = (note: string, scopes: string[], expiresAt: Date | null) => createPersonalAccessToken(f.deps, user, { note, scopes, expiresAt });
      const blank = await create('   ', ['repo'], null);
      assert.ok(!blank.ok && blank.reason === 'invalid' && blank.errors.note === 'blank');
      const long = await create('x'.repeat(MAX_NOTE_LENGTH + 1), ['repo'], null);
      assert.ok(!long.ok && long.reason === 'invalid' && long.errors.note === 'too_long');
      const scope = await create('scope', ['repo', 'bogus'], null);
      assert.ok(!scope.ok && scope.reason === 'invalid');
      assert.deepEqual(scope.errors, { scopes: ['bogus'] });
      const now = await create('now', ['repo'], START);
      assert.ok(!now.ok && now.reason === 'invalid' && now.errors.expiration === 'not_in_the_future');
      const all = await create('', ['nope'], new Date(START.getTime() - 1));
      assert.ok(!all.ok && all.reason === 'invalid');
      assert.deepEqual(Object.keys(all.errors).sort(), ['expiration', 'note', 'scopes']);
      assert.equal(await countRows(f.db, 'personal_access_tokens'), 0);
      // The edges that are allowed.
      await f.token(user, 'x'.repeat(MAX_NOTE_LENGTH), { expiresAt: new Date(START.getTime() + 1) });
    });

    test('tokens are listed newest first, only the user\'s own', async (t) => {
      const f = await openFixture(t);
      const a = await f.user('lista');
      const b = await f.user('listb');
      await f.token(a, 'first');
      f.clock.advance(1000);
      await f.token(a, 'second');
      await f.token(a, 'third'); // same instant as second: the later id comes first
      await f.token(b, 'other');
      assert.deepEqual((await listPersonalAccessTokens(f.deps, a)).map((token) => token.note), ['third', 'second', 'first']);
      assert.deepEqual((await listPersonalAccessTokens(f.deps, b)).map((token) => token.note), ['other']);
    });

    test('checkToken accepts the secret and returns the user and token', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('checker');
      const { secret, id } = await f.token(user, 'api', { scopes: ['user', 'repo'] });
      const result = await checkToken(f.deps, secret);
      assert.ok(result.ok);
      assert.equal(result.principal.user.id, user.id);
      assert.equal(result.principal.token.id, id);
      assert.deepEqual(result.principal.token.scopes, ['repo', 'user']);
      assert.equal((await findTokenByHash(f.db, hashToken(secret)))!.last_used_at, START.toISOString());
    });

    test('checkToken refuses a bad checksum without any query, and an unknown well-formed token after one look-up', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('offline');
      const { secret } = await f.token(user, 'api');
      const broken = secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
      const before = f.counter.queries;
      for (const candidate of [broken, '', 'tsp_', 'hunter2', secret.toUpperCase(), `${secret} `]) {
        assert.deepEqual(await checkToken(f.deps, candidate), { ok: false, reason: 'malformed' }, candidate);
      }
      assert.equal(f.counter.queries, before, 'malformed tokens must not reach the store');
      assert.deepEqual(await checkToken(f.deps, 'tsp_0000000000000000000000000000002C8GjS'), { ok: false, reason: 'unknown' });
    });

    test('an expiring token works one millisecond before its instant and is expired exactly at it', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('expiring');
      const expiresAt = new Date(START.getTime() + 7 * DAY);
      const { secret } = await f.token(user, 'week', { expiresAt });
      f.clock.set(new Date(expiresAt.getTime() - 1));
      assert.ok((await checkToken(f.deps, secret)).ok);
      f.clock.set(expiresAt);
      assert.deepEqual(await checkToken(f.deps, secret), { ok: false, reason: 'expired' });
      f.clock.set(new Date(expiresAt.getTime() + 1000));
      assert.deepEqual(await checkToken(f.deps, secret), { ok: false, reason: 'expired' });
    });

    test('regenerate: a new secret for the same token; the old one stops working at once', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('regen');
      const { secret: old, id } = await f.token(user, 'laptop', { scopes: ['gist', 'read:org'] });
      assert.ok((await checkToken(f.deps, old)).ok);
      f.clock.advance(5000);
      const newExpiry = new Date(START.getTime() + 90 * DAY);
      const result = await regeneratePersonalAccessToken(f.deps, user, id, newExpiry);
      assert.ok(result.ok);
      assert.notEqual(result.secret, old);
      assert.ok(isWellFormedToken(result.secret));
      assert.deepEqual(result.token, {
        id, note: 'laptop', scopes: ['read:org', 'gist'], createdAt: START, expiresAt: newExpiry, lastUsedAt: null,
      });
      assert.deepEqual(await checkToken(f.deps, old), { ok: false, reason: 'unknown' });
      const check = await checkToken(f.deps, result.secret);
      assert.ok(check.ok);
      assert.equal(check.principal.token.id, id);
      const row = await findTokenByHash(f.db, hashToken(result.secret));
      assert.equal(row!.updated_at, f.clock.now().toISOString());
      assert.equal(await findTokenByHash(f.db, hashToken(old)), undefined);
      assert.equal(await countRows(f.db, 'personal_access_tokens'), 1);
    });

    test('regenerate without expiry, of someone else\'s token, and by an unverified user', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('owner');
      const other = await f.user('intruder');
      const { secret, id } = await f.token(owner, 'mine', { expiresAt: new Date(START.getTime() + DAY) });
      assert.deepEqual(await regeneratePersonalAccessToken(f.deps, other, id, null), { ok: false, reason: 'not_found' });
      assert.deepEqual(await regeneratePersonalAccessToken(f.deps, owner, id + 1000, null), { ok: false, reason: 'not_found' });
      assert.deepEqual(await regeneratePersonalAccessToken(f.deps, { ...owner, email_verified_at: null }, id, null),
        { ok: false, reason: 'email_unverified' });
      assert.ok((await checkToken(f.deps, secret)).ok, 'refused regenerations leave the token working');
      const result = await regeneratePersonalAccessToken(f.deps, owner, id, null);
      assert.ok(result.ok);
      assert.equal(result.token.expiresAt, null);
    });

    test('regenerate clears last use', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('lastuse');
      const { id } = await f.token(user, 'used');
      await updateTokenLastUsed(f.db, id, START.toISOString(), START.toISOString());
      assert.equal((await findPersonalAccessToken(f.deps, user, id))!.lastUsedAt?.toISOString(), START.toISOString());
      const result = await regeneratePersonalAccessToken(f.deps, user, id, null);
      assert.ok(result.ok);
      assert.equal(result.token.lastUsedAt, null);
    });

    test('delete: the token stops working; someone else cannot delete it; deleting twice is false', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('deleter');
      const other = await f.user('bystander');
      const { secret, id } = await f.token(owner, 'doomed');
      const { secret: kept } = await f.token(owner, 'kept');
      assert.equal(await deletePersonalAccessToken(f.deps, other, id), false);
      assert.ok((await checkToken(f.deps, secret)).ok);
      assert.equal(await deletePersonalAccessToken(f.deps, owner, id), true);
      assert.deepEqual(await checkToken(f.deps, secret), { ok: false, reason: 'unknown' });
      assert.equal(await deletePersonalAccessToken(f.deps, owner, id), false);
      assert.equal(await findPersonalAccessToken(f.deps, owner, id), undefined);
      assert.ok((await checkToken(f.deps, kept)).ok);
      // The note is free again.
      await f.token(owner, 'doomed');
    });

    test('another user\'s token is not found by id', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('idowner');
      const other = await f.user('idother');
      const { id } = await f.token(owner, 'private');
      assert.equal(await findPersonalAccessToken(f.deps, other, id), undefined);
      assert.ok(await findPersonalAccessToken(f.deps, owner, id));
    });
  });

  describe(`store (${TEST_STORE}): repositories`, { concurrency: 4 }, () => {
    const tokenActor = (user: UserRow, scopes: string[]): Principal => ({
      kind: 'token', user, scopes, token: { id: 0, note: 'test', scopes, createdAt: new Date(0), expiresAt: null, lastUsedAt: null },
    });
    const sessionActor = sessionPrincipal;
    const listRepositoriesOf = (deps: Deps, principal: Principal, owner: UserRow) => listRepositoriesFor(deps, principal, ownerOfUser(owner));
    /** The repository's name when the principal may read OWNER/NAME, else undefined. */
    const readable = async (deps: Deps, principal: Principal, owner: string, name: string) => {
      const access = await findRepositoryFor(deps, principal, 'read', owner, name);
      return access.ok ? access.repository.name : undefined;
    };

    test('create stores the record; a duplicate name in any case is a name error; another owner may use it', async (t) => {
      const f = await openFixture(t);
      const a = await f.user('repoa');
      const b = await f.user('repob');
      const created = await createOwnRepository(f.deps, a, { name: 'Hello-World', private: false, description: 'hi' });
      assert.ok(created.ok);
      assert.deepEqual({ ...created.repository }, {
        id: created.repository.id, owner_id: a.id, name: 'Hello-World', name_key: 'hello-world', description: 'hi',
        private: 0, created_at: START.toISOString(), updated_at: START.toISOString(), state: 'ready', instance: null,
      });
      const duplicate = await createOwnRepository(f.deps, a, { name: 'hello-WORLD', private: true });
      assert.ok(!duplicate.ok && duplicate.code === 'invalid');
      assert.deepEqual(duplicate.problem, { field: 'name', problem: 'taken', name: 'hello-WORLD' });
      assert.ok((await createOwnRepository(f.deps, b, { name: 'Hello-World', private: true })).ok);
      assert.equal(await countRows(f.db, 'repositories'), 2);
    });

    test('invalid and reserved names are refused', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('namer');
      for (const name of ['', 'has space', 'slash/name', '.', '..', 'x.git', 'X.GIT', 'a'.repeat(101), 'ünï']) {
        const result = await createOwnRepository(f.deps, user, { name, private: false });
        assert.ok(!result.ok && result.code === 'invalid', JSON.stringify(name));
        assert.equal(result.problem.field, 'name', JSON.stringify(name));
      }
      assert.equal(await countRows(f.db, 'repositories'), 0);
      assert.ok((await createOwnRepository(f.deps, user, { name: 'a'.repeat(100), private: false })).ok);
      assert.ok((await createOwnRepository(f.deps, user, { name: 'dots.and_under-scores', private: false })).ok);
    });

    test('listing: private repositories only for the owner acting with repo; sorted by name in any case', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('lister');
      const other = await f.user('looker');
      for (const [name, isPrivate] of [['zeta', false], ['Alpha', true], ['beta', false], ['Gamma', true]] as const) {
        assert.ok((await createOwnRepository(f.deps, owner, { name, private: isPrivate })).ok);
      }
      const names = async (actor: Principal) => (await listRepositoriesOf(f.deps, actor, owner)).map((r) => r.name);
      assert.deepEqual(await names(sessionActor(owner)), ['Alpha', 'beta', 'Gamma', 'zeta']);
      assert.deepEqual(await names(tokenActor(owner, ['repo'])), ['Alpha', 'beta', 'Gamma', 'zeta']);
      assert.deepEqual(await names(tokenActor(owner, ['public_repo'])), ['beta', 'zeta']);
      assert.deepEqual(await names(tokenActor(owner, [])), ['beta', 'zeta']);
      assert.deepEqual(await names(ANONYMOUS), ['beta', 'zeta']);
      assert.deepEqual(await names(sessionActor(other)), ['beta', 'zeta']);
      assert.deepEqual((await listRepositoriesOfOwner(f.db, other.id, { includePrivate: true })), []);
    });

    test('finding: names in any case; a private repository is absent for anyone who may not read it', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('finder');
      const other = await f.user('stranger');
      await createOwnRepository(f.deps, owner, { name: 'Open', private: false });
      await createOwnRepository(f.deps, owner, { name: 'Secret', private: true });
      assert.equal(await readable(f.deps, ANONYMOUS, 'FINDER', 'open'), 'Open');
      assert.equal(await readable(f.deps, sessionActor(owner), 'finder', 'SECRET'), 'Secret');
      assert.equal(await readable(f.deps, sessionActor(other), 'finder', 'Secret'), undefined);
      assert.equal(await readable(f.deps, ANONYMOUS, 'finder', 'Secret'), undefined);
      assert.equal(await readable(f.deps, tokenActor(owner, ['public_repo']), 'finder', 'Secret'), undefined);
      assert.equal(await readable(f.deps, ANONYMOUS, 'nobody', 'Open'), undefined);
      assert.equal(await readable(f.deps, ANONYMOUS, 'finder', 'missing'), undefined);
    });

    test('delete removes the record and frees the name', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('remover');
      const created = await createOwnRepository(f.deps, owner, { name: 'gone', private: false });
      assert.ok(created.ok);
      await deleteRepository(f.deps, created.repository);
      assert.equal(await findRepository(f.db, owner.id, 'gone'), undefined);
      assert.deepEqual(await listRepositoriesOf(f.deps, sessionActor(owner), owner), []);
      assert.ok((await createOwnRepository(f.deps, owner, { name: 'GONE', private: true })).ok);
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

describe(`token notes (${TEST_STORE})`, () => {
  test('a note with a control character or line break is refused; one with spaces around is stored trimmed', async (t) => {
    const { config, db } = await openTestDatabase(t);
    const deps = createDeps(config, db, { mailer: { send: async () => {} } });
    const signedUp = await signUp(deps, { username: 'noter', email: 'noter@example.test', password: PASSWORD }, { verified: true });
    assert.ok(signedUp.ok);
    for (const note of ['line\nbreak', 'escape \u001b[31mred', 'tab\there', 'del\u007f']) {
      const result = await createPersonalAccessToken(deps, signedUp.user, { note, scopes: [], expiresAt: null });
      assert.ok(!result.ok && result.reason === 'invalid' && result.errors.note === 'control_character', JSON.stringify(note));
    }
    const trimmed = await createPersonalAccessToken(deps, signedUp.user, { note: '  deploy  ', scopes: [], expiresAt: null });
    assert.ok(trimmed.ok);
    assert.equal(trimmed.token.note, 'deploy');
    assert.equal((await listPersonalAccessTokens(deps, signedUp.user)).length, 1);
  });
});
