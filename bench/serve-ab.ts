/**
 * bench/serve-ab: is a change to the hot path a gain? `tessera serve` from this working tree against itself at another
 * revision, on `GET /api/v3/user` with valid tokens (4 users × 4 tokens, as bench/api-auth).
 *
 * Baseline: `tessera serve` at `--base` (default HEAD, so that uncommitted changes are what is measured), checked out
 * in a temporary git worktree that uses this tree's node_modules, over the same store. Each round starts both afresh,
 * warms each, and measures them in turn, the order alternating from round to round (a machine's speed drifts by more
 * than most changes are worth). Two figures for each:
 * - requests/s at saturation (`--connections`, default 32), as bench/api-auth counts them;
 * - the server's CPU time per request (user + system, all of its threads, from /proc) at a fixed rate that neither
 *   server saturates (`--rate`, default 8,000/s): a second view, which the load generator's share of the machine does
 *   not move.
 * Prints each round, then the medians of both figures for both, and last the ratios this tree / baseline. Between
 * rounds of the same code either figure drifted by ±5% on one shared 2-core machine and by up to ±25% on another
 * (17,500 to 28,500 req/s, 35 to 70 µs of CPU): a change worth less than the drift needs more rounds (`--rounds`),
 * and a ratio is believed when most rounds agree with it; on a machine as noisy as the second, a 2% change cannot be
 * shown at all.
 * `--env NAME=VALUE` (repeatable) is given to this tree's server only: what a setting costs, with `--base HEAD` and
 * no change (`--env TESSERA_LOG_LEVEL=warn` is the request log's price).
 *
 * Run: `node bench/serve-ab.ts [--base REV] [--store sqlite|postgres] [--rounds 8] [--seconds 4] [--rate 8000]
 *   [--connections 32] [--env NAME=VALUE]...` (Linux: reads /proc)
 */
import { execFileSync } from 'node:child_process';
import { symlinkSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  assertAllAnswered, createBenchStore, createTokens, median, pacedCpuPerRequest, ROOT, runAutocannon, startTesseraServe, stopChild,
  userRequests,
} from './support/bench-kit.ts';

const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '4' },
    rate: { type: 'string', default: '8000' },
    connections: { type: 'string', default: '32' },
    env: { type: 'string', multiple: true, default: [] },
  },
});

function checkOut(revision: string, folder: string): void {
  execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', '--quiet', folder, revision], { stdio: 'inherit' });
  symlinkSync(join(ROOT, 'node_modules'), join(folder, 'node_modules'));
}

function parseEnv(pairs: string[]): Record<string, string> {
  return Object.fromEntries(pairs.map((pair) => {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new Error(`--env ${pair}: write it as NAME=VALUE`);
    return [pair.slice(0, equals), pair.slice(equals + 1)];
  }));
}

interface Figures { requestsPerSecond: number; cpuPerRequest: number }

async function main(): Promise<void> {
  const kind = values.store === 'postgres' ? 'postgres' : 'sqlite';
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const connections = Number(values.connections);
  const env = parseEnv(values.env);
  const baseRoot = await mkdtemp(join(tmpdir(), 'tessera-ab-'));
  checkOut(values.base, baseRoot);
  const store = await createBenchStore(kind);
  try {
    const requests = userRequests(await createTokens(store, 4, 4));
    const servers = { change: { root: ROOT, env }, base: { root: baseRoot, env: {} } };
    const measure = async (name: keyof typeof servers): Promise<Figures> => {
      const { child, port } = await startTesseraServe(store, servers[name].env, servers[name].root);
      try {
        const url = `http://127.0.0.1:${port}`;
        await runAutocannon({ url, connections, duration: 2, requests });
        const saturated = await runAutocannon({ url, connections, duration: seconds, requests });
        assertAllAnswered(name, saturated);
        const cpuPerRequest = await pacedCpuPerRequest(name, child.pid!, { url, duration: seconds, overallRate: rate, requests });
        return { requestsPerSecond: saturated.requestsPerSecond, cpuPerRequest };
      } finally {
        await stopChild(child);
      }
    };
    console.log(`this tree${values.env.length > 0 ? ` (${values.env.join(' ')})` : ''} vs ${values.base}; store: ${kind}; ${rounds} rounds of ${seconds} s at saturation (${connections} connections) and ${seconds} s at ${rate} req/s; Node ${process.version}`);
    const results: Record<keyof typeof servers, Figures[]> = { change: [], base: [] };
    for (let i = 0; i < rounds; i++) {
      const order = i % 2 === 0 ? (['base', 'change'] as const) : (['change', 'base'] as const);
      for (const name of order) {
        const figures = await measure(name);
        results[name].push(figures);
        console.log(`round ${i + 1} ${name.padEnd(6)} ${figures.requestsPerSecond.toFixed(0).padStart(7)} req/s  ${figures.cpuPerRequest.toFixed(1).padStart(6)} µs CPU/request`);
      }
    }
    const summary = (figures: Figures[]) => ({
      rps: median(figures.map((f) => f.requestsPerSecond)),
      cpu: median(figures.map((f) => f.cpuPerRequest)),
    });
    const base = summary(results.base);
    const change = summary(results.change);
    console.log(`base (${values.base}): ${base.rps.toFixed(0)} req/s, ${base.cpu.toFixed(1)} µs CPU/request (medians)`);
    console.log(`this tree: ${change.rps.toFixed(0)} req/s, ${change.cpu.toFixed(1)} µs CPU/request (medians)`);
    console.log(`ratios this tree / base: req/s ${(change.rps / base.rps).toFixed(3)}, CPU/request ${(change.cpu / base.cpu).toFixed(3)} (below 1 is cheaper)`);
  } finally {
    await store.drop();
    execFileSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', baseRoot]);
  }
}

await main();
