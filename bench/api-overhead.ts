/**
 * bench/api-overhead: how much of bench/api-auth's gap is the framework's own structure, and how much is Tessera's work.
 *
 * Baseline: the bare Fastify app of bench/api-auth (`Fastify({ logger: false })`, one route `GET /api/v3/user`, no
 * hooks), answering the body and headers Tessera sent, byte for byte, without any work. Beside it, the same app with
 * only the structure Tessera's API route has and no work in it:
 * - `hooks`: six onRequest hooks (five synchronous, one async, as Tessera's API context registers) and one onSend hook,
 *   each doing nothing;
 * - `logging`: Tessera's request log as `tessera serve` sets it up (pino at info level, one line per request, batched
 *   asynchronous writes to stdout, here /dev/null), no hooks;
 * - `structure`: both;
 * and `tessera serve` itself on SQLite, as bench/api-auth runs it. All run in child processes on the same Node, started
 * afresh for each round; within a round they are measured in turn; autocannon in this process. Prints each app's
 * median req/s and its ratio to the baseline.
 *
 * Run: `node bench/api-overhead.ts [--rounds 5] [--seconds 4] [--connections 32]`
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { V8_FLAGS } from '../src/cli/v8-flags.ts';
import { asyncStdoutDestination, createLogger } from '../src/http/request-log.ts';
import { LoggedResponse, OneLinePerRequest, registerRequestLog, requestLoggerFactory } from '../src/http/request-logger.ts';
import {
  assertAllAnswered, captureUserResponse, createBenchStore, createTokens, freePort, median, runAutocannon, startTesseraServe,
  stopChild, userRequests, waitForHttp, type BenchStore, type CapturedResponse,
} from './support/bench-kit.ts';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    seconds: { type: 'string', default: '4' },
    connections: { type: 'string', default: '32' },
    role: { type: 'string' },
    port: { type: 'string' },
    response: { type: 'string' },
  },
});

const STRUCTURES = ['baseline', 'hooks', 'logging', 'structure'] as const;
type Structure = typeof STRUCTURES[number];

/** A child app: the baseline's route, with the structure its role names around it. */
async function serveStructure(role: Structure, port: number, response: CapturedResponse): Promise<void> {
  const logging = role === 'logging' || role === 'structure';
  const logger = logging ? createLogger('info', asyncStdoutDestination()) : undefined;
  const app = logger
    ? Fastify({ logController: new OneLinePerRequest(), childLoggerFactory: requestLoggerFactory(logger), http: { ServerResponse: LoggedResponse } })
    : Fastify({ logger: false });
  if (logger) registerRequestLog(app, logger);
  await app.register(async (api) => {
    if (role === 'hooks' || role === 'structure') {
      for (let i = 0; i < 5; i++) api.addHook('onRequest', (_request, _reply, done) => done());
      api.addHook('onRequest', async () => {});
      api.addHook('onSend', (_request, _reply, payload, done) => done(null, payload));
    }
    api.get('/api/v3/user', (_request, reply) => {
      reply.headers(response.headers).send(response.body);
    });
  });
  await app.listen({ host: '127.0.0.1', port });
}

/** The apps of one round, each in a fresh child process, by name. */
async function startApps(store: BenchStore, response: string): Promise<{ ports: Map<string, number>; children: ChildProcess[] }> {
  const ports = new Map<string, number>();
  const children: ChildProcess[] = [];
  for (const role of STRUCTURES) {
    const port = await freePort();
    // The structures run with the V8 flags that `tessera serve` sets for itself (src/cli/v8-flags.ts).
    const child = spawn(process.execPath, [...V8_FLAGS, new URL(import.meta.url).pathname, '--role', role, '--port', String(port), '--response', response], { stdio: ['ignore', 'ignore', 'inherit'] });
    children.push(child);
    await waitForHttp(port, child);
    ports.set(role, port);
  }
  const tessera = await startTesseraServe(store);
  children.push(tessera.child);
  ports.set('tessera', tessera.port);
  return { ports, children };
}

async function main(): Promise<void> {
  const rounds = Number(values.rounds);
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const store = await createBenchStore('sqlite');
  try {
    const secrets = await createTokens(store, 4, 4);
    const first = await startTesseraServe(store);
    const response = JSON.stringify(await captureUserResponse(first.port, secrets[0]!));
    await stopChild(first.child);
    const requests = userRequests(secrets);
    const run = (port: number, duration: number) => runAutocannon({ url: `http://127.0.0.1:${port}`, connections, duration, requests });
    console.log(`GET /api/v3/user, ${connections} connections, ${rounds} rounds × ${seconds} s, Node ${process.version}`);
    const results = new Map<string, number[]>([...STRUCTURES, 'tessera'].map((name) => [name, []]));
    for (let i = 0; i < rounds; i++) {
      // Fresh processes for each round (see bench/api-auth): a process keeps the speed it settled into for its life.
      const { ports, children } = await startApps(store, response);
      try {
        for (const port of ports.values()) await run(port, 2);
        for (const [name, port] of ports) {
          const round = await run(port, seconds);
          assertAllAnswered(name, round);
          results.get(name)!.push(round.requestsPerSecond);
          console.log(`round ${i + 1} ${name.padEnd(9)} ${round.requestsPerSecond.toFixed(0).padStart(7)} req/s`);
        }
      } finally {
        for (const child of children) await stopChild(child);
      }
    }
    const baseline = median(results.get('baseline')!);
    for (const [name, rps] of results) {
      console.log(`${name.padEnd(9)} ${median(rps).toFixed(0).padStart(7)} req/s (median)  ratio to the baseline ${(median(rps) / baseline).toFixed(2)}`);
    }
  } finally {
    await store.drop();
  }
}

if (values.role) await serveStructure(values.role as Structure, Number(values.port), JSON.parse(values.response!) as CapturedResponse);
else await main();
