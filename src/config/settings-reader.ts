/**
 * How config.ts reads one setting: a flag, else a TESSERA_* variable, else the TESSERA_CONFIG file, else a default
 * (Tessera's or the edition's), checked and converted, with where it came from remembered for `tessera config show`.
 */
import { readFileSync } from 'node:fs';
import type { Config, ConfigKey, ConfigOverrides, ConfigSource, ConfigSources } from './config.ts';

export class ConfigError extends Error {}

export type ConfigFile = Partial<Record<keyof Config, unknown>>;

export function readConfigFile(path: string | undefined): ConfigFile {
  if (!path) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`Cannot read the config file ${path} named by TESSERA_CONFIG: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`The config file ${path} named by TESSERA_CONFIG must hold one JSON object of settings.`);
  }
  return parsed as ConfigFile;
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

/** A whole number ≥ 0 from the environment or the file; anything else is a ConfigError naming the setting. */
function wholeNumber(name: string, value: unknown): number {
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(number) || number < 0 || value === '') throw new ConfigError(`${name} must be a whole number of 0 or more, not "${String(value)}".`);
  return number;
}

function yesOrNo(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  const text = String(value).trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  throw new ConfigError(`${name} must be true or false, not "${String(value)}".`);
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).map((item) => item.trim()).filter(Boolean);
  return typeof value === 'string' ? value.split(',').map((item) => item.trim()).filter(Boolean) : [];
}

/**
 * Reads settings in precedence order and remembers where each came from. An empty variable counts as unset, so
 * `TESSERA_X= tessera …` falls back to the file and the defaults.
 */
export function settingsReader(env: NodeJS.ProcessEnv, file: ConfigFile, overrides: ConfigOverrides) {
  const sources: Partial<ConfigSources> = {};
  const found = (key: ConfigKey, source: ConfigSource, value: unknown, variable: string, name = variable) => {
    sources[key] = { from: source, variable };
    return { value, name };
  };
  const raw = (key: ConfigKey, variable: string): { value: unknown; name: string } | undefined => {
    variables[key] = variable;
    const flag = (overrides as Partial<Record<ConfigKey, unknown>>)[key];
    if (flag !== undefined && flag !== '') return found(key, 'flag', flag, variable);
    if (optionalString(env[variable]) !== undefined) return found(key, 'environment', env[variable], variable);
    if (Object.hasOwn(file, key) && file[key] !== null && file[key] !== '') return found(key, 'file', file[key], variable, `${key} in TESSERA_CONFIG`);
    return undefined;
  };
  const textOf = (setting: { value: unknown; name: string }): string => {
    if (typeof setting.value !== 'string') throw new ConfigError(`${setting.name} must be text, not ${JSON.stringify(setting.value)}.`);
    return setting.value;
  };
  // The variable of each setting that has one, remembered as it is asked for (a fallback follows its raw()).
  const variables: Partial<Record<ConfigKey, string>> = {};
  function fallback<T>(key: ConfigKey, value: T, source: ConfigSource = 'default'): T {
    sources[key] = { from: source, variable: variables[key] };
    return value;
  }
  return {
    sources: sources as ConfigSources,
    text: (key: ConfigKey, variable: string, otherwise: string) => {
      const setting = raw(key, variable);
      return setting ? textOf(setting) : fallback(key, otherwise);
    },
    optionalText: (key: ConfigKey, variable: string): string | undefined => {
      const setting = raw(key, variable);
      return setting ? textOf(setting) : fallback(key, undefined);
    },
    number: (key: ConfigKey, variable: string, otherwise: number, source?: ConfigSource) => {
      const setting = raw(key, variable);
      return setting ? wholeNumber(setting.name, setting.value) : fallback(key, otherwise, source);
    },
    yesNo: (key: ConfigKey, variable: string): boolean | undefined => {
      const setting = raw(key, variable);
      return setting ? yesOrNo(setting.name, setting.value) : undefined;
    },
    list: (key: ConfigKey, variable: string) => {
      const setting = raw(key, variable);
      return setting ? list(setting.value) : fallback(key, []);
    },
    /** A value no setting changes, decided by the edition or by Tessera. */
    fixed: fallback,
    port: (otherwise: number) => {
      const setting = raw('port', 'TESSERA_PORT');
      return setting ? parsePort(setting.value) : fallback('port', otherwise);
    },
  };
}

