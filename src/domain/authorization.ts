/**
 * What a principal may do: the one place that decides, for the API, Git, web pages, GraphQL and the CLI alike.
 * Each function is pure and answers a Decision: allowed, or refused with a code the edges translate (the API into
 * GitHub's statuses and messages, Git into `remote:` lines, pages into their own sentences). Nothing here depends on
 * how a token was presented (GHSA-cc8w-r4qh-3v65), and nothing here is an HTTP status or an English sentence.
 *
 * Facts that need the store (the principal's standing with an owner) are loaded before, by repository-access.ts.
 */
import type { OrganizationRole, RepositoryRow } from '../store/database.ts';
import type { Principal } from './principal.ts';
import { hasScope, scopesGranting, type Scope } from './scopes.ts';

export type Refusal =
  /** Nothing was presented and the action needs a user. */
  | { code: 'authentication_required' }
  /** The resource does not exist, or the principal may not learn that it does. */
  | { code: 'not_found' }
  /** The principal may know of the resource but lacks the rights (not its owner, not a member). */
  | { code: 'forbidden' }
  /** A token that lacks a scope: `scope` is the least that would do, `acceptedScopes` every scope that grants it. */
  | { code: 'missing_scope'; scope: Scope; acceptedScopes: Scope[] }
  /**
   * The organization uses SAML single sign-on: a token must be authorized for it, a browser must have signed in
   * through its identity provider (src/domain/sso/).
   */
  | { code: 'sso_required'; organization: SsoOrganization };

export type Decision = { ok: true } | ({ ok: false } & Refusal);

export const ALLOWED: Decision = Object.freeze({ ok: true });

/** The principal's relation to an owner: the owner itself, an organization's admin (owner) or member, or none. */
export type Relation = 'self' | OrganizationRole | 'none';

/** An organization as a refusal names it. */
export interface SsoOrganization {
  id: number;
  login: string;
}

/**
 * What SAML single sign-on says about a member and an organization that uses it (loaded by src/domain/sso/sso-standing.ts).
 * For a token: `required` when the organization enforces SAML or the user has linked an identity (GitHub's rule: from
 * then on only authorized tokens reach it, enforced or not), `satisfied` when the token is authorized for it. For a
 * browser session: `required` when enforced, `satisfied` while the member's SAML session for it lasts.
 */
export interface SsoStanding {
  organization: SsoOrganization;
  required: boolean;
  satisfied: boolean;
}

export interface Standing {
  relation: Relation;
  /** Set for a member of an organization that uses SAML. */
  sso?: SsoStanding | undefined;
}

export const NO_STANDING: Standing = Object.freeze({ relation: 'none' });

export function missingScope(scope: Scope): Decision {
  return { ok: false, code: 'missing_scope', scope, acceptedScopes: scopesGranting(scope) };
}

/** Tokens act with their scopes; sessions and the site administrator with every scope. */
function lacksScope(principal: Principal, scope: Scope): boolean {
  return principal.kind === 'token' && !hasScope(principal.scopes, scope);
}

/** What an API route declares it needs before its handler runs. */
export interface RouteRequirement {
  requiresAuthentication?: boolean | undefined;
  requiredScope?: Scope | undefined;
}

export function authorizeRoute(principal: Principal, requirement: RouteRequirement): Decision {
  if (principal.kind === 'anonymous') return requirement.requiresAuthentication ? { ok: false, code: 'authentication_required' } : ALLOWED;
  if (requirement.requiredScope && lacksScope(principal, requirement.requiredScope)) return missingScope(requirement.requiredScope);
  return ALLOWED;
}

export type RepositoryAction = 'read' | 'write' | 'administer' | 'delete';

export interface RepositoryResource {
  repository: Pick<RepositoryRow, 'private'>;
  standing: Standing;
}

/** The scope that writing to (or creating) a repository of this visibility needs. */
export function scopeToWrite(repository: { private: boolean }): Scope {
  return repository.private ? 'repo' : 'public_repo';
}

const isAdministrator = (standing: Standing) => standing.relation === 'self' || standing.relation === 'admin';

/** The refusal when the organization's single sign-on is not satisfied by this principal; undefined otherwise. */
export function ssoRefusal(principal: Principal, standing: Standing): Decision | undefined {
  const sso = standing.sso;
  if (!sso || !sso.required || sso.satisfied) return undefined;
  if (principal.kind !== 'token' && principal.kind !== 'session') return undefined;
  return { ok: false, code: 'sso_required', organization: sso.organization };
}

export function authorizeRepository(principal: Principal, action: RepositoryAction, resource: RepositoryResource): Decision {
  const { repository, standing } = resource;
  if (principal.kind === 'site_admin') return ALLOWED;
  const isPrivate = repository.private === 1;
  if (isPrivate) {
    // A private repository is unknown to whoever has no relation to its owner.
    if (principal.kind === 'anonymous' || standing.relation === 'none') return { ok: false, code: 'not_found' };
    // Before the scope: whatever the token's scopes, the organization must first let this credential in.
    const sso = ssoRefusal(principal, standing);
    if (sso) return sso;
    if (lacksScope(principal, 'repo')) return missingScope('repo');
  }
  // Public resources of an organization stay readable to any credential; changing them is the organization's business.
  if (action === 'read') return ALLOWED;
  if (principal.kind === 'anonymous') return { ok: false, code: 'authentication_required' };
  const sso = ssoRefusal(principal, standing);
  if (sso) return sso;
  switch (action) {
    case 'write':
      if (standing.relation === 'none') return { ok: false, code: 'forbidden' };
      return lacksScope(principal, scopeToWrite({ private: isPrivate })) ? missingScope(scopeToWrite({ private: isPrivate })) : ALLOWED;
    case 'administer':
      return isAdministrator(standing) ? ALLOWED : { ok: false, code: 'forbidden' };
    case 'delete':
      if (!isAdministrator(standing)) return { ok: false, code: 'forbidden' };
      return lacksScope(principal, 'delete_repo') ? missingScope('delete_repo') : ALLOWED;
  }
}

/**
 * The rights GitHub's `permissions` field reports on a repository: those of the principal's standing with its
 * owner (the user or an organization's owner administers; any member pushes), whatever its token's scopes.
 */
export function repositoryRights(principal: Principal, standing: Standing): { admin: boolean; push: boolean } {
  if (principal.kind === 'site_admin') return { admin: true, push: true };
  return { admin: isAdministrator(standing), push: standing.relation !== 'none' };
}

/** Creating a repository for an owner: the user itself, or any member of an organization (GitHub's default). */
export function authorizeRepositoryCreation(principal: Principal, standing: Standing, visibility: { private: boolean }): Decision {
  if (principal.kind === 'site_admin') return ALLOWED;
  if (principal.kind === 'anonymous') return { ok: false, code: 'authentication_required' };
  if (standing.relation === 'none') return { ok: false, code: 'forbidden' };
  const sso = ssoRefusal(principal, standing);
  if (sso) return sso;
  const scope = scopeToWrite(visibility);
  return lacksScope(principal, scope) ? missingScope(scope) : ALLOWED;
}

/**
 * What may be done with an organization, beyond its repositories:
 * - read_members: see every member and membership, concealed ones too (members; `read:org` for a token);
 * - manage_members: add members, change roles, remove members (owners; `write:org`, GitHub's "Read and write org
 *   and team membership");
 * - manage_own_membership: leave, or show or conceal one's own membership (members; `write:org`);
 * - read_credential_authorizations: the tokens members authorized for its SAML single sign-on (owners; `read:org`);
 * - administer: the organization's settings (owners; `admin:org`).
 * Anyone may see the organization itself and its public members, so there is no action for that. A token must be
 * authorized for an organization that uses SAML (sso_required); a browser is not asked for a SAML session here, so that
 * owners can still repair a broken identity provider (the organization's pages ask for one: sso-page-gate.ts).
 */
export type OrganizationAction = 'read_members' | 'read_credential_authorizations' | 'manage_members' | 'manage_own_membership' | 'administer';

const ORGANIZATION_ACTIONS: Record<OrganizationAction, { ownersOnly: boolean; scope: Scope }> = {
  read_members: { ownersOnly: false, scope: 'read:org' },
  read_credential_authorizations: { ownersOnly: true, scope: 'read:org' },
  manage_members: { ownersOnly: true, scope: 'write:org' },
  manage_own_membership: { ownersOnly: false, scope: 'write:org' },
  administer: { ownersOnly: true, scope: 'admin:org' },
};

export function authorizeOrganization(principal: Principal, action: OrganizationAction, standing: Standing): Decision {
  if (principal.kind === 'site_admin') return ALLOWED;
  if (principal.kind === 'anonymous') return { ok: false, code: 'authentication_required' };
  const { ownersOnly, scope } = ORGANIZATION_ACTIONS[action];
  if (standing.relation === 'none' || (ownersOnly && standing.relation !== 'admin')) return { ok: false, code: 'forbidden' };
  if (principal.kind === 'token') {
    const sso = ssoRefusal(principal, standing);
    if (sso) return sso;
  }
  return lacksScope(principal, scope) ? missingScope(scope) : ALLOWED;
}

/** Seeing every organization a user belongs to, concealed memberships too: the user themselves, with `read:org`. */
export function authorizeOwnMemberships(principal: Principal, user: { id: number }): Decision {
  if (principal.kind === 'site_admin') return ALLOWED;
  if (principal.kind === 'anonymous') return { ok: false, code: 'authentication_required' };
  if (principal.user.id !== user.id) return { ok: false, code: 'forbidden' };
  return lacksScope(principal, 'read:org') ? missingScope('read:org') : ALLOWED;
}

/**
 * Creating an organization: any signed-in user on the site's form, for themselves (its first owner); with a token,
 * only a site administrator (GitHub Enterprise Server's `POST /admin/organizations`, `admin:org`), for any user. To
 * anyone else the token endpoint does not exist, as GitHub answers normal users.
 */
export function authorizeOrganizationCreation(
  principal: Principal,
  facts: { siteAdministrator: boolean; forSelf: boolean },
): Decision {
  switch (principal.kind) {
    case 'site_admin':
      return ALLOWED;
    case 'anonymous':
      return { ok: false, code: 'authentication_required' };
    case 'session':
      return facts.siteAdministrator || facts.forSelf ? ALLOWED : { ok: false, code: 'forbidden' };
    case 'token':
      if (!facts.siteAdministrator) return { ok: false, code: 'not_found' };
      return lacksScope(principal, 'admin:org') ? missingScope('admin:org') : ALLOWED;
  }
}
