/**
 * Who may clone, fetch and push over HTTPS: git-upload-pack reads, git-receive-pack writes, decided by
 * authorization.ts like any other access (never on how the token was sent, GHSA-cc8w-r4qh-3v65). The Git edge turns
 * refusals into what git prints (src/http/git/git-refusals.ts).
 */
import type { Deps } from './deps.ts';
import type { Principal } from './principal.ts';
import { findRepositoryFor, type RepositoryAccess } from './repository-access.ts';
import { repositoryNameProblem } from './repositories.ts';

export const GIT_SERVICES = ['git-upload-pack', 'git-receive-pack'] as const;
export type GitService = (typeof GIT_SERVICES)[number];

export function isGitService(name: string): name is GitService {
  return (GIT_SERVICES as readonly string[]).includes(name);
}

/** OWNER/NAME from a git URL (the `.git` suffix is optional, as on GitHub), for the service asked. */
export async function findGitRepository(
  deps: Deps,
  principal: Principal,
  ownerLogin: string,
  repositoryName: string,
  service: GitService,
): Promise<RepositoryAccess> {
  const name = repositoryName.endsWith('.git') ? repositoryName.slice(0, -4) : repositoryName;
  if (repositoryNameProblem(name) || ownerLogin.length > 39) return { ok: false, code: 'not_found' };
  return findRepositoryFor(deps, principal, service === 'git-upload-pack' ? 'read' : 'write', ownerLogin, name);
}
