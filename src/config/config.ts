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
  /** `postgres://…` selects PostgreSQL; unset means SQLite in the data folder. */
  databaseUrl: string | undefined;
  /** `smtp://…` or `smtps://…` sends mail over SMTP; unset means one .eml file per message in `<data>/outbox`. */
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: string;
}

export type ConfigOverrides = Partial<Pick<Config, 'host' | 'dataDir' | 'baseUrl'>> & {
  /** A number, or the text of a --port flag (checked here like TESSERA_PORT). */
  port?: number | string;
};

export class ConfigError extends Error {}

const DEFAULT_PORT = 8080;

function readConfigFile(path: string | undefined): Partial<Record<keyof Config, unknown>> {
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Partial<Record<keyof Config, unknown>>;
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

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const file = readConfigFile(env.TESSERA_CONFIG);
  const host = overrides.host ?? optionalString(env.TESSERA_HOST) ?? optionalString(file.host) ?? '127.0.0.1';
  const port = parsePort(overrides.port ?? env.TESSERA_PORT ?? file.port ?? DEFAULT_PORT);
  const dataDir = resolve(overrides.dataDir ?? optionalString(env.TESSERA_DATA_DIR) ?? optionalString(file.dataDir) ?? 'data');
  const baseUrl = (overrides.baseUrl ?? optionalString(env.TESSERA_BASE_URL) ?? optionalString(file.baseUrl)
    ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');
  return {
    host,
    port,
    dataDir,
    baseUrl,
    databaseUrl: optionalString(env.TESSERA_DATABASE_URL) ?? optionalString(file.databaseUrl),
    smtpUrl: optionalString(env.TESSERA_SMTP_URL) ?? optionalString(file.smtpUrl),
    mailFrom: optionalString(env.TESSERA_MAIL_FROM) ?? optionalString(file.mailFrom) ?? 'Tessera <noreply@tessera.localhost>',
    logLevel: optionalString(env.TESSERA_LOG_LEVEL) ?? optionalString(file.logLevel) ?? 'info',
  };
}
