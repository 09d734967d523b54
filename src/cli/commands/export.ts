import { open, rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { openMigratedStore } from '../../runtime.ts';
import { countRows, EXPORTED_TABLES, latestAppliedMigration, readRowsInBatches } from '../../store/export-store.ts';
import { CliError } from '../cli-error.ts';
import { configFrom, DATA_OPTION, type DataOptions, storeError } from '../store-session.ts';
import { endLine, headerLine, rowLine, type TableCounts } from '../transfer/export-file.ts';
import { formatCount, startProgress } from '../transfer/progress.ts';

/** Rows read per query: large enough to be quick, small enough that memory stays flat. */
const READ_BATCH_ROWS = 1000;

const HELP_AFTER = `
Writes users (with password hashes and verification state), personal access token hashes, pending email
verifications and repository records to FILE. Web sessions are not exported: everyone signs in to the web pages
again after an import (tokens and passwords keep working). The bare git repositories are not in the file: copy
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
      const file = await open(options.out, 'wx').catch((error: NodeJS.ErrnoException) => {
        throw new CliError(error.code === 'EEXIST'
          ? `${options.out} already exists: choose another --out, or remove it first.`
          : `Cannot create ${options.out} (${error.message}): check that its folder exists and is writable.`);
      });
      let complete = false;
      try {
        const db = await openMigratedStore(config).catch((error: unknown) => { throw storeError(config, error); });
        try {
          // One read-only snapshot, so a server running meanwhile cannot add a token whose user is not in the file.
          const counts = await db.transaction().setIsolationLevel('repeatable read').setAccessMode('read only').execute(async (trx) => {
            const counts = {} as TableCounts;
            for (const table of EXPORTED_TABLES) counts[table] = await countRows(trx, table);
            await file.write(headerLine(await latestAppliedMigration(trx), new Date(), counts));
            const progress = startProgress('export', counts);
            const written = {} as TableCounts;
            for (const table of EXPORTED_TABLES) {
              written[table] = 0;
              for await (const rows of readRowsInBatches(trx, table, READ_BATCH_ROWS)) {
                await file.write(rows.map((row) => rowLine(table, row)).join(''));
                written[table] += rows.length;
                progress.advance(table, rows.length);
              }
            }
            progress.finish();
            await file.write(endLine(written));
            return written;
          });
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
