/** What the token list's "Configure SSO" shows: the user's organizations that use SAML, and which tokens each has authorized. */
import type { UserRow } from '../../store/database.ts';
import { listAuthorizationsOfUser } from '../../store/credential-authorization-store.ts';
import { listSamlOrganizationsOfMember } from '../../store/sso-facts-store.ts';
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
  const organizations = await listSamlOrganizationsOfMember(deps.db, user.id);
  if (organizations.length === 0) return [];
  const authorizations = await listAuthorizationsOfUser(deps.db, user.id);
  return organizations.map((organization) => ({
    id: organization.id,
    login: organization.login,
    enforced: organization.enforced === 1,
    idpSsoUrl: organization.idp_sso_url,
    authorizedTokenIds: new Set(authorizations.filter((row) => row.organization_id === organization.id).map((row) => row.token_id)),
  }));
}
