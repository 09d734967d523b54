import type { Command } from 'commander';
import { connectStore } from '../../store/connect.ts';
import { migrateToLatest } from '../../store/migrate.ts';
import { configFrom, DATA_OPTION, type DataOptions, storeError } from '../store-session.ts';

export function registerMigrateCommand(program: Command): void {
  program.command('migrate')
    .description('Bring the store\'s schema up to date')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions) => {
      const config = configFrom(options);
      const db = connectStore(config);
      try {
        const applied = await migrateToLatest(db).catch((error: unknown) => { throw storeError(config, error); });
        console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : 'The store is up to date.');
      } finally {
        await db.destroy();
      }
    });
}
