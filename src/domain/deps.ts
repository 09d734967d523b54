/**
 * What domain functions need from the outside, passed in as the first argument: no singletons, so a test can give
 * a fake clock or a recording mailer.
 */
import type { Locale } from '../i18n/locales.ts';
import type { Kysely } from 'kysely';
import type { Edition } from './editions.ts';
import type { Database } from '../store/database.ts';
import type { RandomBase62Digit } from './token-format.ts';
import type { LastUsedRecorder } from './token-last-used.ts';
import type { TokenUseRecorder } from './token-uses.ts';
import type { SharedState } from './shared-state.ts';
import type { TokenCache } from './token-cache.ts';
import type { RepositoryCountsCache } from './repository-counts.ts';
import type { BackgroundWork } from './background-work.ts';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

type RepositoryKey = { owner_id: number; id: number };

/** Whether a server process that was creating a repository still runs. */
export type InstanceStatus = 'this' | 'running' | 'gone' | 'unknown';

/** The git data behind repository records (src/git/repository-files.ts). */
export interface RepositoryFiles {
  /** Folder that holds every repository. */
  root: string;
  /** This server process, as recorded on the repositories it is creating. */
  instance: string;
  /** Where one repository's git data is. */
  pathOf(repository: RepositoryKey): string;
  /** Makes the git data whole, or not at all: at its path only once complete. */
  create(repository: RepositoryKey): Promise<void>;
  /** Removes the git data; a crash half-way leaves only a leftover for clearLeftovers. */
  remove(repository: RepositoryKey): Promise<void>;
  exists(repository: RepositoryKey): Promise<boolean>;
  /** Every repository folder in the root. */
  listStored(): Promise<RepositoryKey[]>;
  instanceStatus(instance: string): Promise<InstanceStatus>;
  /** Removes half-made folders of processes that are gone, and half-removed ones; says which. */
  clearLeftovers(): Promise<string[]>;
  /** Removes a repository folder that has no record. */
  discardStored(repository: RepositoryKey): Promise<void>;
}

export interface DomainConfig {
  /** Public URL of the service, for links in mail and messages (no trailing slash). */
  baseUrl: string;
  /** Days unused after which a token is removed (TESSERA_UNUSED_TOKEN_DAYS, defaulted by the edition); 0 never removes. */
  unusedTokenDays: number;
  /** The running edition and what it decides (src/domain/editions.ts). */
  edition: Edition;
  /** Usernames of the site administrators (TESSERA_SITE_ADMINS): their tokens may create organizations for anyone. */
  siteAdmins?: readonly string[];
  /** The language of mail to a user who chose none (TESSERA_DEFAULT_LOCALE); English when unset. */
  defaultLocale?: Locale;
}

export interface Deps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  config: DomainConfig;
  lastUsed: LastUsedRecorder;
  /** Where tokens are used from, written in the background (token-uses.ts). */
  tokenUses: TokenUseRecorder;
  /** Recently verified tokens of this process, dropped through shared.invalidations (token-cache.ts). */
  tokenCache: TokenCache;
  /** Users' repository counts, kept a moment (repository-counts.ts). */
  repositoryCounts: RepositoryCountsCache;
  repositoryFiles: RepositoryFiles;
  /** State shared by every process of the install (rate limits, one-time values, cache invalidations). */
  shared: SharedState;
  randomDigit?: RandomBase62Digit;
  /** Defaults to DEFAULT_REPOSITORY_LIMITS. */
  repositoryLimits?: RepositoryLimits;
  /** Where a failure that must not fail the caller goes (a notification mail that could not be sent). */
  reportError?: (error: unknown, what: string) => void;
  /** Work done after the answer (background-work.ts); without it, such work runs before the caller goes on. */
  background?: BackgroundWork;
}

/** 0 turns a limit off. */
export interface RepositoryLimits {
  /** Repositories one user may own (TESSERA_REPOSITORY_QUOTA). */
  quota: number;
  creationsPerHour: number;
}

/** Creations an hour per user: room for scripts, not for filling the disk. */
export const REPOSITORY_CREATIONS_PER_HOUR = 50;
export const DEFAULT_REPOSITORY_LIMITS: RepositoryLimits = { quota: 1000, creationsPerHour: REPOSITORY_CREATIONS_PER_HOUR };

export type FieldErrors = Record<string, string>;

export const DAY_MS = 24 * 60 * 60 * 1000;
