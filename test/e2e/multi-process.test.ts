/**
 * Two `tessera serve` processes over one PostgreSQL and one Redis behave as one service, as a user behind a load
 * balancer sees it: a token made on one works on the other at once, a revoked one stops everywhere within a second,
 * the rate limit is one budget, the one-time token display survives landing on the other process, last use is
 * recorded wherever the token was used. Then the shared services break under traffic: Redis killed and restarted
 * (authentication never fails; rate limits count per process meanwhile, then are shared again), PostgreSQL stopped
 * and started (503 with Retry-After, never 500; the service heals by itself; no acknowledged write is lost).
 *
 * The PostgreSQL and Redis are this test's own (test/helpers/private-services.ts), so the machine's stay up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deletePersonalAccessToken } from '../../src/domain/tokens.ts';
import { missingCommands } from '../helpers/private-services.ts';
import { runTessera } from '../helpers/serve-process.ts';
import { Traffic, type TrafficResult, within } from '../helpers/traffic.ts';
import { WebClient } from '../helpers/web-client.ts';
import {
  answers, api, newTokensIn, PASSWORD, RATE_LIMIT, REVOCATION_DEADLINE_MS, startTwoServeProcesses, tokenRow, UNAVAILABLE,
} from './multi-process-fixture.ts';

test('two tessera serve processes over one PostgreSQL and one Redis behave as one service', async (t) => {
  const missing = missingCommands('initdb', 'pg_ctl', 'redis-server');
  if (missing.length > 0) {
    t.skip(`needs ${missing.join(', ')} in PATH (PostgreSQL's server binaries and redis-server; see scripts/test-prerequisites.sh)`);
    return;
  }
  const { postgres, redis, env, db, deps, a, b, servers, users, tokenOf, statuses, refusedEverywhere, alice } = await startTwoServeProcesses(t);

  await t.test('a token made with the CLI works at once on both; revoked with the CLI, it stops on both within a second', async () => {
    const secret = await runTessera(env, 'token', 'create', '--user', 'bob', '--note', 'laptop', '--scopes', 'repo');
    assert.deepEqual(await statuses(secret), [200, 200]);
    await runTessera(env, 'token', 'revoke', '--user', 'bob', '--note', 'laptop');
    await refusedEverywhere(secret, 'revoked token');
    const refused = await api(b, '/user', secret);
    assert.equal(refused.body.message, 'Bad credentials');
  });

  await t.test('a user suspended with the CLI: their tokens stop on both within a second; unsuspended, they work again', async () => {
    const secret = await tokenOf(users.kim, 'suspended soon');
    assert.deepEqual(await statuses(secret), [200, 200], 'checked, so both processes hold it in their caches');
    await runTessera(env, 'user', 'suspend', '--username', 'kim');
    await refusedEverywhere(secret, 'token of a suspended user');
    await runTessera(env, 'user', 'unsuspend', '--username', 'kim');
    await within(REVOCATION_DEADLINE_MS, 'the token works again on A and B', async () => (await statuses(secret)).every((status) => status === 200));
  });

  await t.test('a new token shown once after a redirect that lands on the other process; last use recorded from there', async () => {
    await alice.get(`${a.baseUrl}/login`);
    const signedIn = await alice.submit(`${a.baseUrl}/login`, { login: 'alice', password: PASSWORD, return_to: '/settings/tokens' });
    assert.equal(signedIn.status, 302);
    await alice.get(`${a.baseUrl}/settings/tokens/new`);
    const created = await alice.submit(`${a.baseUrl}/settings/tokens`, { note: 'ci', expiration: '30', scopes: 'repo' });
    assert.equal(created.status, 302);
    assert.equal(created.location, '/settings/tokens');

    const shown = await alice.get(`${b.baseUrl}${created.location}`); // the load balancer sent the redirect to B
    assert.equal(shown.status, 200);
    assert.match(shown.body, /Make sure to copy your personal access token now/);
    const [secret, ...others] = newTokensIn(shown.body);
    assert.ok(secret, 'B shows the token A made');
    assert.deepEqual(others, []);
    assert.deepEqual(newTokensIn((await alice.get(`${b.baseUrl}/settings/tokens`)).body), [], 'not shown a second time on B');
    const listOnA = (await alice.get(`${a.baseUrl}/settings/tokens`)).body;
    assert.deepEqual(newTokensIn(listOnA), [], 'nor on A');
    assert.equal(tokenRow(listOnA, 'ci').lastUsed, 'Never used');

    const usedSince = Date.now();
    const used = await api(b, '/user', secret);
    assert.equal(used.status, 200);
    assert.equal(used.body.login, 'alice');
    assert.equal(tokenRow((await alice.get(`${a.baseUrl}/settings/tokens`)).body, 'ci').lastUsed, 'Last used within the last week', 'A shows the use on B');
    const row = await db.selectFrom('personal_access_tokens').select('last_used_at').where('note', '=', 'ci').executeTakeFirstOrThrow();
    const lastUsed = Date.parse(String(row.last_used_at));
    assert.ok(lastUsed >= usedSince - 1000 && lastUsed <= Date.now() + 1000, `last_used_at ${row.last_used_at} is the use on B`);
  });

  await t.test('deleted or regenerated on the web on A, a token stops working on B within a second', async () => {
    const created: string[] = [];
    for (const note of ['to delete', 'to regenerate']) {
      await alice.get(`${a.baseUrl}/settings/tokens/new`);
      assert.equal((await alice.submit(`${a.baseUrl}/settings/tokens`, { note, expiration: '30', scopes: 'repo' })).status, 302);
      const [secret] = newTokensIn((await alice.get(`${a.baseUrl}/settings/tokens`)).body);
      assert.ok(secret);
      created.push(secret);
    }
    const [deleted, regenerated] = created as [string, string];
    const list = (await alice.get(`${a.baseUrl}/settings/tokens`)).body;
    assert.deepEqual(await statuses(deleted), [200, 200]);
    assert.deepEqual(await statuses(regenerated), [200, 200]);

    const removed = await alice.submit(`${a.baseUrl}/settings/tokens/${tokenRow(list, 'to delete').id}/delete`, {});
    assert.equal(removed.status, 302);
    await refusedEverywhere(deleted, 'deleted token');

    const id = tokenRow(list, 'to regenerate').id;
    await alice.get(`${a.baseUrl}/settings/tokens/${id}/regenerate`);
    assert.equal((await alice.submit(`${a.baseUrl}/settings/tokens/${id}/regenerate`, { expiration: '30' })).status, 302);
    await refusedEverywhere(regenerated, 'old secret');
    const [fresh] = newTokensIn((await alice.get(`${b.baseUrl}/settings/tokens`)).body);
    assert.ok(fresh && fresh !== regenerated);
    assert.deepEqual(await statuses(fresh), [200, 200]);
  });

  await t.test('one rate limit for both: requests split over A and B use up one budget', async () => {
    const secret = await tokenOf(users.carol, 'budget');
    for (let used = 1; used <= RATE_LIMIT; used += 1) {
      const response = await api(servers[used % 2]!, '/user', secret);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-ratelimit-remaining'), String(RATE_LIMIT - used), `request ${used}`);
    }
    for (const server of servers) {
      const refused = await api(server, '/user', secret);
      assert.equal(refused.status, 403, `the ${RATE_LIMIT + 1}th request on ${server.name}`);
      assert.equal(refused.headers.get('x-ratelimit-remaining'), '0');
      assert.equal(refused.body.message, `API rate limit exceeded for user ID ${users.carol.id}.`);
    }
  });

  await t.test('Redis killed and restarted: authentication never fails, rate limits count per process meanwhile, then are shared again', async (t) => {
    const erin = await tokenOf(users.erin, 'traffic');
    const traffic = new Traffic(t, [0, 1].map((index) => async (iteration) => {
      const response = await api(servers[index]!, '/user', erin);
      return { what: `${servers[index]!.name} GET /user #${iteration}`, kind: 'auth', status: response.status, retryAfter: null };
    }));
    await traffic.until('answers before Redis goes', 10_000, (results) => results.length >= 4);

    await redis.kill();
    // Per process now (src/shared-state/connect.ts): each process counts gina's first request as her first.
    const gina = await tokenOf(users.gina, 'outage');
    for (const server of servers) {
      const response = await api(server, '/user', gina);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('x-ratelimit-remaining'), String(RATE_LIMIT - 1), `${server.name} counts alone while Redis is down`);
    }
    // Revoking still works at once everywhere: authentication is the database's, whatever Redis does.
    const ginaToken = (await db.selectFrom('personal_access_tokens').select('id').where('user_id', '=', users.gina.id).executeTakeFirstOrThrow()).id;
    await deletePersonalAccessToken(deps, users.gina, ginaToken);
    await refusedEverywhere(gina, 'token deleted while Redis is down');

    await redis.start();
    // Shared again once hank's requests counted on A show on B's /rate_limit (which counts nothing). While either
    // process still counts in its own memory the two differ: B alone never counted hank.
    const hank = await tokenOf(users.hank, 'resume');
    const resumed = await within(10_000, 'rate limits shared again after Redis came back', async () => {
      const counted = await api(a, '/user', hank);
      const seen = await api(b, '/rate_limit', hank);
      return counted.headers.get('x-ratelimit-used') === String((seen.body.rate as { used: number }).used);
    });
    t.diagnostic(`rate limits shared again ${Math.round(resumed)} ms after Redis started`);
    const ivy = await tokenOf(users.ivy, 'shared');
    assert.equal((await api(a, '/user', ivy)).headers.get('x-ratelimit-remaining'), String(RATE_LIMIT - 1));
    assert.equal((await api(b, '/user', ivy)).headers.get('x-ratelimit-remaining'), String(RATE_LIMIT - 2), 'B counts on from A');

    const after = performance.now();
    await traffic.until('answers after Redis came back', 10_000, (results) => results.filter((result) => result.at > after).length >= 4);
    const results = await traffic.stop();
    assert.deepEqual(results.filter((result) => result.status !== 200).map((result) => `${result.what} → ${result.status}`), [], 'every request authenticated');

    // And invalidation is shared again: a token revoked now stops on both within the second.
    const judy = await tokenOf(users.judy, 'after');
    assert.deepEqual(await statuses(judy), [200, 200]);
    await runTessera(env, 'token', 'revoke', '--user', 'judy', '--note', 'after');
    await refusedEverywhere(judy, 'token revoked after Redis came back');
  });

  await t.test('PostgreSQL stopped and started under traffic: 503 with Retry-After meanwhile, never 500, healed by itself, no acknowledged write lost', async (t) => {
    const frank = await tokenOf(users.frank, 'writes');
    const writer = new WebClient();
    await writer.get(`${a.baseUrl}/login`);
    assert.equal((await writer.submit(`${a.baseUrl}/login`, { login: 'frank', password: PASSWORD, return_to: '/settings/tokens' })).status, 302);
    await writer.get(`${a.baseUrl}/settings/tokens/new`);
    const traffic = new Traffic(t, [
      ...servers.map((server) => async (iteration: number) => {
        const name = `r-${server.name}-${iteration}`;
        const response = await api(server, '/user/repos', frank, { method: 'POST', body: { name } });
        return { what: `${server.name} POST /user/repos ${name}`, kind: 'repo', status: response.status, retryAfter: response.headers.get('retry-after'), detail: name };
      }),
      async (iteration: number) => {
        const server = servers[iteration % 2]!;
        const note = `n-${iteration}`;
        const response = await writer.submit(`${server.baseUrl}/settings/tokens`, { note, expiration: '30', scopes: 'repo' });
        // Only the redirect to the list is a success; one to the sign-in page would be a lost session (status 0).
        const status = response.status === 302 && response.location !== '/settings/tokens' ? 0 : response.status;
        return { what: `${server.name} POST /settings/tokens ${note}`, kind: 'token', status, retryAfter: response.headers.get('retry-after'), detail: note };
      },
    ]);
    const succeeded = (result: TrafficResult) => result.status === 201 || result.status === 302;
    const bothKinds = (results: TrafficResult[], test: (result: TrafficResult) => boolean) =>
      ['repo', 'token'].every((kind) => results.some((result) => result.kind === kind && test(result)));
    await traffic.until('writes before the restart', 10_000, (results) => bothKinds(results, succeeded));

    await postgres.stop();
    const stopped = performance.now();
    await traffic.until('503 for both kinds of write while PostgreSQL is down', 10_000, (results) => bothKinds(results, (result) => result.at > stopped && result.status === 503));
    // /user may still answer from the one-second token cache; listing repositories always needs the database.
    const apiDown = await api(a, '/user/repos', frank);
    assert.equal(apiDown.status, 503);
    assert.equal(apiDown.headers.get('retry-after'), '5');
    assert.equal(apiDown.body.message, UNAVAILABLE);
    const pageDown = await writer.get(`${b.baseUrl}/settings/tokens`);
    assert.equal(pageDown.status, 503);
    assert.equal(pageDown.headers.get('retry-after'), '5');
    assert.match(pageDown.body, /Temporarily unavailable/);

    await postgres.start();
    const started = performance.now();
    await traffic.until('writes succeeding on A and B again', 15_000, (results) =>
      servers.every((server) => results.some((result) => result.at > started && succeeded(result) && result.what.startsWith(server.name))));
    const results = await traffic.stop();
    const healed = Math.min(...results.filter((result) => result.at > started && succeeded(result)).map((result) => result.at)) - started;
    t.diagnostic(`${results.length} writes: ${results.filter(succeeded).length} done, ${results.filter((result) => result.status === 503).length} answered 503; first success ${Math.round(healed)} ms after PostgreSQL started`);

    const unexpected = results.filter((result) => !(succeeded(result) || (result.status === 503 && result.retryAfter === '5')));
    assert.deepEqual(unexpected.map((result) => `${result.what} → ${result.status} ${result.detail ?? ''}`), [], 'only success or 503 with Retry-After');
    for (const result of results.filter((result) => result.kind === 'repo' && result.status === 201)) {
      assert.equal((await api(result.what.startsWith('A') ? b : a, `/repos/frank/${result.detail}`, frank)).status, 200, `${result.detail} was acknowledged`);
    }
    const list = (await writer.get(`${b.baseUrl}/settings/tokens`)).body;
    for (const result of results.filter((result) => result.kind === 'token' && result.status === 302)) {
      assert.ok(list.includes(`data-testid="token-note">${result.detail}<`), `token ${result.detail} was acknowledged`);
    }
  });

  await t.test('no answer in all of this was a server error other than 503', () => {
    assert.deepEqual(answers.filter((answer) => answer.status >= 500 && answer.status !== 503), []);
    assert.ok(answers.length > RATE_LIMIT, 'the checks above ran');
    for (const server of servers) {
      assert.deepEqual(server.errorLines(), [], `${server.name} logged no error`);
      assert.match(server.output(), /"msg":"store unavailable"/, `${server.name}'s log is read (it says when the store was unavailable)`);
    }
  });
});
