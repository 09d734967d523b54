/**
 * bench/token-scale: does a token check slow down as the store fills?
 *
 * Two stores side by side, one with 1,000 tokens and one with 1,000,000 (bulk-inserted: multi-row INSERTs in one
 * transaction), each with the same 100 users. Rounds alternate between them; each round checks `--checks` tokens
 * spread through the table with checkToken, the in-process cache turned off (a cache that never answers), so every
 * check reads the store; the last-used recorder is a no-op, so no write is mixed in. Prints the median per-check latency of each store
 * and last the ratio 1,000,000 / 1,000 (target ≤ 1.1).
 *
 * Baseline: the same checks against the store holding 1,000 tokens.
 *
 * Run: `node bench/token-scale.ts [--store sqlite|postgres] [--rounds 15] [--checks 4000] [--large 1000000]`
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import { checkToken } from '../src/domain/tokens.ts';
import { generateTokenSecret, hashToken } from '../src/domain/token-format.ts';
import { openMigratedStore } from '../src/runtime.ts';
import type { Database } from '../src/store/database.ts';
import type { Deps } from '../src/domain/deps.ts';
import { createBenchStore, median, storeReadingDeps, type BenchStore } from './support/bench-kit.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'sqlite' },
    rounds: { type: 'string', default: '15' },
    checks: { type: 'string', default: '4000' },
    large: { type: 'string', default: '1000000' },
  },
});
const ROUNDS = Number(values.rounds);
const CHECKS = Number(values.checks);
const USERS = 100;
/** Rows per INSERT: 9 parameters a row stays well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_INSERT = 1000;

interface Filled {
  store: BenchStore;
  db: Kysely<Database>;
  deps: Deps;
  /** Secrets of tokens spread through the table. */
  sample: string[];
  rounds: number;
}

async function fill(kind: 'sqlite' | 'postgres', tokens: number, sampled: number): Promise<Filled> {
  const store = await createBenchStore(kind);
  const db = await openMigratedStore(store.config);
  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('users').values(Array.from({ length: USERS }, (_, u) => ({
      username: `scale${u}`, username_key: `scale${u}`, email: `scale${u}@example.test`, email_key: `scale${u}@example.test`,
      name: null, password_hash: 'not used here', email_verified_at: now, created_at: now, updated_at: now,
    }))).execute();
  });
  const users = await db.selectFrom('users').select('id').execute();
  const sample: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < tokens; start += ROWS_PER_INSERT) {
      const rows = [];
      for (let i = start; i < Math.min(start + ROWS_PER_INSERT, tokens); i++) {
        // The sampled tokens are spread through the table, not bunched at its end.
        const inSample = i % Math.floor(tokens / sampled) === 0 && sample.length < sampled;
        const secret = inSample ? generateTokenSecret() : undefined;
        if (secret) sample.push(secret);
        rows.push({
          user_id: users[i % USERS]!.id, note: `token ${i}`,
          token_hash: secret ? hashToken(secret) : randomBytes(32).toString('hex'),
          scopes: 'repo', created_at: now, updated_at: now, expires_at: null, last_used_at: now,
        });
      }
      await trx.insertInto('personal_access_tokens').values(rows).execute();
    }
  });
  const deps = storeReadingDeps(store.config, db);
  return { store, db, deps, sample, rounds: 0 };
}

async function round(filled: Filled): Promise<number> {
  // A different slice each round, so that neither store answers from pages the previous round just read.
  const offset = (filled.rounds++ * CHECKS) % filled.sample.length;
  const secrets = [...filled.sample, ...filled.sample].slice(offset, offset + CHECKS);
  const started = performance.now();
  for (const secret of secrets) {
    const result = await checkToken(filled.deps, secret);
    if (!result.ok) throw new Error(`a stored token was refused: ${result.reason}`);
  }
  return ((performance.now() - started) * 1000) / secrets.length;
}

const kind = values.store === 'postgres' ? 'postgres' : 'sqlite';
const sampled = 20_000;
let started = performance.now();
const small = await fill(kind, 1000, 1000);
const large = await fill(kind, Number(values.large), sampled);
console.log(`store: ${kind}; filled 1,000 + ${Number(values.large).toLocaleString('en')} tokens in ${((performance.now() - started) / 1000).toFixed(1)} s`);
try {
  await round(small); // warm-up: JIT and statement caches
  await round(large);
  const results = { small: [] as number[], large: [] as number[] };
  for (let i = 0; i < ROUNDS; i++) {
    started = performance.now();
    results.small.push(await round(small));
    results.large.push(await round(large));
    console.log(`round ${i + 1}: 1,000 tokens ${results.small.at(-1)!.toFixed(1)} µs/check, ${Number(values.large).toLocaleString('en')} tokens ${results.large.at(-1)!.toFixed(1)} µs/check`);
  }
  const a = median(results.small);
  const b = median(results.large);
  console.log(`baseline, 1,000 tokens: ${a.toFixed(1)} µs per check (median)`);
  console.log(`${Number(values.large).toLocaleString('en')} tokens: ${b.toFixed(1)} µs per check (median)`);
  console.log(`ratio large/small: ${(b / a).toFixed(2)} (target ≤ 1.1)`);
} finally {
  for (const filled of [small, large]) {
    await filled.db.destroy();
    await filled.store.drop();
  }
}
