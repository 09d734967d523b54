/**
 * What the store conformance tests share: a migrated store of the kind test/helpers/store.ts selects, with domain
 * dependencies on a fake clock, a query counter and a mailer that keeps messages, and helpers to make users and tokens.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Kysely } from 'kysely';
import { type Config } from '../../src/config/config.ts';
import { signUp } from '../../src/domain/accounts.ts';
import type { Deps, MailMessage } from '../../src/domain/deps.ts';
import { createPersonalAccessToken } from '../../src/domain/tokens.ts';
import { createDeps } from '../../src/runtime.ts';
import type { Database, UserRow } from '../../src/store/database.ts';
import { openTestDatabase } from '../helpers/store.ts';
import { type FakeClock, fakeClock } from '../helpers/fake-clock.ts';
import { QueryCounter } from '../helpers/query-counter.ts';

export const START = new Date('2026-11-25T10:00:00.000Z');
export const PASSWORD = 'correct horse battery staple';
export const DAY = 24 * 60 * 60 * 1000;

export interface Fixture {
  config: Config;
  db: Kysely<Database>;
  deps: Deps;
  clock: FakeClock;
  counter: QueryCounter;
  mail: MailMessage[];
  /** Signs a user up (verified unless told otherwise) and returns the row. */
  user(name: string, options?: { verified?: boolean; email?: string }): Promise<UserRow>;
  /** Creates a token for a user and returns its secret and id. */
  token(user: UserRow, note: string, options?: { scopes?: string[]; expiresAt?: Date | null }): Promise<{ secret: string; id: number }>;
  /** The raw secret of the latest verification link mailed to `to`. */
  verificationSecretFor(to: string): string;
}

export async function openFixture(t: TestContext): Promise<Fixture> {
  const { config, db } = await openTestDatabase(t, { host: '127.0.0.1', port: 0, baseUrl: 'http://tessera.test' });
  const clock = fakeClock(START);
  const counter = new QueryCounter();
  const mail: MailMessage[] = [];
  const deps = createDeps(config, db.withPlugin(counter), {
    clock,
    mailer: { send: async (message) => void mail.push(message) },
    onBackgroundError: (error) => { throw error; },
  });
  const fixture: Fixture = {
    config, db, deps, clock, counter, mail,
    async user(name, options = {}) {
      const result = await signUp(deps, { username: name, email: options.email ?? `${name}@example.test`, password: PASSWORD }, { verified: options.verified ?? true });
      assert.ok(result.ok, `signUp ${name}: ${JSON.stringify(result)}`);
      return result.user;
    },
    async token(user, note, options = {}) {
      const result = await createPersonalAccessToken(deps, user, {
        note, scopes: options.scopes ?? ['repo'], expiresAt: options.expiresAt === undefined ? null : options.expiresAt,
      });
      assert.ok(result.ok, `createPersonalAccessToken ${note}: ${JSON.stringify(result)}`);
      return { secret: result.secret, id: result.token.id };
    },
    verificationSecretFor(to) {
      const message = mail.filter((m) => m.to === to).at(-1);
      assert.ok(message, `no mail to ${to}`);
      const match = /\/verify-email\?token=([^\s]+)/.exec(message.text);
      assert.ok(match, `no verification link in: ${message.text}`);
      return decodeURIComponent(match[1]!);
    },
  };
  return fixture;
}

export async function countRows(db: Kysely<Database>, table: keyof Database): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}
