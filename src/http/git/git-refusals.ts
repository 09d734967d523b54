/** What git is told (status, and the text it prints as `remote:` lines) when authorization refuses a request. */
import type { Refusal } from '../../domain/authorization.ts';
import type { GitService } from '../../domain/git-access.ts';
import { type Principal, userOf } from '../../domain/principal.ts';
import type { LocatedRepository } from '../../domain/repository-access.ts';

export const GIT_AUTHENTICATION_REQUIRED = 'Authentication required: use your username and a personal access token as the password.';
export const GIT_REPOSITORY_NOT_FOUND = 'Repository not found.';

export interface GitRefusal {
  status: 401 | 403 | 404;
  message: string;
}

const quoted = (scopes: readonly string[]) => scopes.map((scope) => `'${scope}'`).join(' or ');

export function gitRefusal(
  principal: Principal,
  refusal: Refusal & { located?: LocatedRepository },
  service: GitService,
): GitRefusal {
  const fullName = refusal.located ? `${refusal.located.owner.login}/${refusal.located.repository.name}` : '';
  switch (refusal.code) {
    case 'authentication_required':
      return { status: 401, message: GIT_AUTHENTICATION_REQUIRED };
    case 'not_found':
      // git sends the credentials it has only after a 401: an anonymous request for a hidden repository is asked
      // to sign in, exactly as for one that does not exist.
      return principal.kind === 'anonymous'
        ? { status: 401, message: GIT_AUTHENTICATION_REQUIRED }
        : { status: 404, message: GIT_REPOSITORY_NOT_FOUND };
    case 'forbidden':
      return { status: 403, message: `Permission to ${fullName}.git denied to ${userOf(principal)?.username ?? 'you'}.` };
    case 'missing_scope':
      return {
        status: 403,
        message: `Permission to ${fullName}.git denied: the token needs the ${quoted(refusal.acceptedScopes)} scope${service === 'git-receive-pack' ? ' to push' : ''}.`,
      };
  }
}
