/**
 * The SAML facts authorization.ts decides on, loaded for a member of an organization in one query: does the
 * organization use SAML and enforce it, has the user linked an identity and is its SAML session running, and is the
 * token authorized for the organization. Only members get here (loadStanding): for anyone else an organization's
 * private resources are unknown and its public ones open, SAML or not.
 */
import type { OwnerRow } from '../../store/database.ts';
import { listSsoFacts, type SsoFactsRow } from '../../store/sso-facts-store.ts';
import type { SsoStanding } from '../authorization.ts';
import type { Deps } from '../deps.ts';
import type { Principal } from '../principal.ts';

/** Whether this edition lets organizations require each token to be authorized for them (src/domain/editions.ts). */
export function isTokenAuthorizationRequired(deps: Deps): boolean {
  return deps.config.edition.samlTokenAuthorization;
}

export function isSamlSessionActive(identity: { session_expires_at: string | null } | undefined, now: Date): boolean {
  return identity?.session_expires_at != null && new Date(identity.session_expires_at).getTime() > now.getTime();
}

/** GitHub's rule: a token must be authorized where SAML is enforced, or once the user has linked an identity. */
function isTokenKeptOut(deps: Deps, facts: SsoFactsRow): boolean {
  return isTokenAuthorizationRequired(deps) && (facts.enforced === 1 || facts.identity_id !== null) && facts.authorization_id === null;
}

export async function loadSsoStanding(deps: Deps, principal: Principal, organization: OwnerRow): Promise<SsoStanding | undefined> {
  if (principal.kind !== 'token' && principal.kind !== 'session') return undefined;
  const tokenId = principal.kind === 'token' ? principal.token.id : 0;
  const [facts] = await listSsoFacts(deps.db, [organization.id], principal.user.id, tokenId);
  if (!facts) return undefined;
  const org = { id: organization.id, login: organization.login };
  if (principal.kind === 'session') {
    return { organization: org, required: facts.enforced === 1, satisfied: isSamlSessionActive(facts, deps.clock.now()) };
  }
  return { organization: org, required: isTokenKeptOut(deps, { ...facts, authorization_id: null }), satisfied: facts.authorization_id !== null };
}

/**
 * Of these organizations, those whose items a list must leave out for this principal: the organization uses SAML
 * and the token is not authorized for it where it must be (GitHub's `X-GitHub-SSO: partial-results`). One query for
 * the whole list; empty for anything but a token.
 */
export async function listSsoWithheldOrganizations(deps: Deps, principal: Principal, organizationIds: readonly number[]): Promise<Set<number>> {
  if (principal.kind !== 'token' || organizationIds.length === 0) return new Set();
  const facts = await listSsoFacts(deps.db, organizationIds, principal.user.id, principal.token.id);
  return new Set(facts.filter((row) => isTokenKeptOut(deps, row)).map((row) => row.organization_id));
}
