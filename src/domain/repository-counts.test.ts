import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { openTestDatabase } from '../../test/helpers/store.ts';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import { OvertakenReads } from '../../test/helpers/overtaken-reads.ts';
import { QueryCounter } from '../../test/helpers/query-counter.ts';
import { createDeps } from '../runtime.ts';
import { signUp } from './accounts.ts';
import {
  announceRepositoriesChanged, countRepositoriesOf, REPOSITORY_COUNTS_REFRESH_AFTER_MS, REPOSITORY_COUNTS_TTL_MS,
} from './repository-counts.ts';

async function open(t: TestContext) {
  const { config, db } = await openTestDatabase(t);
  const counter = new QueryCounter();
  const overtaken = new OvertakenReads();
  const clock = fakeClock();
  const deps = createDeps(config, db.withPlugin(counter).withPlugin(overtaken), { clock, mailer: { send: async () => {} } });
  const signedUp = await signUp(deps, { username: 'counted', email: 'counted@example.test', password: 'correct horse battery staple' }, { verified: true });
  assert.ok(signedUp.ok);
  return { deps, counter, overtaken, clock, userId: signedUp.user.id };
}

test('counts in steady use are read again in the background before their second is up, and never miss', async (t) => {
  const { deps, counter, clock, userId } = await open(t);
  const t0 = clock.now().getTime();

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
  assert.ok(clock.now().getTime() - REPOSITORY_COUNTS_TTL_MS > t0, 'past the first read\'s second');
  await countRepositoriesOf(deps, userId);
  await deps.background!.settled();
  assert.equal(counter.queries, first + 2, 'answered from the new read');
});

test('a read overtaken by a change of the owner\'s repositories is not kept', async (t) => {
  const { deps, overtaken, clock, userId } = await open(t);
  await countRepositoriesOf(deps, userId);
  clock.advance(REPOSITORY_COUNTS_REFRESH_AFTER_MS);
  overtaken.overtakeNext(() => announceRepositoriesChanged(deps, userId));
  await countRepositoriesOf(deps, userId);
  await deps.background!.settled();
  assert.equal(deps.repositoryCounts.get(userId, clock.now().getTime()), undefined, 'the next request reads the store');
});
