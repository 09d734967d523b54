import { access, constants } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { Config } from '../../config/config.ts';
import { repositoriesRootOf } from '../../git/repository-files.ts';
import { openMigratedStore } from '../../runtime.ts';
import { CliError } from '../cli-error.ts';
import { configFrom, DATA_OPTION, type DataOptions, storeError } from '../store-session.ts';
import { importRows, NonEmptyTargetError, readExportHeader } from '../transfer/import-rows.ts';
import { formatCount, tableLabel } from '../transfer/progress.ts';
import { placeRepositoryFolders } from '../transfer/repository-folders.ts';

const HELP_AFTER = `
The target is the store every command uses: PostgreSQL when TESSERA_DATABASE_URL is set, otherwise SQLite in
--data. It is migrated first and must be empty. Ids are kept, so the git repositories, stored as
<data>/repositories/<owner id>/<repository id>.git, keep matching their records: copy them with the file, either
  cp -a OLD_DATA/repositories NEW_DATA/          (or rsync -a), before or after the import, or
  --repositories-from OLD_DATA/repositories      to let the import copy those it does not find in --data.
Keeping the same --data folder (only TESSERA_DATABASE_URL changes) needs no copy. Web sessions are not moved:
everyone signs in to the web pages again; passwords and tokens keep working.
`;

function describeTarget(config: Config): string {
  return config.databaseUrl ? 'the PostgreSQL database named by TESSERA_DATABASE_URL' : `the SQLite store in ${config.dataDir}`;
}

function nonEmptyMessage(config: Config, counts: Record<string, number>): string {
  const held = Object.entries(counts).filter(([, count]) => count > 0).map(([table, count]) => `${formatCount(count)} ${tableLabel(table)}`).join(', ');
  return `The target, ${describeTarget(config)}, is not empty (${held}); nothing was imported. Import only into a new store: `
    + 'point TESSERA_DATABASE_URL at a new, empty database (createdb tessera_new) or --data at a new folder, and run tessera import again.';
}

export function registerImportCommand(program: Command): void {
  program.command('import')
    .description('Fill a new, empty store from a file written by tessera export')
    .requiredOption('--in <file>', 'file written by tessera export')
    .option('--repositories-from <dir>', 'old repositories folder (OLD_DATA/repositories) to copy the git repositories from')
    .option(...DATA_OPTION)
    .addHelpText('after', HELP_AFTER)
    .action(async (options: DataOptions & { in: string; repositoriesFrom?: string }) => {
      const config = configFrom(options);
      const fail = (error: unknown): never => {
        throw new CliError(`Cannot import ${options.in}: ${(error as Error).message}. Nothing was imported.`);
      };
      await access(options.in, constants.R_OK).catch(() => { throw new CliError(`Cannot read ${options.in}: give the file tessera export wrote with --in.`); });
      if (options.repositoriesFrom !== undefined) {
        await access(options.repositoriesFrom).catch(() => { throw new CliError(`No folder ${options.repositoriesFrom}: --repositories-from takes the old data folder's repositories folder.`); });
      }
      // A file that is not an export is refused before the target is migrated or touched.
      await readExportHeader(options.in).catch(fail);

      const db = await openMigratedStore(config).catch((error: unknown) => { throw storeError(config, error); });
      try {
        const counts = await importRows(db, options.in).catch((error: unknown) => {
          if (error instanceof NonEmptyTargetError) throw new CliError(nonEmptyMessage(config, error.counts));
          return fail(error);
        });
        const root = repositoriesRootOf(config.dataDir);
        const from = options.repositoriesFrom === undefined ? undefined : resolve(options.repositoriesFrom);
        const folders = await placeRepositoryFolders(db, root, from, counts.repositories).catch((error: unknown) => {
          throw new CliError(`Imported the records, but copying the git repositories into ${root} failed (${(error as Error).message}). `
            + `Copy them by hand: cp -a ${from ?? 'OLD_DATA/repositories'}/. ${root}/`);
        });
        console.log(`Imported ${formatCount(counts.users)} users, ${formatCount(counts.personal_access_tokens)} tokens, `
          + `${formatCount(counts.repositories)} repositories and ${formatCount(counts.email_verifications)} pending email verifications into ${describeTarget(config)}.`
          + (folders.copied > 0 ? ` Copied ${formatCount(folders.copied)} git repositories into ${root}.` : ''));
        if (folders.missing.length > 0) {
          console.error(`${formatCount(folders.missing.length)} repositories have no git data in ${root} (first: ${folders.missing[0]}). `
            + `Copy them from the old install: cp -a OLD_DATA/repositories/. ${root}/ (or rsync -a): a repository without them cannot be cloned.`);
        }
      } finally {
        await db.destroy();
      }
    });
}
