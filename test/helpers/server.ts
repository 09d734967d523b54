/**
 * A real Tessera server on 127.0.0.1 for a test: its own store, its own mail outbox, and every log line captured so
 * a test can assert that no secret was logged. Closed when the test ends.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import type { Kysely } from 'kysely';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { Clock } from '../../src/domain/deps.ts';
import { signUp } from '../../src/domain/accounts.ts';
import { createOwnRepository } from '../../src/domain/repositories.ts';
import { createPersonalAccessToken } from '../../src/domain/tokens.ts';
import { buildApp, createLogger } from '../../src/http/app.ts';
import type { AppDeps } from '../../src/http/app-deps.ts';
import { outboxDirOf } from '../../src/mail/mailer.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import { openSharedState } from '../../src/shared-state/connect.ts';
import type { Database, RepositoryRow, UserRow } from '../../src/store/database.ts';
import { createTestStore, testRedisConfig } from './store.ts';

export { fakeClock } from './fake-clock.ts';

export interface TestServer {
  baseUrl: string;
  apiUrl: string;
  dataDir: string;
  /** Set when the test runs on PostgreSQL (for a CLI run against the same store). */
  databaseUrl: string | undefined;
  app: FastifyInstance;
  deps: AppDeps;
  db: Kysely<Database>;
  /** Every log line the server wrote, as JSON text. */
  logs: string[];
  createUser(options?: { username?: string; email?: string; password?: string; verified?: boolean }): Promise<UserRow>;
  createToken(user: UserRow, options?: { note?: string; scopes?: string[]; expiresAt?: Date | null }): Promise<string>;
  /** A repository record and its bare git repository, as the web page or the API makes them. */
  createRepository(owner: UserRow, name: string, options: { private: boolean }): Promise<RepositoryRow>;
  /** Every message in the outbox, oldest first, parsed as a mail client would. */
  readOutbox(): Promise<OutboxMessage[]>;
}

export interface OutboxMessage {
  to: string;
  subject: string;
  text: string;
  raw: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';
let counter = 0;

export async function startTestServer(
  t: TestContext,
  options: {
    clock?: Clock;
    rateLimits?: Partial<AppDeps['rateLimits']>;
    config?: Partial<Config>;
    /** TESSERA_* variables the configuration is loaded from (TESSERA_EDITION, …), before `config` is applied. */
    env?: NodeJS.ProcessEnv;
    /** Serve HTTPS with this certificate and key (test/helpers/tls-certificates.ts). */
    tls?: { cert: Buffer; key: Buffer };
    /** The public URL links use, when clients reach the server under another name (a proxy); else its address. */
    publicUrl?: string;
  } = {},
): Promise<TestServer> {
  // The store's own cleanup (dropping the database, removing the data folder) runs after the server has stopped:
  // a server still writing (a mail, a token use) must not race the removal of its folder.
  const storeCleanups: Array<() => Promise<void>> = [];
  const store = await createTestStore({ after: (cleanup: () => Promise<void>) => void storeCleanups.push(cleanup) });
  const config = loadConfig(options.env ?? {}, { dataDir: store.dataDir, host: '127.0.0.1', port: 0 });
  config.databaseUrl = store.databaseUrl;
  Object.assign(config, options.config);
  const db = await openMigratedStore(config);
  const shared = openSharedState(await testRedisConfig(t));
  await shared.ready;
  // The scheme is known before listening; web-session.ts decides on Secure cookies from it.
  if (options.tls || options.publicUrl) config.baseUrl = options.publicUrl ?? 'https://127.0.0.1';
  const deps = createDeps(config, db, { shared, ...(options.clock && { clock: options.clock }) });
  Object.assign(deps.rateLimits, options.rateLimits);
  const logs: string[] = [];
  const app = await buildApp(deps, {
    logger: createLogger('debug', { write: (line: string) => void logs.push(line) }), ...(options.tls && { https: { cert: options.tls.cert, key: options.tls.key } }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const baseUrl = `${options.tls ? 'https' : 'http'}://127.0.0.1:${address.port}`;
  deps.config.baseUrl = options.publicUrl ?? baseUrl; // Links in mail and messages must point at the port the test got.
  t.after(async () => {
    deps.repositoryMaintenance.close();
    await app.close();
    await shared.close();
    await db.destroy();
    for (const cleanup of storeCleanups.reverse()) await cleanup();
  });

  return {
    baseUrl,
    apiUrl: `${baseUrl}/api/v3`,
    dataDir: store.dataDir,
    databaseUrl: store.databaseUrl,
    app,
    deps,
    db,
    logs,
    async createUser(user = {}) {
      counter += 1;
      const username = user.username ?? `user${process.pid}x${counter}`;
      const result = await signUp(deps, {
        username, email: user.email ?? `${username}@example.test`, password: user.password ?? TEST_PASSWORD,
      }, { verified: user.verified ?? true });
      if (!result.ok) throw new Error(`createUser: ${JSON.stringify(result.problems)}`);
      return result.user;
    },
    async createToken(user, token = {}) {
      counter += 1;
      const result = await createPersonalAccessToken(deps, user, {
        note: token.note ?? `token ${counter}`,
        scopes: token.scopes ?? ['repo'],
        expiresAt: token.expiresAt === undefined ? null : token.expiresAt,
      });
      if (!result.ok) throw new Error(`createToken: ${result.reason}`);
      return result.secret;
    },
    async createRepository(owner, name, options) {
      const result = await createOwnRepository(deps, owner, { name, private: options.private });
      if (!result.ok) throw new Error(`createRepository: ${JSON.stringify(result)}`);
      return result.repository;
    },
    async readOutbox() {
      const dir = outboxDirOf(store.dataDir);
      const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.eml')).sort();
      return Promise.all(names.map(async (name) => {
        const raw = await readFile(join(dir, name), 'utf8');
        const parsed = await simpleParser(raw);
        const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(', ') : (parsed.to?.text ?? '');
        return { to, subject: parsed.subject ?? '', text: parsed.text ?? '', raw };
      }));
    },
  };
}

/** The status `GET /api/v3/user` answers with this token: 200 while the token works, 401 once it does not. */
export async function apiStatus(server: Pick<TestServer, 'apiUrl'>, token: string): Promise<number> {
  const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization: `token ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

/** The email-verification link in a message, as a user would click it. */
export function verificationLinkIn(message: OutboxMessage): string {
  const link = /https?:\/\/\S+\/verify-email\?token=\S+/.exec(message.text)?.[0];
  if (!link) throw new Error(`no verification link in: ${message.text}`);
  return link;
}
