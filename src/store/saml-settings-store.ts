import type { Db, OrganizationSamlSettingsRow } from './database.ts';

export async function findSamlSettings(db: Db, organizationId: number): Promise<OrganizationSamlSettingsRow | undefined> {
  return db.selectFrom('organization_saml_settings').selectAll().where('id', '=', organizationId).executeTakeFirst();
}

/** Inserts or replaces the IdP settings; `tested_at` and `enforced` are cleared when the IdP changed. */
export async function upsertSamlSettings(
  db: Db,
  settings: { id: number; idp_entity_id: string; idp_sso_url: string; idp_certificates: string; at: string },
): Promise<void> {
  const { at, ...idp } = settings;
  await db.insertInto('organization_saml_settings')
    .values({ ...idp, enforced: 0, tested_at: null, created_at: at, updated_at: at })
    .onConflict((conflict) => conflict.column('id').doUpdateSet({ ...idp, tested_at: null, enforced: 0, updated_at: at }))
    .execute();
}

export async function updateSamlSettings(
  db: Db, organizationId: number, changes: { enforced?: number; tested_at?: string | null; updated_at: string },
): Promise<void> {
  await db.updateTable('organization_saml_settings').set(changes).where('id', '=', organizationId).execute();
}

export async function deleteSamlSettings(db: Db, organizationId: number): Promise<boolean> {
  const result = await db.deleteFrom('organization_saml_settings').where('id', '=', organizationId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
