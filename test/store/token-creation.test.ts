/**
 * Creating and listing personal access tokens on SQLite or PostgreSQL (test/helpers/store.ts selects): what is
 * stored (a hash, never the secret), who may create one, and the notes, scopes and expiries that are refused.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { signUp } from '../../src/domain/accounts.ts';
import { hashToken, isWellFormedToken } from '../../src/domain/token-format.ts';
import {
  checkToken, createPersonalAccessToken, findPersonalAccessToken, listPersonalAccessTokens, MAX_NOTE_LENGTH,
} from '../../src/domain/tokens.ts';
import { createDeps } from '../../src/runtime.ts';
import { findTokenByHash, findTokenByNote, listTokensOfUser } from '../../src/store/token-store.ts';
import { TEST_STORE, openTestDatabase } from '../helpers/store.ts';
import { countRows, DAY, openFixture, PASSWORD, START } from './store-fixture.ts';

// Every test has its own store, so the suites and their tests run side by side (bounded: each PostgreSQL test has
// its own database and connection pool).
describe(`store conformance (${TEST_STORE})`, { concurrency: 4 }, () => {
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
