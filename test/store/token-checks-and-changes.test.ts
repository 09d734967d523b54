/**
 * Using and changing personal access tokens on SQLite or PostgreSQL (test/helpers/store.ts selects): checking a
 * secret, expiry at the exact instant, regeneration, deletion, and that another user's token is out of reach.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashToken, isWellFormedToken } from '../../src/domain/token-format.ts';
import {
  checkToken, deletePersonalAccessToken, findPersonalAccessToken, regeneratePersonalAccessToken,
} from '../../src/domain/tokens.ts';
import { findTokenByHash, updateTokenLastUsed } from '../../src/store/token-store.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { countRows, DAY, openFixture, START } from './store-fixture.ts';

// Every test has its own store, so the suites and their tests run side by side (bounded: each PostgreSQL test has
// its own database and connection pool).
describe(`store conformance (${TEST_STORE})`, { concurrency: 4 }, () => {
  describe(`store (${TEST_STORE}): personal access tokens`, { concurrency: 4 }, () => {
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
});
