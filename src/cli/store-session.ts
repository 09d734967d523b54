import { type Config, loadConfig } from '../config/config.ts';
import type { Deps, DomainConfig } from '../domain/deps.ts';
import type { AppDeps } from '../http/app-deps.ts';
import type { UserRow } from '../store/database.ts';
import { findUserByName } from '../domain/accounts.ts';
import { type Principal, resolvePrincipal } from '../domain/principal.ts';
import { createDeps, openMigratedStore } from '../runtime.ts';
import { isReadyWithin, openSharedState, REDIS_START_WAIT_MS } from '../shared-state/connect.ts';
import { CliError } from './cli-error.ts';
import { findServedBaseUrl, serverRecordsDirOf } from './server-record.ts';

/** The `--data` option every command that opens the store takes. */
export const DATA_OPTION = ['--data <dir>', 'data folder for the SQLite store and the mail outbox (TESSERA_DATA_DIR, default ./data)'] as const;

export interface DataOptions {
  data?: string;
}

export function configFrom(options: DataOptions & { host?: string; port?: string; tlsCert?: string; tlsKey?: string }): Config {
  return loadConfig(process.env, {
    ...(options.data !== undefined && { dataDir: options.data }),
    ...(options.tlsCert !== undefined && { tlsCert: options.tlsCert }),
    ...(options.tlsKey !== undefined && { tlsKey: options.tlsKey }),
    ...(options.host !== undefined && { host: options.host }),
    ...(options.port !== undefined && { port: options.port }),
  });
}

/** Why the store could not be opened or migrated, and where to look. */
export function storeError(config: Config, error: unknown): CliError {
  const where = config.databaseUrl ? 'the database named by TESSERA_DATABASE_URL' : `the data folder ${config.dataDir}`;
  return new CliError(`Cannot open the store (${(error as Error).message}). Check ${where}: it must exist or be creatable, and be reachable.`);
}

/**
 * The domain settings createDeps made, with the base URL for the links a command prints or mails: TESSERA_BASE_URL,
 * else the one a running `tessera serve` recorded for this data folder (src/cli/server-record.ts), else the default
 * made from host and port. Only the last is a guess, so the command says which URL it used, on stderr, the first
 * time it makes a link with it (most commands make none).
 */
function cliDomainConfig(config: Config, settings: DomainConfig): DomainConfig {
  const served = config.baseUrlSource === 'default' ? findServedBaseUrl(config.dataDir) : undefined;
  if (config.baseUrlSource === 'setting' || served) return { ...settings, baseUrl: served ?? config.baseUrl };
  let noted = false;
  return {
    ...settings,
    get baseUrl() {
      if (!noted) {
        noted = true;
        console.error(`Note: no running tessera serve is recorded in ${serverRecordsDirOf(config.dataDir)}, so links use ${config.baseUrl}. Set TESSERA_BASE_URL to choose.`);
      }
      return config.baseUrl;
    },
  };
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
    const deps = createDeps(config, db, { shared });
    deps.config = cliDomainConfig(config, deps.config);
    try {
      return await work(deps, config);
    } finally {
      await deps.background?.settled();
    }
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

/** Who the CLI acts as: the site administrator, who runs it on the server. */
export async function adminPrincipal(deps: Deps): Promise<Principal> {
  const result = await resolvePrincipal(deps, { kind: 'site_admin' });
  if (!result.ok) throw new Error('the site administrator is always a principal');
  return result.principal;
}
