import { type Config, loadConfig } from '../config/config.ts';
import type { Deps } from '../domain/deps.ts';
import type { AppDeps } from '../http/app-deps.ts';
import type { UserRow } from '../store/database.ts';
import { findUserByName } from '../domain/accounts.ts';
import { createDeps, openMigratedStore } from '../runtime.ts';
import { isReadyWithin, openSharedState, REDIS_START_WAIT_MS } from '../shared-state/connect.ts';
import { CliError } from './cli-error.ts';

/** The `--data` option every command that opens the store takes. */
export const DATA_OPTION = ['--data <dir>', 'data folder for the SQLite store and the mail outbox (TESSERA_DATA_DIR, default ./data)'] as const;

export interface DataOptions {
  data?: string;
}

export function configFrom(options: DataOptions & { host?: string; port?: string }): Config {
  return loadConfig(process.env, {
    ...(options.data !== undefined && { dataDir: options.data }),
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: options.port }),
  });
}

/** Why the store could not be opened or migrated, and where to look. */
export function storeError(config: Config, error: unknown): CliError {
  const where = config.databaseUrl ? 'the database named by TESSERA_DATABASE_URL' : `the data folder ${config.dataDir}`;
  return new CliError(`Cannot open the store (${(error as Error).message}). Check ${where}: it must exist or be creatable, and be reachable.`);
}

/** Runs `work` against the configured (and migrated) store, then closes it. */
export async function withStore<T>(options: DataOptions, work: (deps: AppDeps, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(options);
  let db;
  try {
    db = await openMigratedStore(config);
  } catch (error) {
    throw storeError(config, error);
  }
  // With Redis configured, a token the CLI revokes must also leave the running servers' caches at once.
  const shared = openSharedState(config);
  try {
    if (!(await isReadyWithin(shared, REDIS_START_WAIT_MS))) console.error('Redis at TESSERA_REDIS_URL is not answering: running servers may keep a revoked token cached until it is back.');
    return await work(createDeps(config, db, { shared }), config);
  } finally {
    await shared.close();
    await db.destroy();
  }
}

export async function requireUser(deps: Deps, username: string): Promise<UserRow> {
  const user = await findUserByName(deps, username);
  if (!user) throw new CliError(`No user named ${username}. Create one with: tessera user create --username ${username} …`);
  return user;
}
