/**
 * What domain functions need from the outside, passed in as the first argument: no singletons, so a test can give
 * a fake clock or a recording mailer.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { RandomBase62Digit } from './token-format.ts';
import type { LastUsedRecorder } from './token-last-used.ts';
import type { SharedState } from './shared-state.ts';
import type { TokenCache } from './token-cache.ts';

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

/** The git data behind repository records (src/git/repository-files.ts). */
export interface RepositoryFiles {
  /** Folder that holds every repository. */
  root: string;
  /** Where one repository's git data is. */
  pathOf(repository: { owner_id: number; id: number }): string;
  create(repository: { owner_id: number; id: number }): Promise<void>;
  remove(repository: { owner_id: number; id: number }): Promise<void>;
}

export interface DomainConfig {
  /** Public URL of the service, for links in mail and messages (no trailing slash). */
  baseUrl: string;
}

export interface Deps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  config: DomainConfig;
  lastUsed: LastUsedRecorder;
  /** Recently verified tokens of this process, dropped through shared.invalidations (token-cache.ts). */
  tokenCache: TokenCache;
  repositoryFiles: RepositoryFiles;
  /** State shared by every process of the install (rate limits, one-time values, cache invalidations). */
  shared: SharedState;
  randomDigit?: RandomBase62Digit;
}

export type FieldErrors = Record<string, string>;

export const DAY_MS = 24 * 60 * 60 * 1000;
