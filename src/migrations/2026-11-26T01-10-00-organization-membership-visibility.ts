import type { Kysely } from 'kysely';

/**
 * Whether a member shows their organization membership to everyone (GitHub's "public" membership) or only to the
 * organization's other members ("concealed", GitHub's default for a new member). `GET /users/{username}/orgs` and a
 * non-member's `GET /orgs/{org}/members` list public memberships only.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organization_memberships').addColumn('public', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('organization_memberships').dropColumn('public').execute();
}
