/**
 * Who may clone, fetch and push over HTTPS, and what git is told when they may not. The decision depends on the
 * actor (user + scopes) alone, never on how the token was sent (GHSA-cc8w-r4qh-3v65). A private repository the actor
 * cannot read is reported exactly like one that does not exist; an anonymous request for either is asked for
 * credentials (401), so git prompts or asks its credential helper.
 */
import type { RepositoryRow } from '../store/database.ts';
import { findRepository } from '../store/repository-store.ts';
import { findUserByUsername } from '../store/user-store.ts';
import type { Deps } from './deps.ts';
import {
  type Actor, canReadRepository, canWriteRepository, isRepositoryOwner, scopeToWrite, validateRepositoryName,
} from './repositories.ts';

export const GIT_SERVICES = ['git-upload-pack', 'git-receive-pack'] as const;
export type GitService = (typeof GIT_SERVICES)[number];

export function isGitService(name: string): name is GitService {
  return (GIT_SERVICES as readonly string[]).includes(name);
}

export type GitAccessDecision =
  | { ok: true }
  | { ok: false; status: 401 | 403 | 404; message: string };

export interface GitTarget {
  fullName: string;
  repository: RepositoryRow;
}

/** OWNER/NAME from a git URL (the `.git` suffix is optional, as on GitHub), whoever may or may not read it. */
export async function findGitTarget(deps: Deps, ownerName: string, repositoryName: string): Promise<GitTarget | undefined> {
  const name = repositoryName.endsWith('.git') ? repositoryName.slice(0, -4) : repositoryName;
  if (validateRepositoryName(name) || ownerName.length > 39) return undefined;
  const owner = await findUserByUsername(deps.db, ownerName);
  const repository = owner && (await findRepository(deps.db, owner.id, name));
  return owner && repository ? { fullName: `${owner.username}/${repository.name}`, repository } : undefined;
}

export const GIT_AUTHENTICATION_REQUIRED = 'Authentication required: use your username and a personal access token as the password.';
export const GIT_REPOSITORY_NOT_FOUND = 'Repository not found.';

export function decideGitAccess(actor: Actor | undefined, target: GitTarget | undefined, service: GitService): GitAccessDecision {
  if (!target || !canReadRepository(actor, target.repository)) {
    if (!actor) return { ok: false, status: 401, message: GIT_AUTHENTICATION_REQUIRED };
    // The owner may learn that their own repository exists; tell them which scope the token lacks.
    if (target && isRepositoryOwner(actor, target.repository)) {
      return { ok: false, status: 403, message: `Permission to ${target.fullName}.git denied: the token needs the 'repo' scope.` };
    }
    return { ok: false, status: 404, message: GIT_REPOSITORY_NOT_FOUND };
  }
  if (service === 'git-upload-pack') return { ok: true };
  if (!actor) return { ok: false, status: 401, message: GIT_AUTHENTICATION_REQUIRED };
  if (canWriteRepository(actor, target.repository)) return { ok: true };
  if (!isRepositoryOwner(actor, target.repository)) {
    return { ok: false, status: 403, message: `Permission to ${target.fullName}.git denied to ${actor.user.username}.` };
  }
  const scope = scopeToWrite({ private: target.repository.private === 1 });
  const accepted = scope === 'public_repo' ? `'public_repo' or 'repo'` : `'repo'`;
  return { ok: false, status: 403, message: `Permission to ${target.fullName}.git denied: the token needs the ${accepted} scope to push.` };
}
