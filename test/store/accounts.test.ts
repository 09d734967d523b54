/**
 * Accounts on SQLite or PostgreSQL (test/helpers/store.ts selects): sign-up, its refusals and the store's own unique
 * keys, finding users by username or email in any case, profile changes, and password sign-in.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authenticateWithPassword, isEmailVerified, signUp } from '../../src/domain/accounts.ts';
import { emailKey } from '../../src/domain/email-address.ts';
import { isUniqueViolation } from '../../src/store/unique-violation.ts';
import { findUserById, findUserByLogin, findUserByUsername, updateUserProfile } from '../../src/store/user-store.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { countRows, openFixture, PASSWORD, START } from './store-fixture.ts';

// Every test has its own store, so the suites and their tests run side by side (bounded: each PostgreSQL test has
// its own database and connection pool).
describe(`store conformance (${TEST_STORE})`, { concurrency: 4 }, () => {
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
});
