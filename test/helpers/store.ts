/**
 * The store a test runs on. TESSERA_TEST_STORE=postgres runs the suite on PostgreSQL (a fresh database per test,
 * dropped afterwards; server from TESSERA_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres);
 * otherwise SQLite in a fresh temporary data folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { type Config, type ConfigOverrides, loadConfig } from '../../src/config/config.ts';
import { openMigratedStore } from '../../src/runtime.ts';
import type { Database } from '../../src/store/database.ts';

export const TEST_STORE = process.env.TESSERA_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';
/** Set (redis://…) to keep the servers' shared state in Redis, as the scale-out runs; unset keeps it in memory. */
export const TEST_REDIS_URL = process.env.TESSERA_TEST_REDIS_URL || undefined;
const ADMIN_URL = process.env.TESSERA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestStore {
  dataDir: string;
  databaseUrl: string | undefined;
}

/** Runs one statement as PostgreSQL's administrator (creating and dropping databases). */
export async function adminQuery(sql: string, adminUrl: string = ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A fresh data folder (and, on PostgreSQL, a fresh database), removed when the test ends. */
export async function createTestStore(t: TestContext | { after(fn: () => Promise<void>): void }): Promise<TestStore> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tessera-test-'));
  const databaseUrl = TEST_STORE === 'postgres' ? await createTestPostgresDatabase(t) : undefined;
  t.after(async () => rm(dataDir, { recursive: true, force: true }));
  return { dataDir, databaseUrl };
}

/** A fresh PostgreSQL database (whatever TEST_STORE says), dropped when the test ends; returns its URL. */
export async function createTestPostgresDatabase(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const name = `tessera_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  t.after(async () => adminQuery(`drop database if exists ${name} with (force)`));
  return url.toString();
}

/**
 * Shared-state settings for one test: Redis (when TESSERA_TEST_REDIS_URL is set) under a key prefix of its own,
 * whose keys are deleted when the test ends; otherwise memory.
 */
export async function testRedisConfig(t: { after(fn: () => Promise<void>): void }): Promise<{ redisUrl: string | undefined; redisPrefix: string }> {
  const redisPrefix = `tessera-test:${randomBytes(6).toString('hex')}:`;
  if (TEST_REDIS_URL) {
    t.after(async () => {
      const redis = new Redis(TEST_REDIS_URL);
      try {
        const keys = await redis.keys(`${redisPrefix}*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });
  }
  return { redisUrl: TEST_REDIS_URL, redisPrefix };
}

/** A migrated store of the selected kind for one test, with the configuration that opens it; closed when the test ends. */
export async function openTestDatabase(
  t: TestContext,
  overrides: ConfigOverrides = {},
): Promise<{ config: Config; db: Kysely<Database>; dataDir: string }> {
  const store = await createTestStore(t);
  const config = loadConfig({}, { dataDir: store.dataDir, ...overrides });
  config.databaseUrl = store.databaseUrl;
  const db = await openMigratedStore(config);
  t.after(() => db.destroy());
  return { config, db, dataDir: store.dataDir };
}
