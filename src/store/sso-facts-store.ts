/**
 * What single sign-on decisions read, in one query each: an organization's SAML settings with the user's linked
 * identity and the token's authorization for it (left-joined, so a missing identity or authorization is a null).
 */
import { sql } from 'kysely';
import type { Db } from './database.ts';

export interface SsoFactsRow {
  organization_id: number;
  enforced: number;
  identity_id: number | null;
  session_expires_at: string | null;
  authorization_id: number | null;
}

/** For each of these organizations that uses SAML: the facts for this user and token (token id 0 for none). */
export async function listSsoFacts(db: Db, organizationIds: readonly number[], userId: number, tokenId: number): Promise<SsoFactsRow[]> {
  if (organizationIds.length === 0) return [];
  return db.selectFrom('organization_saml_settings as s')
    .leftJoin('organization_saml_identities as i', (join) => join.onRef('i.organization_id', '=', 's.id').on('i.user_id', '=', userId))
    .leftJoin('credential_authorizations as a', (join) => join.onRef('a.organization_id', '=', 's.id').on('a.token_id', '=', tokenId))
    .select(['s.id as organization_id', 's.enforced', 'i.id as identity_id', 'i.session_expires_at', sql<number | null>`a.id`.as('authorization_id')])
    .where('s.id', 'in', [...new Set(organizationIds)])
    .execute();
}

/** The organizations that use SAML of which the user is a member, by login, with their IdP's sign-on URL. */
export async function listSamlOrganizationsOfMember(db: Db, userId: number) {
  return db.selectFrom('organization_memberships as m')
    .innerJoin('organization_saml_settings as s', 's.id', 'm.organization_id')
    .innerJoin('owners as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.login', 's.enforced', 's.idp_sso_url'])
    .where('m.user_id', '=', userId).orderBy('o.login_key').execute();
}
