/**
 * The one place that reads the environment. Precedence: command-line flags, then TESSERA_* variables, then the
 * JSON file named by TESSERA_CONFIG (keys as in `Config`), then defaults.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface Config {
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
}

export type ConfigOverrides = Partial<Pick<Config, 'host' | 'dataDir' | 'baseUrl' | 'tlsCert' | 'tlsKey'>> & {
  /** A number, or the text of a --port flag (checked here like TESSERA_PORT). */
  port?: number | string;
};

export class ConfigError extends Error {}

const DEFAULT_PORT = 8080;
const GIB = 1024 ** 3;

type ConfigFile = Partial<Record<keyof Config, unknown>>;

function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as ConfigFile;
  } catch (error) {
    throw new ConfigError(`Cannot read the config file ${path} named by TESSERA_CONFIG: ${(error as Error).message}`);
  }
}

function parsePort(value: unknown): number {
  const port = typeof value === 'number' ? value : Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`Port must be a whole number from 0 to 65535, not "${String(value)}".`);
  }
  return port;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A whole number ≥ 0 from the environment or the file, or the default; anything else is a ConfigError naming the setting. */
function wholeNumber(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new ConfigError(`${name} must be a whole number of 0 or more, not "${String(value)}".`);
  return number;
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).map((item) => item.trim()).filter(Boolean);
  return typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : [];
}

/** The URL of a server listening on `host` and `port` (an IPv6 address in brackets). */
export function listeningUrl(scheme: 'http' | 'https', host: string, port: number): string {
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const file = readConfigFile(env.TESSERA_CONFIG);
  const setting = (variable: string, key: keyof Config) => env[variable] ?? file[key];
  const number = (variable: string, key: keyof Config, fallback: number) => wholeNumber(variable, setting(variable, key), fallback);
  const host = overrides.host ?? optionalString(env.TESSERA_HOST) ?? optionalString(file.host) ?? '127.0.0.1';
  const port = parsePort(overrides.port ?? env.TESSERA_PORT ?? file.port ?? DEFAULT_PORT);
  const dataDir = resolve(overrides.dataDir ?? optionalString(env.TESSERA_DATA_DIR) ?? optionalString(file.dataDir) ?? 'data');
  const tlsCert = overrides.tlsCert ?? optionalString(env.TESSERA_TLS_CERT) ?? optionalString(file.tlsCert);
  const tlsKey = overrides.tlsKey ?? optionalString(env.TESSERA_TLS_KEY) ?? optionalString(file.tlsKey);
  if (Boolean(tlsCert) !== Boolean(tlsKey)) {
    throw new ConfigError('HTTPS needs both a certificate and its private key: give --tls-cert and --tls-key (TESSERA_TLS_CERT and TESSERA_TLS_KEY) together.');
  }
  const chosenBaseUrl = overrides.baseUrl ?? optionalString(env.TESSERA_BASE_URL) ?? optionalString(file.baseUrl);
  const baseUrl = (chosenBaseUrl ?? listeningUrl(tlsCert ? 'https' : 'http', host, port)).replace(/\/+$/, '');
  const redisUrl = optionalString(env.TESSERA_REDIS_URL) ?? optionalString(file.redisUrl);
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) throw new ConfigError(`TESSERA_REDIS_URL must start with redis:// or rediss://, not "${redisUrl}".`);
  return {
    host,
    port,
    dataDir,
    baseUrl,
    baseUrlSource: chosenBaseUrl ? 'setting' : 'default',
    tlsCert,
    tlsKey,
    databaseUrl: optionalString(env.TESSERA_DATABASE_URL) ?? optionalString(file.databaseUrl),
    redisUrl,
    redisPrefix: optionalString(env.TESSERA_REDIS_PREFIX) ?? optionalString(file.redisPrefix) ?? 'tessera:',
    smtpUrl: optionalString(env.TESSERA_SMTP_URL) ?? optionalString(file.smtpUrl),
    mailFrom: optionalString(env.TESSERA_MAIL_FROM) ?? optionalString(file.mailFrom) ?? 'Tessera <noreply@tessera.localhost>',
    logLevel: optionalString(env.TESSERA_LOG_LEVEL) ?? optionalString(file.logLevel) ?? 'info',
    trustProxy: list(setting('TESSERA_TRUST_PROXY', 'trustProxy')),
    apiRateLimit: number('TESSERA_API_RATE_LIMIT', 'apiRateLimit', 5000),
    apiAnonymousRateLimit: number('TESSERA_API_ANONYMOUS_RATE_LIMIT', 'apiAnonymousRateLimit', 60),
    gitMaxPushBytes: number('TESSERA_GIT_MAX_PUSH_BYTES', 'gitMaxPushBytes', 2 * GIB),
    gitMaxProcesses: number('TESSERA_GIT_MAX_PROCESSES', 'gitMaxProcesses', 32),
    gitMaxProcessesPerClient: number('TESSERA_GIT_MAX_PROCESSES_PER_CLIENT', 'gitMaxProcessesPerClient', 4),
    gitIdleTimeoutMs: number('TESSERA_GIT_IDLE_TIMEOUT_MS', 'gitIdleTimeoutMs', 60_000),
    idleTimeoutMs: number('TESSERA_IDLE_TIMEOUT_MS', 'idleTimeoutMs', 120_000),
    headersTimeoutMs: number('TESSERA_HEADERS_TIMEOUT_MS', 'headersTimeoutMs', 30_000),
    requestTimeoutMs: number('TESSERA_REQUEST_TIMEOUT_MS', 'requestTimeoutMs', 3_600_000),
    keepAliveTimeoutMs: number('TESSERA_KEEP_ALIVE_TIMEOUT_MS', 'keepAliveTimeoutMs', 72_000),
    repositoryQuota: number('TESSERA_REPOSITORY_QUOTA', 'repositoryQuota', 1000),
    gitMaintenanceDelay: number('TESSERA_GIT_MAINTENANCE_DELAY', 'gitMaintenanceDelay', 30),
    gitPruneGrace: number('TESSERA_GIT_PRUNE_GRACE', 'gitPruneGrace', 14 * 24 * 60 * 60),
    unusedTokenDays: number('TESSERA_UNUSED_TOKEN_DAYS', 'unusedTokenDays', 365),
    siteAdmins: list(setting('TESSERA_SITE_ADMINS', 'siteAdmins')),
  };
}
