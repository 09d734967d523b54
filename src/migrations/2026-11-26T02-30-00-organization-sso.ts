import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Organizations' SAML single sign-on (src/domain/sso/):
 * - organization_saml_settings: one row per organization that uses SAML (its id is the organization's id): the IdP's
 *   entity ID, sign-on URL and PEM signing certificates, whether members must sign in through it (`enforced`), and
 *   when a test sign-in last succeeded with exactly these settings (`tested_at`, cleared when they change).
 * - organization_saml_identities: a member's linked identity (the IdP's NameID, compared byte for byte) and their
 *   SAML session for the organization (`session_expires_at`). It goes with the member's membership (leaving the
 *   organization ends it) and with the settings (turning SAML off ends every link).
 * - credential_authorizations: a personal access token authorized for an organization through its owner's linked
 *   identity; it goes with the token (deleted) and with the identity (removed by an owner, or the member left).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = isPostgres ? 'serial' : 'integer';
  const idColumn = (c: ColumnDefinitionBuilder) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement());

  await db.schema.createTable('organization_saml_settings')
    .addColumn('id', 'integer', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('idp_entity_id', 'text', (c) => c.notNull())
    .addColumn('idp_sso_url', 'text', (c) => c.notNull())
    .addColumn('idp_certificates', 'text', (c) => c.notNull())
    .addColumn('enforced', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tested_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('organization_saml_identities')
    .addColumn('id', idType, idColumn)
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization_saml_settings.id').onDelete('cascade'))
    .addColumn('membership_id', 'integer', (c) => c.notNull().references('organization_memberships.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name_id', 'text', (c) => c.notNull())
    .addColumn('name_id_format', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('session_started_at', 'text')
    .addColumn('session_expires_at', 'text')
    .addUniqueConstraint('organization_saml_identities_org_user', ['organization_id', 'user_id'])
    .addUniqueConstraint('organization_saml_identities_org_name_id', ['organization_id', 'name_id'])
    .execute();
  await db.schema.createIndex('organization_saml_identities_membership').on('organization_saml_identities').column('membership_id').execute();

  await db.schema.createTable('credential_authorizations')
    .addColumn('id', idType, idColumn)
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organization_saml_settings.id').onDelete('cascade'))
    .addColumn('identity_id', 'integer', (c) => c.notNull().references('organization_saml_identities.id').onDelete('cascade'))
    .addColumn('token_id', 'integer', (c) => c.notNull().references('personal_access_tokens.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('credential_authorizations_org_token', ['organization_id', 'token_id'])
    .execute();
  await db.schema.createIndex('credential_authorizations_token').on('credential_authorizations').column('token_id').execute();
  await db.schema.createIndex('credential_authorizations_identity').on('credential_authorizations').column('identity_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('credential_authorizations').execute();
  await db.schema.dropTable('organization_saml_identities').execute();
  await db.schema.dropTable('organization_saml_settings').execute();
}
