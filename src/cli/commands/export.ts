import { existsSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openMigratedStore } from '../../runtime.ts';
import { SQLITE_FILE_NAME } from '../../store/connect.ts';
import { CliError } from '../cli-error.ts';
import { configFrom, DATA_OPTION, type DataOptions, storeError } from '../store-session.ts';
import { exportRows } from '../transfer/export-rows.ts';
import { formatCount } from '../transfer/progress.ts';

const HELP_AFTER = `
Writes users (with password hashes and verification state), personal access token hashes, pending email
verifications and repository records to FILE. Web sessions are not exported: everyone signs in to the web pages
again after an import (tokens and passwords keep working); nor are password reset links (they last an hour). The bare git repositories are not in the file: copy
<data>/repositories along with it (see tessera import --help).

Example, from SQLite to PostgreSQL:
  tessera export --data ./data --out tessera.jsonl
  TESSERA_DATABASE_URL=postgres://… tessera import --in tessera.jsonl --data ./data
`;

export function registerExportCommand(program: Command): void {
  program.command('export')
    .description('Write the whole install (users, tokens, repositories\' records) to a file for tessera import')
    .requiredOption('--out <file>', 'file to write (JSON Lines); must not exist yet')
    .option(...DATA_OPTION)
    .addHelpText('after', HELP_AFTER)
    .action(async (options: DataOptions & { out: string }) => {
      const config = configFrom(options);
      // Opening a missing SQLite store would create an empty one and export nothing: a mistyped --data must fail.
      if (!config.databaseUrl && !existsSync(join(config.dataDir, SQLITE_FILE_NAME))) {
        throw new CliError(`There is no store in ${config.dataDir} (no ${SQLITE_FILE_NAME}): give the install's data folder with --data, or set TESSERA_DATABASE_URL to export from PostgreSQL.`);
      }
      const file = await open(options.out, 'wx').catch((error: NodeJS.ErrnoException) => {
        throw new CliError(error.code === 'EEXIST'
          ? `${options.out} already exists: choose another --out, or remove it first.`
          : `Cannot create ${options.out} (${error.message}): check that its folder exists and is writable.`);
      });
      let complete = false;
      try {
        const db = await openMigratedStore(config).catch((error: unknown) => { throw storeError(config, error); });
        try {
          const counts = await exportRows(db, file, new Date());
          await file.sync();
          complete = true;
          console.log(`Exported ${formatCount(counts.users)} users, ${formatCount(counts.personal_access_tokens)} tokens, `
            + `${formatCount(counts.repositories)} repositories and ${formatCount(counts.email_verifications)} pending email verifications to ${options.out}. `
            + `Web sessions are not exported. Copy ${config.dataDir}/repositories as well (git data).`);
        } finally {
          await db.destroy();
        }
      } finally {
        await file.close();
        // A half-written export must not be mistaken for a whole one.
        if (!complete) await rm(options.out, { force: true });
      }
    });
}
