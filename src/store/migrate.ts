import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { MIGRATIONS } from '../migrations/index.ts';

/** Brings the schema up to date; returns the names of the migrations it applied. Throws on failure. */
export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}
