/**
 * bench/graphql-schema: what GitHub's GraphQL schema costs Tessera, once at the first request and then per request.
 *
 * 1. Building: Tessera's build (src/http/graphql/schema.ts: parse without locations, build with assumeValidSDL, then
 *    validateSchema and the resolvers attached) against the baseline graphql-js's own way for an SDL it need not
 *    check, `buildASTSchema(parse(sdl), { assumeValidSDL: true })` (with locations; graphql-js's full `buildSchema`,
 *    which mercurius calls, refuses this SDL outright). Alternating rounds in this process; medians in ms.
 * 2. Per request, warm: `POST /api/graphql` with gh's `query UserCurrent{viewer{login}}` against the baseline
 *    `GET /api/v3/user`, the REST call that answers the same question, the same token, through `app.inject()` on
 *    one app (SQLite, memory state), in alternating batches. Medians of requests per second.
 * Prints each figure, both medians and the ratio Tessera / baseline.
 *
 * Run: `node bench/graphql-schema.ts [--rounds 5] [--requests 500]`
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildASTSchema, parse } from 'graphql';
import { loadConfig } from '../src/config/config.ts';
import { signUp } from '../src/domain/accounts.ts';
import { createPersonalAccessToken } from '../src/domain/tokens.ts';
import { buildApp } from '../src/http/app.ts';
import { buildGitHubSchema, SCHEMA_PATH } from '../src/http/graphql/schema.ts';
import { createDeps, openMigratedStore } from '../src/runtime.ts';
import { openSharedState } from '../src/shared-state/connect.ts';
import { median } from './support/bench-kit.ts';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' }, requests: { type: 'string', default: '500' } } });
const rounds = Number(values.rounds);
const requests = Number(values.requests);

const baselineBuild: number[] = [];
const tesseraBuild: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  let started = performance.now();
  buildASTSchema(parse(readFileSync(SCHEMA_PATH, 'utf8')), { assumeValidSDL: true });
  baselineBuild.push(performance.now() - started);
  started = performance.now();
  buildGitHubSchema();
  tesseraBuild.push(performance.now() - started);
  console.log(`build round ${round + 1}: baseline ${baselineBuild.at(-1)!.toFixed(0)} ms, Tessera ${tesseraBuild.at(-1)!.toFixed(0)} ms`);
}
console.log(`build median: baseline ${median(baselineBuild).toFixed(0)} ms, Tessera ${median(tesseraBuild).toFixed(0)} ms, ratio ${(median(tesseraBuild) / median(baselineBuild)).toFixed(2)}`);

const dataDir = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
const config = loadConfig({}, { dataDir, host: '127.0.0.1', port: 0 });
const db = await openMigratedStore(config);
const shared = openSharedState({ redisUrl: undefined, redisPrefix: 'bench:' });
const deps = createDeps(config, db, { shared });
deps.rateLimits.authenticatedPerHour = 0;
const app = await buildApp(deps);
const signedUp = await signUp(deps, { username: 'bench', email: 'bench@example.test', password: 'correct horse battery staple' }, { verified: true });
if (!signedUp.ok) throw new Error('sign-up failed');
const created = await createPersonalAccessToken(deps, signedUp.user, { note: 'bench', scopes: ['repo'], expiresAt: null });
if (!created.ok) throw new Error('token failed');
const authorization = `token ${created.secret}`;

async function batch(send: () => Promise<{ statusCode: number }>): Promise<number> {
  const started = performance.now();
  for (let index = 0; index < requests; index += 1) {
    const response = await send();
    if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
  }
  return requests / ((performance.now() - started) / 1000);
}
const rest = () => app.inject({ method: 'GET', url: '/api/v3/user', headers: { authorization } });
const graphql = () => app.inject({ method: 'POST', url: '/api/graphql', headers: { authorization }, payload: { query: 'query UserCurrent{viewer{login}}' } });
await graphql(); // The first request builds the schema; that cost is figure 1.
const baselineRate: number[] = [];
const tesseraRate: number[] = [];
for (let round = 0; round < rounds; round += 1) {
  baselineRate.push(await batch(rest));
  tesseraRate.push(await batch(graphql));
  console.log(`request round ${round + 1}: baseline REST ${baselineRate.at(-1)!.toFixed(0)} req/s, GraphQL ${tesseraRate.at(-1)!.toFixed(0)} req/s`);
}
console.log(`request median: baseline REST ${median(baselineRate).toFixed(0)} req/s, GraphQL ${median(tesseraRate).toFixed(0)} req/s, ratio ${(median(tesseraRate) / median(baselineRate)).toFixed(2)}`);
await app.close();
deps.repositoryMaintenance.close();
await shared.close();
await db.destroy();
await rm(dataDir, { recursive: true, force: true });
