/**
 * The SAML facts authorization.ts decides on, loaded for a member of an organization in one query: does the
 * organization use SAML and enforce it, has the user linked an identity and is its SAML session running, and is the
 * token authorized for the organization. Only members get here (loadStanding): for anyone else an organization's
 * private resources are unknown and its public ones open, SAML or not.
 */
import { sql } from 'kysely';
import type { OwnerRow } from '../../store/database.ts';
import type { SsoStanding } from '../authorization.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../principal.ts';

/** Whether this edition lets organizations require each token to be authorized for them (src/domain/editions.ts). */
export function isTokenAuthorizationRequired(deps: Deps): boolean {
  const edition = (deps.config as { edition?: { samlTokenAuthorization?: boolean } }).edition;
  return edition?.samlTokenAuthorization ?? true;
}

export function isSamlSessionActive(identity: { session_expires_at: string | null } | undefined, now: Date): boolean {
  return identity?.session_expires_at != null && new Date(identity.session_expires_at).getTime() > now.getTime();
}

export async function loadSsoStanding(deps: Deps, principal: Principal, organization: OwnerRow): Promise<SsoStanding | undefined> {
  if (principal.kind !== 'token' && principal.kind !== 'session') return undefined;
  const tokenId = principal.kind === 'token' ? principal.token.id : 0;
  const row = await deps.db.selectFrom('organization_saml_settings as s')
    .leftJoin('organization_saml_identities as i', (join) => join.onRef('i.organization_id', '=', 's.id').on('i.user_id', '=', principal.user.id))
    .leftJoin('credential_authorizations as a', (join) => join.onRef('a.organization_id', '=', 's.id').on('a.token_id', '=', tokenId))
    .select(['s.enforced', 'i.id as identity_id', 'i.session_expires_at', sql<number | null>`a.id`.as('authorization_id')])
    .where('s.id', '=', organization.id)
    .executeTakeFirst();
  if (!row) return undefined;
  const org = { id: organization.id, login: organization.login };
  if (principal.kind === 'session') {
    return { organization: org, required: row.enforced === 1, satisfied: isSamlSessionActive(row, deps.clock.now()) };
  }
  const required = isTokenAuthorizationRequired(deps) && (row.enforced === 1 || row.identity_id !== null);
  return { organization: org, required, satisfied: row.authorization_id !== null };
}

/**
 * Of these organizations, those whose items a list must leave out for this principal: the organization uses SAML
 * and the token is not authorized for it where it must be (GitHub's `X-GitHub-SSO: partial-results`). One query for
 * the whole list; empty for anything but a token.
 */
export async function listSsoWithheldOrganizations(deps: Deps, principal: Principal, organizationIds: readonly number[]): Promise<Set<number>> {
  if (principal.kind !== 'token' || organizationIds.length === 0 || !isTokenAuthorizationRequired(deps)) return new Set();
  const rows = await deps.db.selectFrom('organization_saml_settings as s')
    .leftJoin('organization_saml_identities as i', (join) => join.onRef('i.organization_id', '=', 's.id').on('i.user_id', '=', principal.user.id))
    .leftJoin('credential_authorizations as a', (join) => join.onRef('a.organization_id', '=', 's.id').on('a.token_id', '=', principal.token.id))
    .select(['s.id', 's.enforced', 'i.id as identity_id', sql<number | null>`a.id`.as('authorization_id')])
    .where('s.id', 'in', [...new Set(organizationIds)])
    .execute();
  return new Set(rows.filter((row) => (row.enforced === 1 || row.identity_id !== null) && row.authorization_id === null).map((row) => row.id));
}
