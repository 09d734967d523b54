import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { Kysely } from 'kysely';
import { openTestDatabase } from '../../test/helpers/store.ts';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import { QueryCounter } from '../../test/helpers/query-counter.ts';
import { createDeps } from '../runtime.ts';
import type { Config } from '../config/config.ts';
import type { Database, UserRow } from '../store/database.ts';
import { insertUser } from '../store/user-store.ts';
import { findTokenByHash, insertToken } from '../store/token-store.ts';
import type { Deps } from './deps.ts';
import { createLastUsedRecorder, LAST_USED_WRITE_INTERVAL_MS } from './token-last-used.ts';
import { checkToken, createPersonalAccessToken } from './tokens.ts';
import { hashToken } from './token-format.ts';

const START = new Date('2026-11-25T10:00:00.000Z');

interface Fixture {
  config: Config;
  db: Kysely<Database>;
  counter: QueryCounter;
  counted: Kysely<Database>;
  user: UserRow;
  /** Inserts a token row directly; returns its id. */
  addToken(note: string, lastUsedAt?: string | null): Promise<{ id: number; lastUsedAt: Date | null; hash: string }>;
  lastUsedOf(hash: string): Promise<string | null>;
}

async function openFixture(t: TestContext): Promise<Fixture> {
  const { config, db } = await openTestDatabase(t);
  const counter = new QueryCounter();
  const now = START.toISOString();
  const user = await insertUser(db, {
    username: 'octocat', username_key: 'octocat', email: 'octocat@example.test', email_key: 'octocat@example.test',
    name: null, password_hash: 'not used here', email_verified_at: now, created_at: now, updated_at: now,
  });
  return {
    config,
    db,
    counter,
    counted: db.withPlugin(counter),
    user,
    async addToken(note, lastUsedAt = null) {
      const hash = hashToken(`secret of ${note}`);
      const row = await insertToken(db, {
        user_id: user.id, note, token_hash: hash, scopes: 'repo', created_at: now, updated_at: now, expires_at: null,
        last_used_at: lastUsedAt,
      });
      return { id: row.id, lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at), hash };
    },
    async lastUsedOf(hash) {
      return (await findTokenByHash(db, hash))!.last_used_at;
    },
  };
}

describe('createLastUsedRecorder on a real store', () => {
  test('the interval is one minute', () => assert.equal(LAST_USED_WRITE_INTERVAL_MS, 60_000));

  test('writes the first use at once', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('first');
    const recorder = createLastUsedRecorder();
    await recorder.record(f.counted, token, START);
    assert.equal(f.counter.updates, 1);
    assert.equal(await f.lastUsedOf(token.hash), START.toISOString());
  });

  test('at most one write per token per interval, and a write again once the interval has passed', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('busy');
    const clock = fakeClock(START);
    const recorder = createLastUsedRecorder();

    await recorder.record(f.counted, token, clock.now());
    for (const step of [1, 999, 10_000, 30_000, 18_999]) { // ends at START + 59,999 ms
      clock.advance(step);
      await recorder.record(f.counted, token, clock.now());
      await recorder.record(f.counted, token, clock.now());
    }
    assert.equal(clock.now().getTime() - START.getTime(), LAST_USED_WRITE_INTERVAL_MS - 1);
    assert.equal(f.counter.updates, 1, 'no second write within the interval');
    assert.equal(await f.lastUsedOf(token.hash), START.toISOString());

    clock.advance(1); // exactly one interval after the first write
    await recorder.record(f.counted, token, clock.now());
    assert.equal(f.counter.updates, 2);
    assert.equal(await f.lastUsedOf(token.hash), new Date(START.getTime() + LAST_USED_WRITE_INTERVAL_MS).toISOString());

    clock.advance(1000);
    await recorder.record(f.counted, token, clock.now());
    assert.equal(f.counter.updates, 2, 'the interval counts from the last write, not from the first');

    clock.advance(LAST_USED_WRITE_INTERVAL_MS);
    await recorder.record(f.counted, token, clock.now());
    assert.equal(f.counter.updates, 3);
    assert.equal(await f.lastUsedOf(token.hash), clock.now().toISOString());
  });

  test('a thousand uses in one interval cost one write', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('hot');
    const clock = fakeClock(START);
    const recorder = createLastUsedRecorder();
    for (let i = 0; i < 1000; i++) {
      await recorder.record(f.counted, token, clock.now());
      clock.advance(59); // 1000 × 59 ms < one minute
    }
    assert.equal(f.counter.updates, 1);
  });

  test('concurrent uses at the same instant cost one write', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('parallel');
    const recorder = createLastUsedRecorder();
    await Promise.all(Array.from({ length: 20 }, () => recorder.record(f.counted, token, START)));
    assert.equal(f.counter.updates, 1);
  });

  test('tokens are coalesced separately', async (t) => {
    const f = await openFixture(t);
    const a = await f.addToken('a');
    const b = await f.addToken('b');
    const clock = fakeClock(START);
    const recorder = createLastUsedRecorder();
    await recorder.record(f.counted, a, clock.now());
    clock.advance(10);
    await recorder.record(f.counted, b, clock.now());
    await recorder.record(f.counted, a, clock.now());
    assert.equal(f.counter.updates, 2);
    assert.equal(await f.lastUsedOf(a.hash), START.toISOString());
    assert.equal(await f.lastUsedOf(b.hash), new Date(START.getTime() + 10).toISOString());
  });

  test('a recent last_used_at already in the store is honoured by a fresh recorder (another process, a restart)', async (t) => {
    const f = await openFixture(t);
    const stored = new Date(START.getTime() - LAST_USED_WRITE_INTERVAL_MS + 1).toISOString();
    const token = await f.addToken('restarted', stored);
    const recorder = createLastUsedRecorder();
    await recorder.record(f.counted, token, START);
    assert.equal(f.counter.updates, 0);
    assert.equal(await f.lastUsedOf(token.hash), stored);
    await recorder.record(f.counted, token, new Date(START.getTime() + 1));
    assert.equal(f.counter.updates, 1, 'one interval after the stored use, it writes');
  });

  test('an old last_used_at in the store does not hold a write back', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('stale', new Date(START.getTime() - LAST_USED_WRITE_INTERVAL_MS).toISOString());
    const recorder = createLastUsedRecorder();
    await recorder.record(f.counted, token, START);
    assert.equal(f.counter.updates, 1);
    assert.equal(await f.lastUsedOf(token.hash), START.toISOString());
  });

  test('two processes (two recorders) that both decide to write within one interval change the row once', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('shared');
    const first = createLastUsedRecorder();
    const second = createLastUsedRecorder();
    const countChanged = async (recorder: ReturnType<typeof createLastUsedRecorder>, at: Date) => {
      const before = await f.lastUsedOf(token.hash);
      await recorder.record(f.counted, token, at); // each sees the row as it read it: last_used_at null
      return (await f.lastUsedOf(token.hash)) !== before;
    };
    assert.equal(await countChanged(first, START), true);
    const later = new Date(START.getTime() + LAST_USED_WRITE_INTERVAL_MS - 1);
    assert.equal(await countChanged(second, later), false, 'the stored use is recent: the conditional UPDATE changes nothing');
    assert.equal(await f.lastUsedOf(token.hash), START.toISOString());
    const next = new Date(START.getTime() + LAST_USED_WRITE_INTERVAL_MS);
    assert.equal(await countChanged(first, next), true, 'one interval after the stored use, it is written again');
  });

  test('the throttle is bounded: past its size it forgets the oldest writes', async (t) => {
    const f = await openFixture(t);
    const recorder = createLastUsedRecorder(() => {}, 3);
    const tokens = [];
    for (const note of ['t1', 't2', 't3', 't4', 't5']) tokens.push(await f.addToken(note));
    for (const token of tokens) await recorder.record(f.counted, token, START);
    assert.equal(recorder.size(), 3);
    assert.equal(f.counter.updates, 5);
  });

  test('a failed write never throws, is reported, and is tried again on the next use', async (t) => {
    const f = await openFixture(t);
    const token = await f.addToken('flaky');
    const errors: unknown[] = [];
    const recorder = createLastUsedRecorder((error) => errors.push(error));
    f.counter.failNextUpdates = 1;
    await recorder.record(f.counted, token, START);
    assert.equal(errors.length, 1);
    assert.match(String((errors[0] as Error).message), /simulated store failure/);
    assert.equal(await f.lastUsedOf(token.hash), null);

    const next = new Date(START.getTime() + 1);
    await recorder.record(f.counted, token, next);
    assert.equal(f.counter.updates, 1);
    assert.equal(await f.lastUsedOf(token.hash), next.toISOString());
    assert.equal(errors.length, 1);
  });
});

describe('checkToken records last use through the recorder', () => {
  test('many checks within an interval write once; a check after the interval writes again', async (t) => {
    const f = await openFixture(t);
    const clock = fakeClock(START);
    // The service's own wiring, on the counting connection, with a fake clock and a mailer that must not be used.
    const deps: Deps = createDeps(f.config, f.counted, {
      clock,
      mailer: { send: async () => { throw new Error('no mail expected'); } },
      onBackgroundError: (error) => { throw error; },
    });
    const created = await createPersonalAccessToken(deps, f.user, { note: 'api', scopes: ['repo'], expiresAt: null });
    assert.ok(created.ok);
    assert.equal(f.counter.updates, 0);

    for (let i = 0; i < 10; i++) {
      const result = await checkToken(deps, created.secret);
      assert.ok(result.ok);
      clock.advance(5_999); // ten checks span 59,990 ms
    }
    assert.equal(f.counter.updates, 1);
    const stored = await findTokenByHash(f.db, hashToken(created.secret));
    assert.equal(stored!.last_used_at, START.toISOString());

    clock.set(new Date(START.getTime() + LAST_USED_WRITE_INTERVAL_MS));
    const again = await checkToken(deps, created.secret);
    assert.ok(again.ok);
    assert.equal(f.counter.updates, 2);
    assert.equal((await findTokenByHash(f.db, hashToken(created.secret)))!.last_used_at, clock.now().toISOString());
  });
});
