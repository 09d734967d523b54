import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestDatabase } from '../../test/helpers/store.ts';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import { QueryCounter } from '../../test/helpers/query-counter.ts';
import { createDeps } from '../runtime.ts';
import { signUp } from './accounts.ts';
import { countRepositoriesOf, REPOSITORY_COUNTS_REFRESH_AFTER_MS, REPOSITORY_COUNTS_TTL_MS } from './repository-counts.ts';

test('counts in steady use are read again in the background before their second is up, and never miss', async (t) => {
  const { config, db } = await openTestDatabase(t);
  const counter = new QueryCounter();
  const clock = fakeClock();
  const deps = createDeps(config, db.withPlugin(counter), { clock, mailer: { send: async () => {} } });
  const signedUp = await signUp(deps, { username: 'counted', email: 'counted@example.test', password: 'correct horse battery staple' }, { verified: true });
  assert.ok(signedUp.ok);
  const userId = signedUp.user.id;

  const first = counter.queries;
  assert.deepEqual(await countRepositoriesOf(deps, userId), { public: 0, private: 0 });
  assert.equal(counter.queries, first + 1, 'read once');
  clock.advance(REPOSITORY_COUNTS_REFRESH_AFTER_MS - 1);
  await countRepositoriesOf(deps, userId);
  await deps.background!.settled();
  assert.equal(counter.queries, first + 1, 'too young to be read again');

  clock.advance(1);
  await countRepositoriesOf(deps, userId);
  await countRepositoriesOf(deps, userId);
  await deps.background!.settled();
  assert.equal(counter.queries, first + 2, 'one read in the background, however many asked');

  clock.advance(REPOSITORY_COUNTS_REFRESH_AFTER_MS - 1);
  assert.ok(clock.now().getTime() - REPOSITORY_COUNTS_TTL_MS > Date.parse('2026-11-25T10:00:00.000Z'), 'past the first read\'s second');
  await countRepositoriesOf(deps, userId);
  await deps.background!.settled();
  assert.equal(counter.queries, first + 2, 'answered from the new read');
});
