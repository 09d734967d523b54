import { type Config, loadConfig } from '../config/config.ts';
import type { Deps } from '../domain/deps.ts';
import type { AppDeps } from '../http/app-deps.ts';
import type { UserRow } from '../store/database.ts';
import { findUserByUsername } from '../store/user-store.ts';
import { createDeps, openMigratedStore } from '../runtime.ts';
import { CliError } from './cli-error.ts';

export interface DataOptions {
  data?: string;
}

export function configFrom(options: DataOptions & { host?: string; port?: string }): Config {
  return loadConfig(process.env, {
    ...(options.data !== undefined && { dataDir: options.data }),
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: Number(options.port) }),
  });
}

/** Runs `work` against the configured (and migrated) store, then closes it. */
export async function withStore<T>(options: DataOptions, work: (deps: AppDeps, config: Config) => Promise<T>): Promise<T> {
  const config = configFrom(options);
  let db;
  try {
    db = await openMigratedStore(config);
  } catch (error) {
    throw new CliError(`Cannot open the store (${config.databaseUrl ? 'TESSERA_DATABASE_URL' : config.dataDir}): ${(error as Error).message}. Check the data folder or the database URL.`);
  }
  try {
    return await work(createDeps(config, db), config);
  } finally {
    await db.destroy();
  }
}

export async function requireUser(deps: Deps, username: string): Promise<UserRow> {
  const user = await findUserByUsername(deps.db, username);
  if (!user) throw new CliError(`No user named ${username}. Create one with: tessera user create --username ${username} …`);
  return user;
}
