/**
 * The one place that reads the environment. Precedence: command-line flags, then TESSERA_* variables, then the
 * JSON file named by TESSERA_CONFIG (keys as in `Config`), then the edition's defaults (src/domain/editions.ts),
 * then Tessera's own. Where each value came from is kept in `sources` for `tessera config show`.
 */
import { resolve } from 'node:path';
import { ConfigError, readConfigFile, settingsReader } from './settings-reader.ts';
import {
  DEFAULT_EDITION, type Edition, EDITION_NAMES, EDITION_RULES, type EditionName, isEditionName, resolveEdition,
} from '../domain/editions.ts';
import { DEFAULT_LOCALE, isLocale, type Locale, LOCALES } from '../i18n/locales.ts';

export interface Config {
  /** cloud | server | managed (TESSERA_EDITION): decides the defaults marked "edition" below. */
  edition: EditionName;
  /** Creating a token needs a verified email address: always in cloud and managed, by default on a server. */
  requireVerifiedEmail: boolean;
  /** Organizations may require SAML authorization of tokens (cloud and managed); not a setting. */
  samlTokenAuthorization: boolean;
  host: string;
  port: number;
  dataDir: string;
  /** Public URL for links in mail and messages, without a trailing slash. */
  baseUrl: string;
  /**
   * 'setting' when TESSERA_BASE_URL (or the file's baseUrl) chose it; 'default' when it was made from host, port and
   * scheme, which a server listening on port 0 replaces with its real address and the CLI with a running server's.
   */
  baseUrlSource: 'setting' | 'default';
  /** PEM files: with both set, `tessera serve` speaks HTTPS itself (without a reverse proxy in front). */
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** `postgres://…` selects PostgreSQL; unset means SQLite in the data folder. */
  databaseUrl: string | undefined;
  /** `redis://…` keeps the state shared between processes in Redis; unset means this process's memory. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so several installs (or tests) can share one Redis. */
  redisPrefix: string;
  /** `smtp://…` or `smtps://…` sends mail over SMTP; unset means one .eml file per message in `<data>/outbox`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
  /** Addresses or CIDRs of reverse proxies whose X-Forwarded-For/-Proto are believed; empty believes none. */
  trustProxy: string[];
  /** API (and Git) requests an hour per user, over all of their tokens; 0 turns the limit off. */
  apiRateLimit: number;
  /** API (and Git) requests an hour per client address without a credential; 0 turns the limit off. */
  apiAnonymousRateLimit: number;
  /** GraphQL points an hour per user (most queries cost 1); 0 turns the limit off. */
  graphqlRateLimit: number;
  /** Largest pack a push may send, in bytes. */
  gitMaxPushBytes: number;
  /** git processes running at once, in all and per client address; more get 503/429 with Retry-After. */
  gitMaxProcesses: number;
  gitMaxProcessesPerClient: number;
  /** A git request body that sends nothing for this long is cut off and its git process ended. */
  gitIdleTimeoutMs: number;
  /** Any connection that sends and receives nothing for this long is closed; 0 never closes one. */
  idleTimeoutMs: number;
  /** Time a client has to send a request's headers. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request, body included (a 2 GiB push too); 0 means no limit. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept open between requests. */
  keepAliveTimeoutMs: number;
  /** Repositories one user may own; 0 means no limit. */
  repositoryQuota: number;
  /** Seconds after a repository's last push before it is repacked (with a bitmap) and pruned in the background. */
  gitMaintenanceDelay: number;
  /** Seconds an unreachable object is kept before maintenance prunes it (default two weeks, as git's gc). */
  gitPruneGrace: number;
  /** Days without a use after which a token is removed (restorable for 30 days); 0 never removes one. */
  unusedTokenDays: number;
  /** Usernames whose tokens may use the site-administration API (`POST /api/v3/admin/organizations`). */
  siteAdmins: string[];
  /** The interface's language for a visitor whose account and browser name none Tessera speaks (en, ru). */
  defaultLocale: Locale;
  /** Where each setting above came from. */
  sources: ConfigSources;
}

/** `edition`: the edition's default (EDITION_RULES); `default`: Tessera's own, the same in every edition. */
export type ConfigSource = 'flag' | 'environment' | 'file' | 'edition' | 'default';
export type ConfigKey = Exclude<keyof Config, 'sources' | 'baseUrlSource'>;
/** Where a setting came from, and the variable that sets it (none for what only the edition decides). */
export interface SettingOrigin {
  from: ConfigSource;
  variable: string | undefined;
}
export type ConfigSources = Record<ConfigKey, SettingOrigin>;

export type ConfigOverrides = Partial<Pick<Config, 'host' | 'dataDir' | 'baseUrl' | 'tlsCert' | 'tlsKey'>> & {
  /** A number, or the text of a --port flag (checked here like TESSERA_PORT). */
  port?: number | string;
};

export { ConfigError };

const DEFAULT_PORT = 8080;
const GIB = 1024 ** 3;

/** The running edition as the domain reads it (deps.config.edition). */
export function editionOf(config: Config): Edition {
  return { name: config.edition, requireVerifiedEmail: config.requireVerifiedEmail, samlTokenAuthorization: config.samlTokenAuthorization };
}

/** The URL of a server listening on `host` and `port` (an IPv6 address in brackets). */
export function listeningUrl(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const read = settingsReader(env, readConfigFile(env.TESSERA_CONFIG), overrides);
  const editionName = read.text('edition', 'TESSERA_EDITION', DEFAULT_EDITION);
  if (!isEditionName(editionName)) {
    throw new ConfigError(`TESSERA_EDITION must be one of ${EDITION_NAMES.join(', ')}, not "${editionName}".`);
  }
  const rules = EDITION_RULES[editionName];
  const requireVerifiedEmailSetting = read.yesNo('requireVerifiedEmail', 'TESSERA_REQUIRE_VERIFIED_EMAIL');
  const edition = resolveEdition(editionName, requireVerifiedEmailSetting);
  if (!edition.ok) {
    throw new ConfigError(`The ${editionName} edition always requires a verified email address before a token is created: remove TESSERA_REQUIRE_VERIFIED_EMAIL=false, or run as TESSERA_EDITION=server.`);
  }
  if (requireVerifiedEmailSetting === undefined) read.fixed('requireVerifiedEmail', true, 'edition');

  const host = read.text('host', 'TESSERA_HOST', '127.0.0.1');
  const port = read.port(DEFAULT_PORT);
  const dataDir = resolve(read.text('dataDir', 'TESSERA_DATA_DIR', 'data'));
  const tlsCert = read.optionalText('tlsCert', 'TESSERA_TLS_CERT');
  const tlsKey = read.optionalText('tlsKey', 'TESSERA_TLS_KEY');
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new ConfigError('HTTPS needs both a certificate and its private key: give --tls-cert and --tls-key (TESSERA_TLS_CERT and TESSERA_TLS_KEY) together.');
  }
  const chosenBaseUrl = read.optionalText('baseUrl', 'TESSERA_BASE_URL');
  const baseUrl = (chosenBaseUrl ?? listeningUrl(tlsCert ? 'https' : 'http', host, port)).replace(/\/+$/, '');
  const redisUrl = read.optionalText('redisUrl', 'TESSERA_REDIS_URL');
  const defaultLocale = read.text('defaultLocale', 'TESSERA_DEFAULT_LOCALE', DEFAULT_LOCALE);
  if (!isLocale(defaultLocale)) throw new ConfigError(`TESSERA_DEFAULT_LOCALE must be one of ${LOCALES.join(', ')}, not "${defaultLocale}".`);
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`TESSERA_REDIS_URL must start with redis:// or rediss://, not "${redisUrl}".`);
  return {
    edition: editionName,
    requireVerifiedEmail: edition.edition.requireVerifiedEmail,
    samlTokenAuthorization: read.fixed('samlTokenAuthorization', edition.edition.samlTokenAuthorization, 'edition'),
    host,
    port,
    dataDir,
    baseUrl,
    baseUrlSource: chosenBaseUrl ? 'setting' : 'default',
    tlsCert,
    tlsKey,
    databaseUrl: read.optionalText('databaseUrl', 'TESSERA_DATABASE_URL'),
    redisUrl,
    redisPrefix: read.text('redisPrefix', 'TESSERA_REDIS_PREFIX', 'tessera:'),
    smtpUrl: read.optionalText('smtpUrl', 'TESSERA_SMTP_URL'),
    mailFrom: read.text('mailFrom', 'TESSERA_MAIL_FROM', 'Tessera <noreply@tessera.localhost>'),
    logLevel: read.text('logLevel', 'TESSERA_LOG_LEVEL', 'info'),
    trustProxy: read.list('trustProxy', 'TESSERA_TRUST_PROXY'),
    apiRateLimit: read.number('apiRateLimit', 'TESSERA_API_RATE_LIMIT', rules.apiRateLimit, 'edition'),
    apiAnonymousRateLimit: read.number('apiAnonymousRateLimit', 'TESSERA_API_ANONYMOUS_RATE_LIMIT', rules.apiAnonymousRateLimit, 'edition'),
    graphqlRateLimit: read.number('graphqlRateLimit', 'TESSERA_GRAPHQL_RATE_LIMIT', rules.graphqlRateLimit, 'edition'),
    gitMaxPushBytes: read.number('gitMaxPushBytes', 'TESSERA_GIT_MAX_PUSH_BYTES', 2 * GIB),
    gitMaxProcesses: read.number('gitMaxProcesses', 'TESSERA_GIT_MAX_PROCESSES', 32),
    gitMaxProcessesPerClient: read.number('gitMaxProcessesPerClient', 'TESSERA_GIT_MAX_PROCESSES_PER_CLIENT', 4),
    gitIdleTimeoutMs: read.number('gitIdleTimeoutMs', 'TESSERA_GIT_IDLE_TIMEOUT_MS', 60_000),
    idleTimeoutMs: read.number('idleTimeoutMs', 'TESSERA_IDLE_TIMEOUT_MS', 120_000),
    headersTimeoutMs: read.number('headersTimeoutMs', 'TESSERA_HEADERS_TIMEOUT_MS', 30_000),
    requestTimeoutMs: read.number('requestTimeoutMs', 'TESSERA_REQUEST_TIMEOUT_MS', 3_600_000),
    keepAliveTimeoutMs: read.number('keepAliveTimeoutMs', 'TESSERA_KEEP_ALIVE_TIMEOUT_MS', 72_000),
    repositoryQuota: read.number('repositoryQuota', 'TESSERA_REPOSITORY_QUOTA', 1000),
    gitMaintenanceDelay: read.number('gitMaintenanceDelay', 'TESSERA_GIT_MAINTENANCE_DELAY', 30),
    gitPruneGrace: read.number('gitPruneGrace', 'TESSERA_GIT_PRUNE_GRACE', 14 * 24 * 60 * 60),
    unusedTokenDays: read.number('unusedTokenDays', 'TESSERA_UNUSED_TOKEN_DAYS', rules.unusedTokenDays, 'edition'),
    siteAdmins: read.list('siteAdmins', 'TESSERA_SITE_ADMINS'),
    defaultLocale,
    sources: read.sources,
  };
}
