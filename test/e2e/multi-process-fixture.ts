/**
 * What the multi-process test runs on: a PostgreSQL and a Redis of its own (test/helpers/private-services.ts), two
 * `tessera serve` processes over them, users made through the domain, and a record of every answer the test got.
 */
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config.ts';
import { signUp } from '../../src/domain/accounts.ts';
import { createPersonalAccessToken } from '../../src/domain/tokens.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import { openSharedState } from '../../src/shared-state/connect.ts';
import type { UserRow } from '../../src/store/database.ts';
import { startPrivatePostgres, startPrivateRedis } from '../helpers/private-services.ts';
import { startServeProcess, type ServedProcess } from '../helpers/serve-process.ts';
import { within } from '../helpers/traffic.ts';
import { WebClient } from '../helpers/web-client.ts';

export const RATE_LIMIT = 100;
export const PASSWORD = 'correct horse battery staple';
export const REVOCATION_DEADLINE_MS = 1000;
export const UNAVAILABLE = 'The service is briefly unavailable. Try again in a few seconds.';

type ApiResponse = { status: number; headers: Headers; body: Record<string, unknown> };

/** Every answer the test got, to check at the end that none was a 5xx other than 503. */
export const answers: Array<{ what: string; status: number }> = [];

export async function api(server: ServedProcess, path: string, token?: string, init: { method?: string; body?: unknown } = {}): Promise<ApiResponse> {
  const response = await fetch(`${server.apiUrl}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(token && { authorization: `token ${token}` }), ...(init.body !== undefined && { 'content-type': 'application/json' }) },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  answers.push({ what: `${server.name} ${init.method ?? 'GET'} ${path}`, status: response.status });
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
}

export const newTokensIn = (html: string) => [...html.matchAll(/data-testid="new-token">(tsp_[0-9A-Za-z]+)</g)].map((match) => match[1]!);

/** The token list's row for `note`: its id and what it says about last use. */
export function tokenRow(html: string, note: string): { id: string; lastUsed: string } {
  const row = html.split('data-testid="token-row"').find((chunk) => chunk.includes(`data-testid="token-note">${note}<`));
  assert.ok(row, `the list shows a token "${note}"`);
  const lastUsed = /data-testid="token-last-used">([\s\S]*?)<\/span>/.exec(row)![1]!.replace(/<[^>]*>/g, '').trim();
  return { id: /data-token-id="(\d+)"/.exec(row)![1]!, lastUsed };
}

/**
 * Starts the services and the two processes A and B (all stopped when `t` ends) and signs up the users; `statuses`,
 * `refusedEverywhere` and `alice`'s browser record their answers, and the diagnostics go to `t`.
 */
export async function startTwoServeProcesses(t: TestContext) {
  const [postgres, redis, dataDir] = await Promise.all([
    startPrivatePostgres(t), startPrivateRedis(t), mkdtemp(join(tmpdir(), 'tessera-multi-')),
  ]);
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const env = {
    TESSERA_DATABASE_URL: postgres.url, TESSERA_REDIS_URL: redis.url, TESSERA_DATA_DIR: dataDir,
    TESSERA_API_RATE_LIMIT: String(RATE_LIMIT), TESSERA_LOG_LEVEL: 'warn',
  };
  // The test's own connection, as the CLI has: migrates once before the servers start (as `tessera migrate` would)
  // and makes users and tokens through the domain.
  const config = loadConfig(env);
  const db = await openMigratedStore(config);
  const shared = openSharedState(config);
  await shared.ready;
  t.after(async () => {
    await shared.close();
    await db.destroy();
  });
  const deps = createDeps(config, db, { shared });
  const [a, b] = await Promise.all([startServeProcess(t, 'A', env), startServeProcess(t, 'B', env)]);
  const servers = [a, b] as const;

  const names = ['alice', 'bob', 'carol', 'erin', 'frank', 'gina', 'hank', 'ivy', 'judy', 'kim'] as const;
  const users = Object.fromEntries(await Promise.all(names.map(async (username) => {
    const result = await signUp(deps, { username, email: `${username}@example.test`, password: PASSWORD }, { verified: true });
    assert.ok(result.ok);
    return [username, result.user] as const;
  }))) as Record<(typeof names)[number], UserRow>;
  const tokenOf = async (user: UserRow, note: string) => {
    const result = await createPersonalAccessToken(deps, user, { note, scopes: ['repo'], expiresAt: null });
    assert.ok(result.ok);
    return result.secret;
  };
  const statuses = async (token: string) => Promise.all(servers.map(async (server) => (await api(server, '/user', token)).status));
  const refusedEverywhere = async (secret: string, what: string) => {
    const ms = await within(REVOCATION_DEADLINE_MS, `${what} refused on A and B`, async () => (await statuses(secret)).every((status) => status === 401));
    t.diagnostic(`${what}: refused on A and B after ${Math.round(ms)} ms`);
  };

  const alice = new WebClient((url, response) => answers.push({ what: `page ${url}`, status: response.status }));

  return { postgres, redis, env, db, deps, a, b, servers, users, tokenOf, statuses, refusedEverywhere, alice };
}
