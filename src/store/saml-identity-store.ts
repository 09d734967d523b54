import type { Db, OrganizationSamlIdentityRow } from './database.ts';

export async function findSamlIdentity(db: Db, organizationId: number, userId: number): Promise<OrganizationSamlIdentityRow | undefined> {
  return db.selectFrom('organization_saml_identities').selectAll()
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
}

export async function findSamlIdentityByNameId(db: Db, organizationId: number, nameId: string): Promise<OrganizationSamlIdentityRow | undefined> {
  return db.selectFrom('organization_saml_identities').selectAll()
    .where('organization_id', '=', organizationId).where('name_id', '=', nameId).executeTakeFirst();
}

export async function insertSamlIdentity(
  db: Db, identity: Omit<OrganizationSamlIdentityRow, 'id'>,
): Promise<OrganizationSamlIdentityRow> {
  return db.insertInto('organization_saml_identities').values(identity).returningAll().executeTakeFirstOrThrow();
}

export async function updateSamlSession(db: Db, identityId: number, session: { startedAt: string; expiresAt: string }): Promise<void> {
  await db.updateTable('organization_saml_identities')
    .set({ session_started_at: session.startedAt, session_expires_at: session.expiresAt })
    .where('id', '=', identityId).execute();
}

export async function deleteSamlIdentity(db: Db, organizationId: number, userId: number): Promise<OrganizationSamlIdentityRow | undefined> {
  return db.deleteFrom('organization_saml_identities')
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).returningAll().executeTakeFirst();
}

/** The organization's linked identities with their users' logins, by login. */
export async function listSamlIdentities(db: Db, organizationId: number): Promise<Array<OrganizationSamlIdentityRow & { username: string }>> {
  return db.selectFrom('organization_saml_identities as i').innerJoin('users as u', 'u.id', 'i.user_id')
    .selectAll('i').select('u.username')
    .where('i.organization_id', '=', organizationId).orderBy('u.username_key').execute();
}

