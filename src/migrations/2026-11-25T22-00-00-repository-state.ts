import type { Kysely } from 'kysely';

/**
 * A repository record's place in its life (src/domain/repository-lifecycle.ts): `creating` until its git data is in
 * place, `ready` while it is served, `deleting` once its removal has begun. `instance` names the server process
 * that is creating it, so start-up reconciliation can tell a creation still under way from one that died.
 * Existing rows were made with their git data already in place: they are `ready`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('repositories')
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('ready'))
    .execute();
  await db.schema.alterTable('repositories').addColumn('instance', 'text').execute();
  await db.schema.createIndex('repositories_state').on('repositories').column('state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('repositories_state').execute();
  await db.schema.alterTable('repositories').dropColumn('instance').execute();
  await db.schema.alterTable('repositories').dropColumn('state').execute();
}
