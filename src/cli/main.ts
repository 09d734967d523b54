#!/usr/bin/env node
/** The `tessera` command: one file per subcommand, each calling the same domain code as the HTTP routes. */
import './v8-tuning.ts';
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/config.ts';
import { CliError } from './cli-error.ts';
import { registerConfigCommands } from './commands/config.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerJobsCommands } from './commands/jobs.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerOrgCommands } from './commands/org.ts';
import { registerRepoCommands } from './commands/repo.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerTokenCommands } from './commands/token.ts';
import { registerUserCommands } from './commands/user.ts';

/** The version in package.json, which releases set. */
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const program = new Command('tessera')
  .description('Personal access tokens for a code-hosting platform: settings pages, REST API and Git over HTTPS.')
  .version(version, '-V, --version', 'print the version of Tessera and exit')
  .showHelpAfterError('(run with --help for usage)')
  .exitOverride();

registerServeCommand(program);
registerMigrateCommand(program);
registerUserCommands(program);
registerTokenCommands(program);
registerRepoCommands(program);
registerOrgCommands(program);
registerExportCommand(program);
registerImportCommand(program);
registerJobsCommands(program);
registerConfigCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  const known = error instanceof CliError || error instanceof ConfigError;
  console.error(`tessera: ${known ? (error as Error).message : `unexpected error: ${(error as Error)?.message ?? String(error)}`}`);
  process.exit(1);
}
