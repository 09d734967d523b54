import type { Kysely } from 'kysely';

/**
 * The organization a security event is about (a membership added, changed or removed; a token authorized for its
 * single sign-on): its owner id, and its login as it was then, so the log still names it after a rename or deletion
 * (no foreign key, as with token_id and token_note).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('security_events').addColumn('organization_id', 'integer').execute();
  await db.schema.alterTable('security_events').addColumn('organization_login', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('security_events').dropColumn('organization_login').execute();
  await db.schema.alterTable('security_events').dropColumn('organization_id').execute();
}
