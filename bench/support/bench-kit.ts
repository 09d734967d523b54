/**
 * What the benches share: a throwaway store (SQLite folder, or a PostgreSQL database and a Redis key prefix that are
 * dropped afterwards), users and tokens made through the domain, `tessera serve` as a child process exactly as
 * shipped, autocannon rounds, a server's CPU per request at a fixed rate, and medians.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../../src/config/config.ts';
import { signUp } from '../../src/domain/accounts.ts';
import { createPersonalAccessToken } from '../../src/domain/tokens.ts';
import type { Deps } from '../../src/domain/deps.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import type { Database } from '../../src/store/database.ts';
import { adminQuery } from '../../test/helpers/store.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
const ADMIN_URL = process.env.TESSERA_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.TESSERA_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchStore {
  kind: 'sqlite' | 'postgres';
  env: Record<string, string>;
  config: Config;
  drop(): Promise<void>;
}

/** SQLite in a fresh folder; or a fresh PostgreSQL database plus a Redis key prefix of its own. */
export async function createBenchStore(kind: 'sqlite' | 'postgres'): Promise<BenchStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
  const env: Record<string, string> = { TESSERA_DATA_DIR: dataDir };
  let dropDatabase = async () => {};
  if (kind === 'postgres') {
    const name = `tessera_bench_${randomBytes(6).toString('hex')}`;
    await adminQuery(`create database ${name}`, ADMIN_URL);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    env.TESSERA_DATABASE_URL = url.toString();
    env.TESSERA_REDIS_URL = REDIS_URL;
    env.TESSERA_REDIS_PREFIX = `tessera-bench:${randomBytes(6).toString('hex')}:`;
    dropDatabase = async () => {
      await adminQuery(`drop database if exists ${name} with (force)`, ADMIN_URL);
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${env.TESSERA_REDIS_PREFIX}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    };
  }
  const config = loadConfig(env);
  return {
    kind, env, config,
    async drop() {
      await dropDatabase();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Headers that a server computes for each response, which a baseline gets from Fastify itself. */
const PER_RESPONSE_HEADERS = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

export interface CapturedResponse {
  headers: Record<string, string>;
  body: string;
}

/** Tessera's answer to `GET /api/v3/user` with this token, for a baseline to send byte for byte. */
export async function captureUserResponse(port: number, secret: string): Promise<CapturedResponse> {
  const sample = await fetch(`http://127.0.0.1:${port}/api/v3/user`, { headers: { authorization: `token ${secret}` } });
  if (sample.status !== 200) throw new Error(`GET /api/v3/user answered ${sample.status}`);
  const headers: Record<string, string> = {};
  sample.headers.forEach((value, name) => { if (!PER_RESPONSE_HEADERS.has(name)) headers[name] = value; });
  return { headers, body: await sample.text() };
}

/** autocannon's requests: `GET /api/v3/user` with each token in turn. */
export function userRequests(tokens: string[]): autocannon.Request[] {
  return tokens.map((token) => ({ method: 'GET', path: '/api/v3/user', headers: { authorization: `token ${token}` } }));
}

/** Stops a benchmark whose round had a refused or failed request: its figure would not be of the same work. */
export function assertAllAnswered(name: string, round: Round): void {
  if (round.non2xx > 0 || round.errors > 0) throw new Error(`${name}: ${round.non2xx} non-2xx answers, ${round.errors} errors`);
}

/** `users` verified users with `tokensPerUser` tokens each (scope repo, user), made as the web page makes them. */
export async function createTokens(store: BenchStore, users: number, tokensPerUser: number): Promise<string[]> {
  const db = await openMigratedStore(store.config);
  const deps = createDeps(store.config, db, { mailer: { send: async () => {} } });
  const secrets: string[] = [];
  try {
    for (let u = 0; u < users; u++) {
      const result = await signUp(deps, { username: `bench${u}`, email: `bench${u}@example.test`, password: 'correct horse battery staple' }, { verified: true });
      if (!result.ok) throw new Error(JSON.stringify(result.problems));
      for (let t = 0; t < tokensPerUser; t++) {
        const token = await createPersonalAccessToken(deps, result.user, { note: `bench ${t}`, scopes: ['repo', 'user'], expiresAt: null });
        if (!token.ok) throw new Error(token.reason);
        secrets.push(token.secret);
      }
    }
  } finally {
    await db.destroy();
  }
  return secrets;
}

export async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** Polls until something answers HTTP on the port. */
export async function waitForHttp(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nothing answers on port ${port}`);
}

/**
 * `tessera serve` as shipped (`node src/cli/main.ts serve`), its stdout (the info-level log) to /dev/null. The API
 * rate limit is raised so that a bench's traffic is still counted but never refused. `root` is the checkout to run
 * (bench/serve-ab runs another revision's).
 */
export async function startTesseraServe(store: BenchStore, extraEnv: Record<string, string> = {}, root = ROOT): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'src/cli/main.ts'), 'serve', '--port', String(port)], {
    env: { ...process.env, ...store.env, TESSERA_API_RATE_LIMIT: '1000000000', ...extraEnv },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  await waitForHttp(port, child);
  return { port, child };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill('SIGTERM');
  await once(child, 'exit');
}

export interface Round {
  requestsPerSecond: number;
  p99: number;
  p50: number;
  /** Mean latency in ms (autocannon's percentiles are whole milliseconds). */
  mean: number;
  non2xx: number;
  errors: number;
  /** Responses received in the whole run. */
  total: number;
}

export async function runAutocannon(options: autocannon.Options): Promise<Round> {
  const result = await autocannon(options);
  return {
    requestsPerSecond: result.requests.average,
    p99: result.latency.p99,
    p50: result.latency.p50,
    mean: result.latency.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

let ticksPerSecond: number | undefined;

/** User + system CPU time of a process, all of its threads, in microseconds (Linux: reads /proc). */
function cpuMicroseconds(pid: number): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  // /proc/PID/stat: utime and stime in clock ticks, the 12th and 13th fields after the command's closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 1_000_000 / ticksPerSecond;
}

/**
 * A server's CPU time per request (µs) at a fixed rate that it does not saturate: what a request costs it, whatever
 * share of the machine the load generator takes.
 */
export async function pacedCpuPerRequest(name: string, pid: number, options: autocannon.Options & { overallRate: number }): Promise<number> {
  const before = cpuMicroseconds(pid);
  const paced = await runAutocannon({ connections: 16, ...options });
  const cpu = cpuMicroseconds(pid) - before;
  assertAllAnswered(name, paced);
  return cpu / paced.total;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Deps over `db` whose every token check reads the store: no token cache and no last-used writes, so that a
 * benchmark of checks measures the look-up itself.
 */
export function storeReadingDeps(config: Config, db: Kysely<Database>): Deps {
  const deps = createDeps(config, db, { mailer: { send: async () => {} } });
  deps.tokenCache = { get: () => undefined, generation: () => 0, set: () => {}, claimRefresh: () => false, size: () => 0 };
  deps.lastUsed = { record: async () => {} };
  return deps;
}
