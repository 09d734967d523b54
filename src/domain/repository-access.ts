/**
 * Loads what authorization.ts decides on: an owner, a repository, and the principal's standing with the owner. The
 * result is the repository the principal may act on, or the refusal; a repository the principal may not learn of is
 * refused exactly like one that does not exist.
 */
import type { OwnerRow, RepositoryRow } from '../store/database.ts';
import { findMembershipRole } from '../store/membership-store.ts';
import { findOwnerById, findOwnerByLogin } from '../store/owner-store.ts';
import { findRepository, findRepositoryById, listRepositoriesOfOwner } from '../store/repository-store.ts';
import { authorizeRepository, NO_STANDING, type Refusal, type RepositoryAction, type Standing } from './authorization.ts';
import type { Deps } from './deps.ts';
import type { Principal } from './principal.ts';
import { loadSsoStanding } from './sso/sso-standing.ts';

export interface LocatedRepository {
  owner: OwnerRow;
  repository: RepositoryRow;
}

export type RepositoryAccess =
  | ({ ok: true; standing: Standing } & LocatedRepository)
  /** `located` is set when the principal may know the repository exists (a missing scope, a forbidden action). */
  | ({ ok: false; located?: LocatedRepository } & Refusal);

/**
 * The principal's relation to an owner: the user itself, or its role in an organization with what the
 * organization's SAML single sign-on says of this credential.
 */
export async function loadStanding(deps: Deps, principal: Principal, owner: OwnerRow): Promise<Standing> {
  if (principal.kind !== 'token' && principal.kind !== 'session') return NO_STANDING;
  if (owner.kind === 'user') return principal.user.id === owner.id ? { relation: 'self' } : NO_STANDING;
  const role = await findMembershipRole(deps.db, owner.id, principal.user.id);
  if (!role) return NO_STANDING;
  const sso = await loadSsoStanding(deps, principal, owner);
  return sso ? { relation: role, sso } : { relation: role };
}

async function decide(deps: Deps, principal: Principal, action: RepositoryAction, located: LocatedRepository): Promise<RepositoryAccess> {
  const standing = await loadStanding(deps, principal, located.owner);
  const decision = authorizeRepository(principal, action, { repository: located.repository, standing });
  if (decision.ok) return { ok: true, standing, ...located };
  return decision.code === 'not_found' ? decision : { ...decision, located };
}

/** OWNER/NAME (any letter case) for this action. */
export async function findRepositoryFor(
  deps: Deps,
  principal: Principal,
  action: RepositoryAction,
  ownerLogin: string,
  repositoryName: string,
): Promise<RepositoryAccess> {
  const owner = await findOwnerByLogin(deps.db, ownerLogin);
  const repository = owner && (await findRepository(deps.db, owner.id, repositoryName));
  if (!owner || !repository) return { ok: false, code: 'not_found' };
  return decide(deps, principal, action, { owner, repository });
}

export async function findRepositoryByIdFor(deps: Deps, principal: Principal, action: RepositoryAction, id: number): Promise<RepositoryAccess> {
  const repository = await findRepositoryById(deps.db, id);
  const owner = repository?.state === 'ready' ? await findOwnerById(deps.db, repository.owner_id) : undefined;
  if (!repository || !owner) return { ok: false, code: 'not_found' };
  return decide(deps, principal, action, { owner, repository });
}

/** The owner's repositories the principal may read: private ones only where it may read them. */
export async function listRepositoriesFor(deps: Deps, principal: Principal, owner: OwnerRow): Promise<RepositoryRow[]> {
  const standing = await loadStanding(deps, principal, owner);
  const includePrivate = authorizeRepository(principal, 'read', { repository: { private: 1 }, standing }).ok;
  return listRepositoriesOfOwner(deps.db, owner.id, { includePrivate });
}
