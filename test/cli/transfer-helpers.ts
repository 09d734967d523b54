/**
 * Helpers for the export/import tests: the real `tessera` command spawned as a user runs it, and stores opened
 * on a data folder (SQLite) or a database URL (PostgreSQL) with a fake clock and a mailer that keeps messages.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { Deps, MailMessage } from '../../src/domain/deps.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import type { Database } from '../../src/store/database.ts';
import { EXPORTED_TABLES } from '../../src/store/export-store.ts';
import { type CliRun, cliEnvironment, runCli } from '../helpers/cli.ts';
import { fakeClock } from '../helpers/fake-clock.ts';

export const START = new Date('2026-11-25T10:00:00.000Z');

export type Run = CliRun;

export function tessera(store: { dataDir: string; databaseUrl?: string }, ...args: string[]): Promise<Run> {
  return runCli(cliEnvironment(store), ...args);
}

export function assertOk(result: Run, what: string): void {
  assert.equal(result.code, 0, `${what} failed:\n${result.stderr}`);
}

export function assertRefused(result: Run, pattern: RegExp): void {
  assert.equal(result.code, 1, `expected status 1, got ${result.code}; stderr: ${result.stderr}`);
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /unexpected error/);
}

export interface Store {
  config: Config;
  db: Kysely<Database>;
  deps: Deps;
  mail: MailMessage[];
  clock: ReturnType<typeof fakeClock>;
}

export type Hooks = { after(fn: () => Promise<void>): void };

export async function tempDir(hooks: Hooks): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-export-'));
  hooks.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export async function openStore(hooks: Hooks, dataDir: string, databaseUrl?: string): Promise<Store> {
  const config = loadConfig({}, { dataDir, host: '127.0.0.1', port: 0, baseUrl: 'http://tessera.test' });
  config.databaseUrl = databaseUrl;
  const db = await openMigratedStore(config);
  hooks.after(() => db.destroy());
  const mail: MailMessage[] = [];
  const clock = fakeClock(START);
  const deps = createDeps(config, db, { clock, mailer: { send: async (message) => void mail.push(message) } });
  return { config, db, deps, mail, clock };
}

export async function allRows(db: Kysely<Database>, table: (typeof EXPORTED_TABLES)[number]): Promise<unknown[]> {
  // Spread: node:sqlite rows have no prototype, pg rows do; only the values matter.
  const rows: object[] = await (db as unknown as Kysely<any>).selectFrom(table).selectAll().orderBy('id').execute();
  return rows.map((row) => ({ ...row }));
}

export async function assertSameRows(actual: Kysely<Database>, expected: Kysely<Database>): Promise<void> {
  for (const table of EXPORTED_TABLES) assert.deepEqual(await allRows(actual, table), await allRows(expected, table), table);
}
