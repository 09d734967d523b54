import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { openTestDatabase } from '../../test/helpers/store.ts';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import { OvertakenReads } from '../../test/helpers/overtaken-reads.ts';
import { QueryCounter } from '../../test/helpers/query-counter.ts';
import { createDeps } from '../runtime.ts';
import { signUp, updateDisplayName } from './accounts.ts';
import { hashToken } from './token-format.ts';
import { setUserSuspended } from './account-admin.ts';
import { checkToken, createPersonalAccessToken, deletePersonalAccessToken, regeneratePersonalAccessToken } from './tokens.ts';
import { INVALIDATE_ALL, type InvalidationBus } from './shared-state.ts';
import { createMemoryInvalidationBus } from '../shared-state/memory-invalidation-bus.ts';
import {
  createTokenCache, TOKEN_CACHE_MAX_ENTRIES, TOKEN_CACHE_REFRESH_AFTER_MS, TOKEN_CACHE_TTL_MS, tokenChanged, userChanged,
  type CachedToken,
} from './token-cache.ts';

const T0 = Date.parse('2026-11-25T10:00:00.000Z');

function entry(tokenId: number, userId = 1): CachedToken {
  const at = new Date(T0).toISOString();
  return {
    token: { id: tokenId, note: `token ${tokenId}`, scopes: ['repo'], createdAt: new Date(T0), expiresAt: null, lastUsedAt: null },
    user: {
      id: userId, username: `user${userId}`, username_key: `user${userId}`, email: `u${userId}@example.test`, email_key: `u${userId}@example.test`,
      name: null, password_hash: 'not used here', email_verified_at: at, created_at: at, updated_at: at, notify_new_token_network: 1, locale: null, suspended_at: null,
    },
  };
}

/** A bus whose reliability a test switches, as the Redis bus's does when Redis goes away and comes back. */
function switchableBus(): InvalidationBus & { reliable: boolean } {
  const inner = createMemoryInvalidationBus();
  const bus = { ...inner, reliable: true, isReliable: () => bus.reliable };
  return bus;
}

/** Caches `entry` as a check that read the store at `at` would. */
function store(cache: ReturnType<typeof createTokenCache>, hash: string, value: CachedToken, at = T0) {
  cache.set(hash, value, cache.generation(), at);
}

describe('token cache', () => {
  test('the promise: an entry lives one second at most', () => {
    assert.equal(TOKEN_CACHE_TTL_MS, 1000);
  });

  test('a hit returns what was stored; an unknown hash is a miss', () => {
    const cache = createTokenCache(createMemoryInvalidationBus());
    const value = entry(1);
    store(cache, 'hash-1', value);
    assert.equal(cache.get('hash-1', T0)?.token, value.token);
    assert.equal(cache.get('hash-1', T0)?.user, value.user);
    assert.equal(cache.get('hash-2', T0), undefined);
  });

  test('TTL edge: fresh one millisecond before, gone exactly at TTL after the read began', () => {
    const cache = createTokenCache(createMemoryInvalidationBus());
    store(cache, 'hash-1', entry(1), T0);
    assert.ok(cache.get('hash-1', T0 + TOKEN_CACHE_TTL_MS - 1));
    assert.equal(cache.get('hash-1', T0 + TOKEN_CACHE_TTL_MS), undefined);
    assert.equal(cache.get('hash-1', T0 + TOKEN_CACHE_TTL_MS - 1), undefined, 'an expired entry is dropped, not kept');
  });

  test('a clock set back before the read is not trusted', () => {
    const cache = createTokenCache(createMemoryInvalidationBus());
    store(cache, 'hash-1', entry(1), T0);
    assert.equal(cache.get('hash-1', T0 - 1), undefined);
  });

  test('a token change drops that token only, at once, in the publishing process', async () => {
    const bus = createMemoryInvalidationBus();
    const cache = createTokenCache(bus);
    store(cache, 'hash-1', entry(1));
    store(cache, 'hash-2', entry(2));
    await bus.publish(tokenChanged(1));
    assert.equal(cache.get('hash-1', T0), undefined);
    assert.ok(cache.get('hash-2', T0));
  });

  test('a user change drops every token of that user', async () => {
    const bus = createMemoryInvalidationBus();
    const cache = createTokenCache(bus);
    store(cache, 'a1', entry(1, 7));
    store(cache, 'a2', entry(2, 7));
    store(cache, 'b1', entry(3, 8));
    await bus.publish(userChanged(7));
    assert.equal(cache.get('a1', T0), undefined);
    assert.equal(cache.get('a2', T0), undefined);
    assert.ok(cache.get('b1', T0));
  });

  test('INVALIDATE_ALL drops everything; messages about something else drop nothing', async () => {
    const bus = createMemoryInvalidationBus();
    const cache = createTokenCache(bus);
    store(cache, 'hash-1', entry(1));
    await bus.publish('web-session:1');
    assert.ok(cache.get('hash-1', T0));
    await bus.publish(INVALIDATE_ALL);
    assert.equal(cache.size(), 0);
  });

  test('race: a read that began before an invalidation is not cached', async () => {
    const bus = createMemoryInvalidationBus();
    const cache = createTokenCache(bus);
    const generation = cache.generation(); // the check starts reading the store
    await bus.publish(tokenChanged(1)); // meanwhile the token is revoked and the news arrives
    cache.set('hash-1', entry(1), generation, T0); // the read returns the row as it was before the revocation
    assert.equal(cache.get('hash-1', T0), undefined);
    assert.equal(cache.size(), 0);
    store(cache, 'hash-1', entry(1)); // a read that began after the invalidation may be cached
    assert.ok(cache.get('hash-1', T0));
  });

  test('bypassed while the bus is not reliable, and nothing cached then', () => {
    const bus = switchableBus();
    const cache = createTokenCache(bus);
    store(cache, 'hash-1', entry(1));
    bus.reliable = false;
    assert.equal(cache.get('hash-1', T0), undefined);
    store(cache, 'hash-2', entry(2));
    bus.reliable = true;
    assert.equal(cache.get('hash-2', T0), undefined, 'not stored while unreliable');
  });

  test('refresh-ahead: an entry used late in its life is claimed for a new read once, and a new read starts it over', () => {
    const cache = createTokenCache(createMemoryInvalidationBus());
    store(cache, 'hash-1', entry(1), T0);
    assert.equal(cache.claimRefresh('hash-1', T0 + TOKEN_CACHE_REFRESH_AFTER_MS - 1), false, 'too young');
    assert.equal(cache.claimRefresh('hash-1', T0 + TOKEN_CACHE_REFRESH_AFTER_MS), true);
    assert.equal(cache.claimRefresh('hash-1', T0 + TOKEN_CACHE_REFRESH_AFTER_MS + 1), false, 'already being read');
    assert.equal(cache.claimRefresh('hash-2', T0 + TOKEN_CACHE_REFRESH_AFTER_MS), false, 'not cached');
    const readAt = T0 + TOKEN_CACHE_REFRESH_AFTER_MS;
    store(cache, 'hash-1', entry(1), readAt);
    assert.ok(cache.get('hash-1', T0 + TOKEN_CACHE_TTL_MS), 'the new read keeps it past the first read\'s second');
    assert.equal(cache.claimRefresh('hash-1', readAt + TOKEN_CACHE_REFRESH_AFTER_MS - 1), false);
    assert.equal(cache.claimRefresh('hash-1', readAt + TOKEN_CACHE_REFRESH_AFTER_MS), true);
  });

  test('bounded: past the cap the least recently used entry goes', () => {
    assert.equal(TOKEN_CACHE_MAX_ENTRIES, 1000);
    const cache = createTokenCache(createMemoryInvalidationBus(), { maxEntries: 3 });
    store(cache, 'h1', entry(1));
    store(cache, 'h2', entry(2));
    store(cache, 'h3', entry(3));
    assert.ok(cache.get('h1', T0)); // h1 is now the most recently used; h2 the least
    store(cache, 'h4', entry(4));
    assert.equal(cache.size(), 3);
    assert.equal(cache.get('h2', T0), undefined);
    for (const hash of ['h1', 'h3', 'h4']) assert.ok(cache.get(hash, T0), hash);
    for (let i = 5; i < 1000; i++) store(cache, `h${i}`, entry(i));
    assert.equal(cache.size(), 3);
  });
});

describe('checkToken with the cache, on a real store', () => {
  async function open(t: TestContext) {
    const { config, db } = await openTestDatabase(t);
    const counter = new QueryCounter();
    const overtaken = new OvertakenReads();
    const clock = fakeClock(new Date(T0));
    const deps = createDeps(config, db.withPlugin(counter).withPlugin(overtaken), { clock, mailer: { send: async () => {} } });
    const signedUp = await signUp(deps, { username: 'cached', email: 'cached@example.test', password: 'correct horse battery staple' }, { verified: true });
    assert.ok(signedUp.ok);
    return { deps, counter, overtaken, clock, user: signedUp.user };
  }

  test('a second check within the second costs no query; one after a second unused reads the store again', async (t) => {
    const { deps, counter, clock, user } = await open(t);
    const created = await createPersonalAccessToken(deps, user, { note: 'hot', scopes: ['repo'], expiresAt: null });
    assert.ok(created.ok);
    assert.ok((await checkToken(deps, created.secret)).ok);
    const before = counter.queries;
    clock.advance(TOKEN_CACHE_REFRESH_AFTER_MS - 1);
    assert.ok((await checkToken(deps, created.secret)).ok);
    await deps.background!.settled();
    assert.equal(counter.queries, before);
    clock.advance(TOKEN_CACHE_TTL_MS - TOKEN_CACHE_REFRESH_AFTER_MS + 1);
    assert.ok((await checkToken(deps, created.secret)).ok);
    assert.equal(counter.queries, before + 1);
  });

  test('a token in steady use is read again in the background before its second is up, and never misses', async (t) => {
    const { deps, counter, clock, user } = await open(t);
    const created = await createPersonalAccessToken(deps, user, { note: 'steady', scopes: ['repo'], expiresAt: null });
    assert.ok(created.ok);
    assert.ok((await checkToken(deps, created.secret)).ok);
    clock.advance(TOKEN_CACHE_REFRESH_AFTER_MS);
    // Changed behind the cache's back (no invalidation), so that only a new read can see it.
    await deps.db.updateTable('users').set({ name: 'Read Again' }).where('id', '=', user.id).execute();
    const before = counter.queries;
    const stale = await checkToken(deps, created.secret);
    assert.ok(stale.ok);
    assert.equal(stale.principal.user.name, null, 'answered from the entry while it is read again');
    await deps.background!.settled();
    assert.equal(counter.queries, before + 1, 'one read, in the background');
    clock.advance(TOKEN_CACHE_REFRESH_AFTER_MS - 1);
    const fresh = await checkToken(deps, created.secret);
    assert.ok(fresh.ok);
    assert.equal(fresh.principal.user.name, 'Read Again', 'what the background read found');
    await deps.background!.settled();
    assert.equal(counter.queries, before + 1, 'past the first read\'s second, no query in the foreground');
  });

  test('a background read that a deletion overtook is not kept: the token is refused at once', async (t) => {
    const { deps, overtaken, clock, user } = await open(t);
    const created = await createPersonalAccessToken(deps, user, { note: 'overtaken', scopes: ['repo'], expiresAt: null });
    assert.ok(created.ok);
    assert.ok((await checkToken(deps, created.secret)).ok);
    clock.advance(TOKEN_CACHE_REFRESH_AFTER_MS);
    // Deleted elsewhere between the background read and its answer: the announcement arrives first, and the row goes
    // (below) without another one, so only a read that was not kept lets the check see it.
    overtaken.overtakeNext(() => deps.shared.invalidations.publish(tokenChanged(created.token.id)));
    assert.ok((await checkToken(deps, created.secret)).ok, 'still answered from the entry');
    await deps.background!.settled();
    await deps.db.deleteFrom('personal_access_tokens').where('id', '=', created.token.id).execute();
    assert.deepEqual(await checkToken(deps, created.secret), { ok: false, reason: 'unknown' });
  });

  test('deleted, regenerated, and a changed user: refused or fresh at once, though cached', async (t) => {
    const { deps, user } = await open(t);
    const doomed = await createPersonalAccessToken(deps, user, { note: 'doomed', scopes: ['repo'], expiresAt: null });
    const replaced = await createPersonalAccessToken(deps, user, { note: 'replaced', scopes: ['repo'], expiresAt: null });
    assert.ok(doomed.ok && replaced.ok);
    assert.ok((await checkToken(deps, doomed.secret)).ok);
    assert.ok((await checkToken(deps, replaced.secret)).ok);

    assert.ok(await deletePersonalAccessToken(deps, user, doomed.token.id));
    assert.deepEqual(await checkToken(deps, doomed.secret), { ok: false, reason: 'unknown' });
    const regenerated = await regeneratePersonalAccessToken(deps, user, replaced.token.id, null);
    assert.ok(regenerated.ok);
    assert.deepEqual(await checkToken(deps, replaced.secret), { ok: false, reason: 'unknown' });

    const renamed = await updateDisplayName(deps, user, 'New Name');
    assert.ok(renamed.ok);
    const check = await checkToken(deps, regenerated.secret);
    assert.ok(check.ok);
    assert.equal(check.principal.user.name, renamed.user.name);
  });

  test('a suspended owner\'s token is refused at once, though cached, and works again once the suspension is lifted', async (t) => {
    const { deps, user } = await open(t);
    const created = await createPersonalAccessToken(deps, user, { note: 'owner suspended', scopes: ['repo'], expiresAt: null });
    assert.ok(created.ok);
    assert.ok((await checkToken(deps, created.secret)).ok);
    assert.ok((await setUserSuspended(deps, user, true)).changed);
    assert.deepEqual(await checkToken(deps, created.secret), { ok: false, reason: 'suspended' });
    assert.deepEqual(await checkToken(deps, created.secret), { ok: false, reason: 'suspended' }, 'the refusal is cached no more than the check');
    assert.ok((await setUserSuspended(deps, user, false)).changed);
    assert.ok((await checkToken(deps, created.secret)).ok);
  });

  test('an expired token is refused from the cache at the instant it expires', async (t) => {
    const { deps, counter, clock, user } = await open(t);
    const created = await createPersonalAccessToken(deps, user, { note: 'short', scopes: ['repo'], expiresAt: new Date(T0 + 500) });
    assert.ok(created.ok);
    assert.ok((await checkToken(deps, created.secret)).ok);
    const before = counter.queries;
    clock.advance(499);
    assert.ok((await checkToken(deps, created.secret)).ok);
    clock.advance(1);
    assert.deepEqual(await checkToken(deps, created.secret), { ok: false, reason: 'expired' });
    assert.equal(counter.queries, before, 'answered from the cache, against the clock');
  });

  test('the cache never holds the secret', async (t) => {
    const { deps, user } = await open(t);
    const created = await createPersonalAccessToken(deps, user, { note: 'kept', scopes: ['repo'], expiresAt: null });
    assert.ok(created.ok);
    assert.ok((await checkToken(deps, created.secret)).ok);
    const cached = deps.tokenCache.get(hashToken(created.secret), T0);
    assert.ok(cached);
    assert.ok(!JSON.stringify(cached).includes(created.secret));
    assert.equal(deps.tokenCache.get(created.secret, T0), undefined, 'keyed by the hash, not the secret');
  });
});
