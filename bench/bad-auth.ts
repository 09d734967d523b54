/**
 * bench/bad-auth: what a flood of bad tokens costs, and whom it slows down.
 *
 * The server runs in a child process (`--role server`): the app as `tessera serve` builds it (SQLite by default, or
 * PostgreSQL + Redis with `--store postgres`; info-level log, asynchronous, to /dev/null), its store connection
 * wrapped in a Kysely plugin that counts queries, reported to this process over IPC with its RSS and heap.
 *
 * 1. Cost, with the failed-authentication limit off (deps.rateLimits.failedAuthenticationsPerHour = 0, since every
 *    request here comes from 127.0.0.1): store queries per request for 20,000 bad-checksum tokens (target 0) and for
 *    20,000 well-formed unknown tokens (one each: the token look-up).
 * 2. Slow-down, limit still off: valid traffic (16 tokens of 4 users, GET /api/v3/user) at a fixed 1,000 req/s,
 *    measured here, in three conditions, alternating rounds: alone (the baseline); next to a flood at a fixed
 *    2,000 req/s (1,000 bad checksums + 1,000 unknown tokens); next to a control flood of 2,000 req/s of valid
 *    tokens (what any extra 2,000 req/s costs on this machine). Each flood comes from its own child process (run in
 *    this process, its autocannon starved the measured one). Prints the mean latencies (medians of the rounds) and last the ratio flood/alone (target:
 *    under 1.10).
 * 3. Memory: RSS and heap after a GC, before and after all the floods.
 * 4. With the default limit (100 failures an hour per client network): after 100 unknown tokens the network is
 *    refused with 403 before any store query (valid tokens from that network too, by design).
 *
 * Run: `node bench/bad-auth.ts [--store sqlite|postgres] [--rounds 5] [--seconds 5]`
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { loadConfig } from '../src/config/config.ts';
import { generateTokenSecret } from '../src/domain/token-format.ts';
import { buildApp, createLogger } from '../src/http/app.ts';
import { createDeps, openMigratedStore } from '../src/runtime.ts';
import { openSharedState } from '../src/shared-state/connect.ts';
import { QueryCounter } from '../test/helpers/query-counter.ts';
import { createBenchStore, createTokens, freePort, median, runAutocannon, stopChild, userRequests, waitForHttp } from './support/bench-kit.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    role: { type: 'string' },
    port: { type: 'string' },
    url: { type: 'string' },
    kind: { type: 'string' },
    tokens: { type: 'string' },
  },
});

interface ServerStats { queries: number; rss: number; heapUsed: number }
type ServerMessage = { limit: number } | 'stats';

async function serve(port: number): Promise<void> {
  const config = loadConfig(process.env);
  const db = await openMigratedStore(config);
  const counter = new QueryCounter();
  const shared = openSharedState(config);
  await shared.ready;
  const deps = createDeps(config, db.withPlugin(counter), { shared });
  const destination = pino.destination({ dest: '/dev/null', sync: false });
  const app = await buildApp(deps, { logger: createLogger('info', destination) });
  await app.listen({ host: '127.0.0.1', port });
  process.on('message', (message: ServerMessage) => {
    if (message === 'stats') {
      globalThis.gc?.();
      const memory = process.memoryUsage();
      process.send!({ queries: counter.queries, rss: memory.rss, heapUsed: memory.heapUsed } satisfies ServerStats);
    } else {
      deps.rateLimits.failedAuthenticationsPerHour = message.limit;
      process.send!('ok');
    }
  });
  process.once('SIGTERM', async () => {
    await app.close();
    destination.flushSync();
    await shared.close();
    await db.destroy();
    process.exit(0);
  });
}

async function ask<T>(child: ChildProcess, message: ServerMessage): Promise<T> {
  child.send(message);
  const [answer] = await once(child, 'message');
  return answer as T;
}

/** A token whose last character is changed: its checksum no longer matches. */
function withBadChecksum(secret: string): string {
  return secret.slice(0, -1) + (secret.endsWith('A') ? 'B' : 'A');
}

const MB = 1024 * 1024;

async function main(): Promise<void> {
  const kind = values.store === 'postgres' ? 'postgres' : 'sqlite';
  const rounds = Number(values.rounds);
  const duration = Number(values.seconds);
  const store = await createBenchStore(kind);
  const secrets = await createTokens(store, 4, 4);
  const port = await freePort();
  const server = fork(new URL(import.meta.url).pathname, ['--role', 'server', '--port', String(port)], {
    env: { ...process.env, ...store.env, TESSERA_API_RATE_LIMIT: '1000000000' },
    execArgv: ['--expose-gc'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    await waitForHttp(port, server);
    const url = `http://127.0.0.1:${port}`;
    const valid = userRequests(secrets);
    const badChecksums = userRequests(Array.from({ length: 1000 }, () => withBadChecksum(generateTokenSecret())));
    const unknown = userRequests(Array.from({ length: 1000 }, () => generateTokenSecret()));
    const stats = () => ask<ServerStats>(server, 'stats');
    console.log(`store: ${kind}${kind === 'postgres' ? ' + Redis' : ''}, Node ${process.version}`);

    await ask(server, { limit: 0 });
    await runAutocannon({ url, connections: 16, duration: 2, requests: valid }); // warm-up
    const before = await stats();

    for (const [name, requests] of [['bad checksum', badChecksums], ['unknown token', unknown]] as const) {
      const start = await stats();
      const result = await runAutocannon({ url, connections: 16, amount: 20_000, requests });
      const end = await stats();
      console.log(`${name}: ${(end.queries - start.queries) / 20_000} store queries per request (${end.queries - start.queries} for 20,000), ${result.requestsPerSecond.toFixed(0)} req/s`);
    }

    const alone: number[] = [];
    const flooded: number[] = [];
    const controlled: number[] = [];
    const validRound = async (floods: string[]) => {
      const children = floods.map((kind) => fork(new URL(import.meta.url).pathname, [
        '--role', 'flood', '--url', url, '--seconds', String(duration + 1), '--kind', kind, '--tokens', secrets.join(','),
      ], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] }));
      await Promise.all(children.map((child) => once(child, 'message'))); // each has its requests ready
      for (const child of children) child.send('go');
      const [round] = await Promise.all([runAutocannon({ url, connections: 8, overallRate: 1000, duration, requests: valid }), ...children.map((child) => once(child, 'exit'))]);
      if (round.non2xx > 0) throw new Error('a valid request was refused');
      return round;
    };
    for (let i = 0; i < rounds; i++) {
      const a = await validRound([]);
      const b = await validRound(['bad-checksum', 'unknown']);
      const c = await validRound(['valid', 'valid']);
      alone.push(a.mean);
      flooded.push(b.mean);
      controlled.push(c.mean);
      console.log(`round ${i + 1}: valid alone mean ${a.mean.toFixed(2)} ms p99 ${a.p99} ms; with the bad flood ${b.mean.toFixed(2)} ms p99 ${b.p99} ms; with the valid control flood ${c.mean.toFixed(2)} ms p99 ${c.p99} ms`);
    }
    const after = await stats();
    console.log(`memory after GC: RSS ${(before.rss / MB).toFixed(1)} → ${(after.rss / MB).toFixed(1)} MB, heap ${(before.heapUsed / MB).toFixed(1)} → ${(after.heapUsed / MB).toFixed(1)} MB`);

    await ask(server, { limit: 100 });
    const start = await stats();
    const limited = await runAutocannon({ url, connections: 1, amount: 150, requests: unknown });
    const end = await stats();
    console.log(`limit 100 on: 150 unknown tokens from one address cost ${end.queries - start.queries} store queries; ${limited.non2xx} refused (401, then 403)`);

    console.log(`baseline, valid traffic alone: mean latency ${median(alone).toFixed(2)} ms (median of rounds)`);
    console.log(`valid traffic next to 2,000 req/s of valid tokens (control): ${median(controlled).toFixed(2)} ms; ratio bad flood/control ${(median(flooded) / median(controlled)).toFixed(2)}`);
    console.log(`valid traffic during the bad-token flood: mean latency ${median(flooded).toFixed(2)} ms (median of rounds)`);
    console.log(`ratio flood/alone: ${(median(flooded) / median(alone)).toFixed(2)} (target < 1.10)`);
  } finally {
    await stopChild(server);
    await store.drop();
  }
}

/** A flood child: 1,000 req/s for the given seconds of one kind of credential. */
async function flood(url: string, seconds: number, kind: string, validTokens: string[]): Promise<void> {
  const tokens = kind === 'valid' ? validTokens
    : Array.from({ length: 1000 }, () => (kind === 'bad-checksum' ? withBadChecksum(generateTokenSecret()) : generateTokenSecret()));
  const requests = userRequests(tokens);
  process.send!('ready');
  await once(process, 'message');
  await runAutocannon({ url, connections: 8, overallRate: 1000, duration: seconds, requests });
  process.disconnect();
}

if (values.role === 'server') await serve(Number(values.port));
else if (values.role === 'flood') await flood(values.url!, Number(values.seconds), values.kind!, values.tokens!.split(','));
else await main();
