/** What the token list's "Configure SSO" shows: the user's organizations that use SAML, and which tokens each has authorized. */
import type { UserRow } from '../../store/database.ts';
import type { Deps } from '../deps.ts';

export interface SamlOrganizationOfUser {
  id: number;
  login: string;
  enforced: boolean;
  /** Its IdP's sign-on URL (authorizing may go through it). */
  idpSsoUrl: string;
  /** Ids of the user's tokens authorized for it. */
  authorizedTokenIds: Set<number>;
}

export async function listSamlOrganizationsOfUser(deps: Deps, user: UserRow): Promise<SamlOrganizationOfUser[]> {
  const organizations = await deps.db.selectFrom('organization_memberships as m')
    .innerJoin('organization_saml_settings as s', 's.id', 'm.organization_id')
    .innerJoin('owners as o', 'o.id', 'm.organization_id')
    .select(['o.id', 'o.login', 's.enforced', 's.idp_sso_url'])
    .where('m.user_id', '=', user.id).orderBy('o.login_key').execute();
  if (organizations.length === 0) return [];
  const authorizations = await deps.db.selectFrom('credential_authorizations as a')
    .innerJoin('personal_access_tokens as t', 't.id', 'a.token_id')
    .select(['a.organization_id', 'a.token_id'])
    .where('t.user_id', '=', user.id).execute();
  return organizations.map((organization) => ({
    id: organization.id,
    login: organization.login,
    enforced: organization.enforced === 1,
    idpSsoUrl: organization.idp_sso_url,
    authorizedTokenIds: new Set(authorizations.filter((row) => row.organization_id === organization.id).map((row) => row.token_id)),
  }));
}
