/**
 * bench/sweep: does the disuse sweep hold up token checks on a full store?
 *
 * One store with `--tokens` tokens (default 1,000,000; 100 users): 10% unused for more than a year (to be removed),
 * 5% in the 30-day warning window, the rest recently used; 2% expire within the week (reminders). While the disuse
 * sweep and then the expiry-reminder job run in this process (batches of `--batch`, progress printed), `--clients`
 * loops check distinct live tokens with checkToken (cache off, last-used writes off, so every check reads the store)
 * and record each check's latency. The longest stall is the slowest check.
 *
 * Baseline: the same check loops for the same length of time on the same store with no job running.
 * Target: the longest stall during the jobs ≤ 50 ms.
 *
 * Run: `node bench/sweep.ts [--store sqlite|postgres] [--tokens 1000000] [--batch 100] [--clients 4]`
 */
import { performance } from 'node:perf_hooks';
import { setImmediate } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { DAY_MS, type Deps } from '../src/domain/deps.ts';
import { checkToken } from '../src/domain/tokens.ts';
import { disuseSweepJob } from '../src/jobs/disuse-sweep.ts';
import { expiryRemindersJob } from '../src/jobs/expiry-reminders.ts';
import type { Job, JobReport } from '../src/jobs/job.ts';
import { openMigratedStore } from '../src/runtime.ts';
import { createBenchStore, storeReadingDeps } from './support/bench-kit.ts';
import { fillTokens, insertBenchUsers } from './support/token-fill.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    tokens: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '100' },
    clients: { type: 'string', default: '4' },
  },
});
const TOKENS = Number(values.tokens);
const BATCH = Number(values.batch);
const CLIENTS = Number(values.clients);
const SAMPLE_EVERY = 50;
const kind = values.store === 'postgres' ? 'postgres' : 'sqlite';
const fmt = (n: number) => n.toLocaleString('en');

const store = await createBenchStore(kind);
const db = await openMigratedStore(store.config);
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();
const secrets: string[] = [];
let started = performance.now();
const users = await insertBenchUsers(db, 100, 'sweep');
await fillTokens(db, users, TOKENS, (i) => {
  const bucket = i % 100;
  if (bucket < 10) return { createdAt: iso(now - (400 + (i % 300)) * DAY_MS), lastUsedAt: null, expiresAt: null };
  if (bucket < 15) return { createdAt: iso(now - 800 * DAY_MS), lastUsedAt: iso(now - (340 + (i % 20)) * DAY_MS), expiresAt: null };
  const expiresAt = bucket < 17 ? iso(now + (i % 7) * DAY_MS + 3_600_000) : null;
  return { createdAt: iso(now - 30 * DAY_MS), lastUsedAt: iso(now - (i % 30) * DAY_MS), expiresAt, keepSecret: bucket >= 20 && i % SAMPLE_EVERY === 20 };
}, (secret) => secrets.push(secret));
if (kind === 'postgres') await db.executeQuery({ sql: 'analyze personal_access_tokens', parameters: [], query: { kind: 'RawNode' } } as never);
console.log(`store: ${kind}; filled ${fmt(TOKENS)} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s; ${fmt(secrets.length)} live tokens sampled for checks`);

const deps: Deps = storeReadingDeps(store.config, db);

/** Check loops until `stop` resolves; each loop takes its own slice of the sample, so every check is a distinct token. */
async function checkWhile(stop: Promise<unknown>): Promise<number[]> {
  let done = false;
  void stop.finally(() => { done = true; });
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (!done) {
      // A check is wanted from the moment the previous one ended: the wait for the event loop's next turn (behind
      // a job's batch) counts as stall, as it would for a request arriving on a socket.
      const wanted = performance.now();
      await setImmediate();
      const secret = secrets[next++ % secrets.length]!;
      const result = await checkToken(deps, secret);
      latencies.push(performance.now() - wanted);
      if (!result.ok) throw new Error(`a live token was refused: ${result.reason}`);
    }
  }));
  return latencies;
}

const summary = (latencies: number[]) => {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { checks: sorted.length, p99: sorted[Math.floor(sorted.length * 0.99)] ?? 0, max: sorted.at(-1) ?? 0 };
};

async function runJob(job: Job): Promise<JobReport> {
  let lastPrint = 0;
  return job.run(deps, {
    batchSize: BATCH,
    onProgress: (report) => {
      if (performance.now() - lastPrint < 1000) return;
      lastPrint = performance.now();
      console.error(`  ${job.name}: ${Object.entries(report).map(([what, n]) => `${fmt(n)} ${what}`).join(', ')} so far…`);
    },
  });
}

try {
  started = performance.now();
  const jobs = (async () => {
    const sweep = await runJob(disuseSweepJob);
    const reminders = await runJob(expiryRemindersJob);
    return { sweep, reminders };
  })();
  const during = summary(await checkWhile(jobs));
  const reports = await jobs;
  const jobMs = performance.now() - started;
  const baseline = summary(await checkWhile(new Promise((resolve) => setTimeout(resolve, jobMs))));
  console.log(`disuse sweep: ${JSON.stringify(reports.sweep)}; reminders: ${JSON.stringify(reports.reminders)}; ${(jobMs / 1000).toFixed(1)} s in batches of ${BATCH}`);
  console.log(`baseline, no job running: ${fmt(baseline.checks)} checks, p99 ${baseline.p99.toFixed(2)} ms, longest stall ${baseline.max.toFixed(2)} ms`);
  console.log(`while the jobs ran:       ${fmt(during.checks)} checks, p99 ${during.p99.toFixed(2)} ms, longest stall ${during.max.toFixed(2)} ms (target ≤ 50 ms)`);
  console.log(`ratio of longest stalls, jobs/baseline: ${(during.max / baseline.max).toFixed(2)}`);
} finally {
  await db.destroy();
  await store.drop();
}
