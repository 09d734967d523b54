/** A test server with a fake clock, and what the token lifecycle tests ask of it. */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import type { Config } from '../../src/config/config.ts';
import { DAY_MS } from '../../src/domain/deps.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import { findTokenWithUserByHash } from '../../src/store/token-store.ts';
import type { Job, JobReport } from '../../src/jobs/job.ts';
import type { UserRow } from '../../src/store/database.ts';
import { type FakeClock, fakeClock } from '../helpers/fake-clock.ts';
import { type OutboxMessage, startTestServer, type TestServer } from '../helpers/server.ts';

export const START = new Date('2026-01-01T12:00:00.000Z');
export const days = (n: number) => n * DAY_MS;

export interface LifecycleFixture {
  server: TestServer;
  clock: FakeClock;
  /** Sets the clock to START + ms. */
  at(ms: number): void;
  run(job: Job): Promise<JobReport>;
  /** Outbox messages whose subject matches, oldest first. */
  mails(subject: RegExp): Promise<OutboxMessage[]>;
  /** Every message in the outbox, to assert that none holds a secret. */
  allMail(): Promise<OutboxMessage[]>;
  /** Whether the secret authenticates, read straight from the store (a check through checkToken would record a use). */
  isLive(secret: string): Promise<boolean>;
  events(user: UserRow, kind: string): Promise<Array<{ token_note: string | null; actor: string }>>;
}

/** A server of the cloud edition, which removes unused tokens by default (365 days); `config` may change that. */
export async function openLifecycle(t: TestContext, config: Partial<Config> = {}): Promise<LifecycleFixture> {
  const clock = fakeClock(START);
  const server = await startTestServer(t, { clock, env: { TESSERA_EDITION: 'cloud' }, config });
  return {
    server,
    clock,
    at: (ms) => clock.set(new Date(START.getTime() + ms)),
    run: (job) => job.run(server.deps),
    mails: async (subject) => (await server.readOutbox()).filter((mail) => subject.test(mail.subject)),
    allMail: () => server.readOutbox(),
    isLive: async (secret) => (await findTokenWithUserByHash(server.db, hashToken(secret))) !== undefined,
    events: (user, kind) => server.db.selectFrom('security_events').select(['token_note', 'actor'])
      .where('user_id', '=', user.id).where('kind', '=', kind).orderBy('id').execute().then((rows) => rows.map((row) => ({ ...row }))),
  };
}

/** No mail ever carries a token's secret. */
export function assertNoSecretIn(mails: OutboxMessage[], secrets: string[]): void {
  for (const mail of mails) for (const secret of secrets) assert.ok(!mail.raw.includes(secret), `a secret in mail "${mail.subject}"`);
  for (const mail of mails) assert.doesNotMatch(mail.raw, /tsp_[A-Za-z0-9]{20,}/, `something shaped like a token in "${mail.subject}"`);
}
