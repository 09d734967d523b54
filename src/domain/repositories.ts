/**
 * Repositories as records (owner, name, visibility) and who may do what with them. Access depends on the actor
 * alone (user and granted scopes), never on how a token was presented (GHSA-cc8w-r4qh-3v65). Creating one needs a
 * verified email address and stays within a quota and a rate an hour; making and removing the record with its git
 * data is crash-safe (repository-lifecycle.ts).
 */
import { isEmailVerified } from './accounts.ts';
import { DEFAULT_REPOSITORY_LIMITS, type Deps, type FieldErrors } from './deps.ts';
import { checkDisplayText, unsafeTextError } from './display-text.ts';
import { createRepositoryRecordAndFiles, deleteRepositoryRecordAndFiles } from './repository-lifecycle.ts';
import { ALL_SCOPES, hasScope, type Scope } from './scopes.ts';
import type { RepositoryRow, UserRow } from '../store/database.ts';
import { countRepositoriesOfOwner, findRepository, listRepositoriesOfOwner } from '../store/repository-store.ts';
import { findUserByUsername } from '../store/user-store.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';

/** Who is acting: a user and the scopes they act with. A browser session acts with every scope. */
export interface Actor {
  user: UserRow;
  scopes: readonly Scope[];
}

export function sessionActor(user: UserRow): Actor {
  return { user, scopes: ALL_SCOPES };
}

const REPOSITORY_NAME_PATTERN = /^[A-Za-z0-9._-]{1,100}$/;

export function validateRepositoryName(name: string): string | undefined {
  if (!REPOSITORY_NAME_PATTERN.test(name)) {
    return 'Repository name may only contain letters, digits, ".", "-" and "_", and is at most 100 characters.';
  }
  if (name === '.' || name === '..' || name.toLowerCase().endsWith('.git')) {
    return `Repository name "${name}" is reserved.`;
  }
  return undefined;
}

/** The scope that writing to (or creating) a repository of this visibility needs. */
export function scopeToWrite(repository: { private: boolean }): Scope {
  return repository.private ? 'repo' : 'public_repo';
}

export function canReadRepository(actor: Actor | undefined, repository: RepositoryRow): boolean {
  if (!repository.private) return true;
  return actor !== undefined && actor.user.id === repository.owner_id && hasScope(actor.scopes, 'repo');
}

export function isRepositoryOwner(actor: Actor | undefined, repository: RepositoryRow): boolean {
  return actor !== undefined && actor.user.id === repository.owner_id;
}

export function canWriteRepository(actor: Actor | undefined, repository: RepositoryRow): boolean {
  return isRepositoryOwner(actor, repository) && hasScope(actor!.scopes, scopeToWrite({ private: repository.private === 1 }));
}

export interface CreateRepositoryInput {
  name: string;
  private: boolean;
  description?: string | null;
}

export type CreateRepositoryResult =
  | { ok: true; repository: RepositoryRow }
  | { ok: false; code: 'invalid'; errors: FieldErrors }
  /** Only an owner with a verified email address may create repositories (spam and abuse). */
  | { ok: false; code: 'email_unverified' }
  | { ok: false; code: 'quota_exceeded'; quota: number }
  | { ok: false; code: 'rate_limited'; limit: number; resetAt: Date };

export async function createRepository(deps: Deps, owner: UserRow, input: CreateRepositoryInput): Promise<CreateRepositoryResult> {
  const nameError = validateRepositoryName(input.name);
  if (nameError) return { ok: false, code: 'invalid', errors: { name: nameError } };
  const description = input.description ? checkDisplayText(input.description) : { ok: true as const };
  if (!description.ok) return { ok: false, code: 'invalid', errors: { description: unsafeTextError('Description', description.code) } };
  if (!isEmailVerified(owner)) return { ok: false, code: 'email_unverified' };
  const limits = deps.repositoryLimits ?? DEFAULT_REPOSITORY_LIMITS;
  if (limits.quota > 0 && (await countRepositoriesOfOwner(deps.db, owner.id)) >= limits.quota) {
    return { ok: false, code: 'quota_exceeded', quota: limits.quota };
  }
  const now = deps.clock.now();
  const rate = await deps.shared.rateLimiter.consume(`repository-create:${owner.id}`, limits.creationsPerHour, now);
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
    if (isUniqueViolation(error)) return { ok: false, code: 'invalid', errors: { name: 'name already exists on this account' } };
    throw error;
  }
}

export interface LocatedRepository {
  owner: UserRow;
  repository: RepositoryRow;
}

/** Finds OWNER/NAME if the actor may read it; a private repository it may not read is reported as absent. */
export async function findReadableRepository(
  deps: Deps,
  actor: Actor | undefined,
  ownerName: string,
  repositoryName: string,
): Promise<LocatedRepository | undefined> {
  const owner = await findUserByUsername(deps.db, ownerName);
  if (!owner) return undefined;
  const repository = await findRepository(deps.db, owner.id, repositoryName);
  if (!repository || !canReadRepository(actor, repository)) return undefined;
  return { owner, repository };
}

export async function listRepositoriesOf(deps: Deps, actor: Actor | undefined, owner: UserRow): Promise<RepositoryRow[]> {
  const includePrivate = actor !== undefined && actor.user.id === owner.id && hasScope(actor.scopes, 'repo');
  return listRepositoriesOfOwner(deps.db, owner.id, { includePrivate });
}

export function deleteRepository(deps: Deps, repository: RepositoryRow): Promise<void> {
  return deleteRepositoryRecordAndFiles(deps, repository);
}
