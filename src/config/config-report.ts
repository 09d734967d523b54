/**
 * `tessera config show`: every effective setting, where it came from, and secrets masked. A secret is a password in
 * a URL (database, SMTP, Redis) or in a query or keyword string (`?password=`, `password=…`), or the whole value of
 * a setting named like a secret (a session secret). Masked values keep their shape, so an admin can still see which
 * host and user a URL names.
 */
import type { Config, ConfigKey, SettingOrigin } from './config.ts';

export const MASK = '****';

/** The command-line flags that set a setting (ConfigOverrides). */
const FLAGS: Partial<Record<ConfigKey, string>> = {
  host: '--host', port: '--port', dataDir: '--data', tlsCert: '--tls-cert', tlsKey: '--tls-key',
};

const SECRET_NAME = /secret|password|passphrase/i;
const SECRET_PARAMETER = /pass|secret|token|key/i;

/** The value with every password and secret in it replaced by MASK. */
export function maskSecrets(key: string, value: string): string {
  if (SECRET_NAME.test(key)) return value === '' ? value : MASK;
  let masked = value;
  try {
    const url = new URL(value);
    const secretParameters = [...url.searchParams.keys()].filter((name) => SECRET_PARAMETER.test(name));
    if (url.password !== '' || secretParameters.length > 0) {
      if (url.password !== '') url.password = MASK;
      for (const name of secretParameters) url.searchParams.set(name, MASK);
      // URL encodes the mask's asterisks in the query; put them back as they read.
      masked = url.href.replaceAll('%2A%2A%2A%2A', MASK);
    }
  } catch {
    // Not a URL to the parser, but it may still carry `scheme://user:password@`.
    masked = masked.replace(/(\/\/[^:/@\s]*:).*@/, `$1${MASK}@`);
  }
  // libpq keyword strings (`host=db password=x`) and anything else of the form `password=…`.
  return masked.replace(/\b(\w*pass\w*)=('[^']*'|[^\s&]+)/gi, (_match, name: string) => `${name}=${MASK}`);
}

export interface ConfigRow {
  setting: ConfigKey;
  /** As printed: masked, `(not set)`, lists joined with commas. */
  value: string;
  /** As JSON: numbers and booleans as such, lists as arrays, unset as null, text masked. */
  json: string | number | boolean | string[] | null;
  source: SettingOrigin['from'];
  /** What set it, in words: the variable, the file, the flag, or the edition. */
  detail: string;
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return '(not set)';
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : value.join(',');
  return String(value);
}

export function configRows(config: Config, configFile: string | undefined): ConfigRow[] {
  // In the order of Config, which groups related settings.
  const settings = Object.keys(config).filter((key): key is ConfigKey => Object.hasOwn(config.sources, key));
  return settings.map((setting) => {
    const origin = config.sources[setting];
    const detail = {
      flag: FLAGS[setting] ?? 'flag',
      environment: origin.variable ?? '',
      file: `${setting} in ${configFile ?? 'TESSERA_CONFIG'}`,
      edition: `the ${config.edition} edition`,
      default: '',
    }[origin.from];
    const value = config[setting];
    const json = value === undefined ? null
      : Array.isArray(value) ? value.map((item) => maskSecrets(setting, item))
        : typeof value === 'string' ? maskSecrets(setting, value) : value;
    return { setting, value: maskSecrets(setting, shown(value)), json, source: origin.from, detail };
  });
}

/** Aligned columns: setting, value, source (with what set it). */
export function formatConfigRows(rows: readonly ConfigRow[]): string {
  const width = (pick: (row: ConfigRow) => string, title: string) => Math.max(title.length, ...rows.map((row) => pick(row).length));
  const settingWidth = width((row) => row.setting, 'setting');
  const valueWidth = width((row) => row.value, 'value');
  const line = (setting: string, value: string, source: string) => `${setting.padEnd(settingWidth)}  ${value.padEnd(valueWidth)}  ${source}`.trimEnd();
  return [line('setting', 'value', 'source'), ...rows.map((row) => line(row.setting, row.value, row.detail ? `${row.source} (${row.detail})` : row.source))].join('\n');
}
