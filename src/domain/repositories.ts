/**
 * Repositories as records (owner, name, visibility): creating and deleting them. Who may do what with one is
 * decided in authorization.ts, on what repository-access.ts loads. Creating one needs a verified email address and
 * stays within a quota and a rate an hour; making and removing the record with its git data is crash-safe
 * (repository-lifecycle.ts).
 */
import { isEmailVerified } from './accounts.ts';
import { DEFAULT_REPOSITORY_LIMITS, type Deps } from './deps.ts';
import { checkDisplayText, type UnsafeTextCode } from './display-text.ts';
import { createRepositoryRecordAndFiles, deleteRepositoryRecordAndFiles } from './repository-lifecycle.ts';
import { authorizeRepositoryCreation, type Refusal } from './authorization.ts';
import { type Principal, sessionPrincipal, userOf } from './principal.ts';
import { loadStanding } from './repository-access.ts';
import type { OwnerRow, RepositoryRow, UserRow } from '../store/database.ts';
import { countRepositoriesOfOwner } from '../store/repository-store.ts';
import { findUserById } from '../store/user-store.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';

const REPOSITORY_NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

/** Why a name cannot be a repository's: not letters, digits, ".", "-" and "_" (at most 100), or a name Git keeps. */
export type RepositoryNameProblem = 'invalid' | 'reserved';

export function repositoryNameProblem(name: string): RepositoryNameProblem | undefined {
  if (!REPOSITORY_NAME_PATTERN.test(name)) return 'invalid';
  if (name === '.' || name === '..' || name.toLowerCase().endsWith('.git')) return 'reserved';
  return undefined;
}

/** What is wrong with a field of a new repository, for edges that word it themselves (the site's pages, in any language). */
export type RepositoryInputProblem =
  | { field: 'name'; problem: RepositoryNameProblem | 'taken'; name: string }
  | { field: 'description'; problem: UnsafeTextCode };

export interface CreateRepositoryInput {
  name: string;
  private: boolean;
  description?: string | null;
}

export type CreateRepositoryResult =
  | { ok: true; repository: RepositoryRow }
  | ({ ok: false } & Refusal)
  | { ok: false; code: 'invalid'; problem: RepositoryInputProblem }
  /** Only an owner with a verified email address may create repositories (spam and abuse). */
  | { ok: false; code: 'email_unverified' }
  | { ok: false; code: 'quota_exceeded'; quota: number }
  | { ok: false; code: 'rate_limited'; limit: number; resetAt: Date };

/** The owner row of a user (a user's owner id is its user id). */
export function ownerOfUser(user: UserRow): OwnerRow {
  return { id: user.id, login: user.username, login_key: user.username_key, kind: 'user', created_at: user.created_at };
}

/**
 * A repository of `owner` made by `principal`: the user itself, a member of the organization, or the site
 * administrator for anyone. The user who creates it (the owner, for the site administrator) needs a verified email;
 * the site administrator creating one for an organization needs none.
 */
export async function createRepository(
  deps: Deps,
  principal: Principal,
  owner: OwnerRow,
  input: CreateRepositoryInput,
): Promise<CreateRepositoryResult> {
  const decision = authorizeRepositoryCreation(principal, await loadStanding(deps, principal, owner), { private: input.private });
  if (!decision.ok) return decision;
  const nameProblem = repositoryNameProblem(input.name);
  if (nameProblem) return { ok: false, code: 'invalid', problem: { field: 'name', problem: nameProblem, name: input.name } };
  const description = input.description ? checkDisplayText(input.description) : { ok: true as const };
  if (!description.ok) {
    return { ok: false, code: 'invalid', problem: { field: 'description', problem: description.code } };
  }
  const creator = userOf(principal) ?? (owner.kind === 'user' ? await findUserById(deps.db, owner.id) : undefined);
  // The site administrator making one for an organization acts for no user: there is no address to have verified.
  const forOrganizationByAdmin = principal.kind === 'site_admin' && owner.kind === 'organization';
  if (!forOrganizationByAdmin && (!creator || !isEmailVerified(creator))) return { ok: false, code: 'email_unverified' };
  const limits = deps.repositoryLimits ?? DEFAULT_REPOSITORY_LIMITS;
  if (limits.quota > 0 && (await countRepositoriesOfOwner(deps.db, owner.id)) >= limits.quota) {
    return { ok: false, code: 'quota_exceeded', quota: limits.quota };
  }
  const now = deps.clock.now();
  const rate = await deps.shared.rateLimiter.consume(`repository-create:${creator?.id ?? `owner-${owner.id}`}`, limits.creationsPerHour, now);
  if (rate.exceeded) return { ok: false, code: 'rate_limited', limit: rate.limit, resetAt: rate.resetAt };
  try {
    const repository = await createRepositoryRecordAndFiles(deps, {
      owner_id: owner.id,
      name: input.name,
      name_key: input.name.toLowerCase(),
      description: input.description ?? null,
      private: input.private ? 1 : 0,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    });
    return { ok: true, repository };
  } catch (error) {
    if (isUniqueViolation(error)) {
      return { ok: false, code: 'invalid', problem: { field: 'name', problem: 'taken', name: input.name } };
    }
    throw error;
  }
}

export function deleteRepository(deps: Deps, repository: RepositoryRow): Promise<void> {
  return deleteRepositoryRecordAndFiles(deps, repository);
}

/** A signed-in user creating a repository on their own account (the site's form; tests and benchmarks). */
export function createOwnRepository(deps: Deps, user: UserRow, input: CreateRepositoryInput): Promise<CreateRepositoryResult> {
  return createRepository(deps, sessionPrincipal(user), ownerOfUser(user), input);
}
