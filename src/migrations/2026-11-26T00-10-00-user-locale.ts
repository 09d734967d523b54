import type { Kysely } from 'kysely';

/**
 * The language a user chose for pages and mail (`en`, `ru`); null follows the browser's Accept-Language, then the
 * instance default (TESSERA_DEFAULT_LOCALE).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('locale', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('locale').execute();
}
