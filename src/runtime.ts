/**
 * Wires configuration to running parts: the store, the mailer and the shared state. Used by the CLI and by tests,
 * so both run the service exactly as shipped.
 */
import type { Kysely } from 'kysely';
import { type Config, editionOf } from './config/config.ts';
import { REPOSITORY_CREATIONS_PER_HOUR, systemClock, type Clock, type Mailer } from './domain/deps.ts';
import { FAILED_AUTHENTICATIONS_PER_HOUR, SIGN_IN_ATTEMPTS_PER_HOUR } from './domain/rate-limits.ts';
import type { SharedState } from './domain/shared-state.ts';
import { createLastUsedRecorder } from './domain/token-last-used.ts';
import { createRepositoryCountsCache } from './domain/repository-counts.ts';
import { createTokenCache } from './domain/token-cache.ts';
import { createTokenUseRecorder } from './domain/token-uses.ts';
import { createBackgroundWork } from './domain/background-work.ts';
import type { AppDeps } from './http/app-deps.ts';
import { createRepositoryMaintenance } from './git/repository-maintenance.ts';
import { createGitProcessGate } from './http/git/git-process-gate.ts';
import { createRepositoryFiles, repositoriesRootOf } from './git/repository-files.ts';
import { createNewTokenFlash } from './http/web/new-token-flash.ts';
import { createOutboxMailer, createSmtpMailer, outboxDirOf } from './mail/mailer.ts';
import { createMemorySharedState } from './shared-state/connect.ts';
import { connectStore } from './store/connect.ts';
import type { Database } from './store/database.ts';
import { migrateToLatest } from './store/migrate.ts';

export interface RuntimeOptions {
  clock?: Clock;
  mailer?: Mailer;
  /** Shared state opened by the caller (openSharedState), who closes it; this process's memory when not given. */
  shared?: SharedState;
  onBackgroundError?: (error: unknown) => void;
  onMaintenanceError?: (error: unknown, path: string) => void;
  /** Failures that must not fail the caller, such as a notification mail (Deps.reportError). */
  reportError?: (error: unknown, what: string) => void;
}

export function createMailer(config: Config): Mailer {
  return config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, config.mailFrom)
    : createOutboxMailer(outboxDirOf(config.dataDir), config.mailFrom);
}

export function createDeps(config: Config, db: Kysely<Database>, options: RuntimeOptions = {}): AppDeps {
  const shared = options.shared ?? createMemorySharedState();
  const deps: AppDeps = {
    db,
    clock: options.clock ?? systemClock,
    mailer: options.mailer ?? createMailer(config),
    config: { baseUrl: config.baseUrl, unusedTokenDays: config.unusedTokenDays, siteAdmins: config.siteAdmins, defaultLocale: config.defaultLocale, edition: editionOf(config) },
    ...(options.reportError && { reportError: options.reportError }),
    lastUsed: createLastUsedRecorder(options.onBackgroundError),
    tokenUses: createTokenUseRecorder(options.onBackgroundError),
    tokenCache: createTokenCache(shared.invalidations),
    repositoryCounts: createRepositoryCountsCache(shared.invalidations),
    repositoryFiles: createRepositoryFiles(repositoriesRootOf(config.dataDir)),
    shared,
    rateLimits: {
      authenticatedPerHour: config.apiRateLimit,
      graphqlPointsPerHour: config.graphqlRateLimit,
      anonymousPerHour: config.apiAnonymousRateLimit,
      signInAttemptsPerHour: SIGN_IN_ATTEMPTS_PER_HOUR,
      failedAuthenticationsPerHour: FAILED_AUTHENTICATIONS_PER_HOUR,
    },
    newTokenFlash: createNewTokenFlash(shared.oneTime),
    trustProxy: config.trustProxy,
    repositoryLimits: { quota: config.repositoryQuota, creationsPerHour: REPOSITORY_CREATIONS_PER_HOUR },
    repositoryMaintenance: createRepositoryMaintenance(config, options.clock ?? systemClock, options.onMaintenanceError),
    git: { maxPushBytes: config.gitMaxPushBytes, idleTimeoutMs: config.gitIdleTimeoutMs },
    gitProcesses: createGitProcessGate({ total: config.gitMaxProcesses, perClient: config.gitMaxProcessesPerClient }),
    serverTimeouts: {
      idleMs: config.idleTimeoutMs,
      headersMs: config.headersTimeoutMs,
      requestMs: config.requestTimeoutMs,
      keepAliveMs: config.keepAliveTimeoutMs,
    },
  };
  // Reports through deps.reportError as it is when the failure happens (a command may set it after creating deps).
  deps.background = createBackgroundWork((error, what) => deps.reportError?.(error, what));
  return deps;
}

/** Opens the configured store and migrates it to the latest schema. */
export async function openMigratedStore(config: Config): Promise<Kysely<Database>> {
  const db = connectStore(config);
  try {
    await migrateToLatest(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
