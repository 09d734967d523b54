/**
 * bench/api-auth: what checking a token costs on the API's hottest route.
 *
 * `GET /api/v3/user` with valid tokens (4 users × 4 tokens, each request the next token) against `tessera serve` as
 * shipped (a child process: default logging, info level to stdout, here /dev/null; API rate limit raised so it counts
 * but never refuses), on SQLite by default or on PostgreSQL + Redis with `--store postgres`.
 *
 * Baseline: a bare Fastify 5 app (`Fastify({ logger: false })`, one route `GET /api/v3/user`, no hooks, no plugins)
 * in a child process on the same Node, answering the body and headers Tessera sent for one of the tokens, byte for
 * byte, without any work. Each round starts both servers afresh and warms them, then measures the baseline and
 * Tessera in turn, autocannon in this process, two figures each:
 * - requests/s and p99 at saturation (`--connections`);
 * - the server's CPU time per request (all its threads, from /proc) at a fixed `--rate` that neither saturates. On a
 *   machine where autocannon shares the server's cores, a slower server also makes autocannon's share dearer; the
 *   inverse ratio of CPU per request is the throughput ratio where the server alone is the bottleneck.
 * Prints each round, then the medians of both figures for both servers, the CPU ratio, and last the throughput ratio
 * Tessera / baseline (targets: ≥ 0.85 on SQLite, ≥ 0.75 on PostgreSQL + Redis).
 *
 * Run: `node bench/api-auth.ts [--store sqlite|postgres] [--rounds 5] [--seconds 5] [--connections 32] [--rate 8000]`
 * (Linux: reads /proc)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import {
  assertAllAnswered, captureUserResponse, createBenchStore, createTokens, freePort, median, pacedCpuPerRequest, runAutocannon,
  startTesseraServe, stopChild, userRequests, waitForHttp, type CapturedResponse, type Round,
} from './support/bench-kit.ts';

/** A round's figures at saturation, and the server's CPU time per request (µs) at the fixed rate. */
type Measured = Round & { cpu: number };

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '32' },
    rate: { type: 'string', default: '8000' },
    role: { type: 'string' },
    port: { type: 'string' },
    response: { type: 'string' },
  },
});

/** The baseline's child: answers the captured response, nothing else. */
async function serveBaseline(port: number, response: CapturedResponse): Promise<void> {
  const app = Fastify({ logger: false });
  app.get('/api/v3/user', (_request, reply) => {
    reply.headers(response.headers).send(response.body);
  });
  await app.listen({ host: '127.0.0.1', port });
}

async function startBaseline(response: CapturedResponse): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--role', 'baseline', '--port', String(port), '--response', JSON.stringify(response)], { stdio: 'inherit' });
  await waitForHttp(port, child);
  return { port, child };
}

async function main(): Promise<void> {
  const kind = values.store === 'postgres' ? 'postgres' : 'sqlite';
  const rounds = Number(values.rounds);
  const duration = Number(values.seconds);
  const connections = Number(values.connections);
  const rate = Number(values.rate);
  const store = await createBenchStore(kind);
  try {
    const secrets = await createTokens(store, 4, 4);
    const requests = userRequests(secrets);
    const run = (port: number, seconds: number) => runAutocannon({ url: `http://127.0.0.1:${port}`, connections, duration: seconds, requests });
    const results: { baseline: Measured[]; tessera: Measured[] } = { baseline: [], tessera: [] };
    let response: CapturedResponse | undefined;
    console.log(`store: ${kind}${kind === 'postgres' ? ' + Redis' : ''}, ${secrets.length} tokens of 4 users, ${connections} connections, ${rounds} × ${duration} s each, then ${duration} s at ${rate} req/s; Node ${process.version}`);
    for (let i = 0; i < rounds; i++) {
      // Fresh processes for each round: a process keeps the speed it settled into (where the scheduler put it, what
      // the JIT decided) for its whole life, and one baseline process ran at 52,000 req/s in one run and 60,000 in
      // the next. New processes each round make the medians cover that spread for both servers alike.
      const tessera = await startTesseraServe(store);
      response ??= await captureUserResponse(tessera.port, secrets[0]!);
      const baseline = await startBaseline(response);
      try {
        // Warm both (JIT, caches, connection pools) before anything counts.
        await run(baseline.port, 2);
        await run(tessera.port, 2);
        for (const [name, { port, child }] of [['baseline', baseline], ['tessera', tessera]] as const) {
          const round = await run(port, duration);
          assertAllAnswered(name, round);
          const cpu = await pacedCpuPerRequest(name, child.pid!, { url: `http://127.0.0.1:${port}`, duration, overallRate: rate, requests });
          results[name].push({ ...round, cpu });
          console.log(`round ${i + 1} ${name.padEnd(8)} ${round.requestsPerSecond.toFixed(0).padStart(7)} req/s  p99 ${round.p99} ms  ${cpu.toFixed(1).padStart(5)} µs CPU/request`);
        }
      } finally {
        await stopChild(baseline.child);
        await stopChild(tessera.child);
      }
    }
    const summary = (rounds: Measured[]) => ({
      rps: median(rounds.map((r) => r.requestsPerSecond)), p99: median(rounds.map((r) => r.p99)), cpu: median(rounds.map((r) => r.cpu)),
    });
    const b = summary(results.baseline);
    const t = summary(results.tessera);
    console.log(`baseline (bare Fastify): ${b.rps.toFixed(0)} req/s, p99 ${b.p99} ms; ${b.cpu.toFixed(1)} µs CPU/request (medians)`);
    console.log(`tessera GET /api/v3/user: ${t.rps.toFixed(0)} req/s, p99 ${t.p99} ms; ${t.cpu.toFixed(1)} µs CPU/request (medians)`);
    console.log(`CPU per request, baseline/tessera: ${(b.cpu / t.cpu).toFixed(2)} (the throughput ratio where the server alone is the bottleneck)`);
    console.log(`ratio tessera/baseline: ${(t.rps / b.rps).toFixed(2)} (target ≥ ${kind === 'postgres' ? '0.75' : '0.85'})`);
  } finally {
    await store.drop();
  }
}

if (values.role === 'baseline') await serveBaseline(Number(values.port), JSON.parse(values.response!) as CapturedResponse);
else await main();
