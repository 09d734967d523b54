import type { Command } from 'commander';
import { configRows, formatConfigRows } from '../../config/config-report.ts';
import { configFrom, DATA_OPTION } from '../store-session.ts';

interface ConfigShowOptions {
  data?: string;
  host?: string;
  port?: string;
  tlsCert?: string;
  tlsKey?: string;
  json?: boolean;
}

export function registerConfigCommands(program: Command): void {
  const config = program.command('config').description('The settings Tessera runs with');

  config.command('show')
    .description('Print every effective setting and where it came from (flag, environment, file, edition, default); passwords and secrets are masked')
    .option('--port <port>', 'as `tessera serve --port` would use it')
    .option('--host <host>', 'as `tessera serve --host` would use it')
    .option('--tls-cert <file>', 'as `tessera serve --tls-cert` would use it')
    .option('--tls-key <file>', 'as `tessera serve --tls-key` would use it')
    .option(...DATA_OPTION)
    .option('--json', 'one JSON object: each setting with its value, source and what set it')
    .action((options: ConfigShowOptions) => {
      const rows = configRows(configFrom(options), process.env.TESSERA_CONFIG);
      if (!options.json) {
        console.log(formatConfigRows(rows));
        return;
      }
      const settings = Object.fromEntries(rows.map((row) => [row.setting, { value: row.json, source: row.source, detail: row.detail }]));
      console.log(JSON.stringify(settings, null, 2));
    });
}
