import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer, type TestServer } from '../../test/helpers/server.ts';
import { QueryCounter } from '../../test/helpers/query-counter.ts';
import { fakeClock } from '../../test/helpers/fake-clock.ts';
import type { Deps } from './deps.ts';
import { createTokenUseRecorder, TOKEN_USE_WRITE_INTERVAL_MS, TOKEN_USES_KEPT } from './token-uses.ts';

async function newToken(server: TestServer, note: string) {
  const user = await server.createUser();
  await server.createToken(user, { note });
  const row = await server.db.selectFrom('personal_access_tokens').select(['id', 'note']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
  return { user, token: row };
}

const newNetworkMails = async (server: TestServer, email: string) =>
  (await server.readOutbox()).filter((message) => message.to.includes(email) && /new network/.test(message.subject));

test('the token-use recorder on a real store', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });

  await t.test('a hundred uses within the interval cost one write; the next interval one more', async () => {
    const { user, token } = await newToken(server, 'busy');
    const counter = new QueryCounter();
    const deps: Deps = { ...server.deps, db: server.db.withPlugin(counter) };
    const recorder = createTokenUseRecorder();
    for (let i = 0; i < 100; i += 1) {
      recorder.record(deps, token, user.id, { clientAddress: '198.51.100.1', userAgent: 'curl/8' }, clock.now());
      clock.advance(500); // 100 × 0.5 s < one minute
    }
    await recorder.settled();
    const afterFirst = counter.queries;
    const updatesAfterFirst = counter.updates;
    assert.ok(afterFirst > 0 && afterFirst <= 8, `one first sight: ${afterFirst} queries`);
    clock.advance(TOKEN_USE_WRITE_INTERVAL_MS);
    recorder.record(deps, token, user.id, { clientAddress: '198.51.100.1', userAgent: 'curl/8' }, clock.now());
    await recorder.settled();
    assert.equal(counter.queries - afterFirst, 1, 'a known combination: one conditional update');
    assert.equal(counter.updates - updatesAfterFirst, 1);
  });

  await t.test('rows are pruned to the newest few per token', async () => {
    const { user, token } = await newToken(server, 'roaming');
    const recorder = createTokenUseRecorder();
    for (let i = 1; i <= TOKEN_USES_KEPT + 5; i += 1) {
      clock.advance(1000);
      recorder.record(server.deps, token, user.id, { clientAddress: `203.0.113.${i}`, userAgent: 'git/2' }, clock.now());
      await recorder.settled();
    }
    const rows = await server.db.selectFrom('token_uses').select('client_address').where('token_id', '=', token.id).execute();
    assert.equal(rows.length, TOKEN_USES_KEPT);
    assert.ok(!rows.some((row) => ['203.0.113.1', '203.0.113.5'].includes(row.client_address)));
    assert.ok(rows.some((row) => row.client_address === `203.0.113.${TOKEN_USES_KEPT + 5}`));
  });

  await t.test('two processes seeing the same new network at once mail once', async () => {
    const { user, token } = await newToken(server, 'shared');
    const [one, two] = [createTokenUseRecorder(), createTokenUseRecorder()];
    one.record(server.deps, token, user.id, { clientAddress: '198.51.100.7', userAgent: 'curl/8' }, clock.now());
    await one.settled();
    clock.advance(1000);
    for (let i = 0; i < 5; i += 1) {
      one.record(server.deps, token, user.id, { clientAddress: '192.0.2.44', userAgent: `agent-one/${i}` }, clock.now());
      two.record(server.deps, token, user.id, { clientAddress: '192.0.2.44', userAgent: `agent-two/${i}` }, clock.now());
    }
    await Promise.all([one.settled(), two.settled()]);
    assert.equal((await newNetworkMails(server, user.email)).length, 1);
  });

  await t.test('a failed write is reported, never thrown, and tried again on the next use', async () => {
    const { user, token } = await newToken(server, 'doomed');
    const errors: unknown[] = [];
    const recorder = createTokenUseRecorder((error) => errors.push(error));
    const gone = { id: token.id + 100_000, note: 'gone' }; // no such token: the foreign key refuses the row
    recorder.record(server.deps, gone, user.id, { clientAddress: '198.51.100.9', userAgent: 'x' }, clock.now());
    await recorder.settled();
    assert.equal(errors.length, 1);
    assert.equal(recorder.size(), 0, 'forgotten, so the next use writes again');
  });

  await t.test('the in-process throttle remembers a bounded number of combinations', async () => {
    const { user, token } = await newToken(server, 'bounded');
    const recorder = createTokenUseRecorder(() => {}, 3);
    for (let i = 0; i < 10; i += 1) {
      recorder.record(server.deps, token, user.id, { clientAddress: `198.51.100.${i}`, userAgent: 'y' }, clock.now());
    }
    await recorder.settled();
    assert.ok(recorder.size() <= 3, `tracked ${recorder.size()}`);
  });
});
