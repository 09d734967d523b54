/** What git is told (status, and the text it prints as `remote:` lines) when authorization refuses a request. */
import type { Refusal } from '../../domain/authorization.ts';
import type { GitService } from '../../domain/git-access.ts';
import { type Principal, userOf } from '../../domain/principal.ts';
import type { LocatedRepository } from '../../domain/repository-access.ts';

export const GIT_AUTHENTICATION_REQUIRED = 'Authentication required: use your username and a personal access token as the password.';
export const GIT_REPOSITORY_NOT_FOUND = 'Repository not found.';
/** GitHub's words for a token an organization's SAML single sign-on has not let in (the API's 403 says the same). */
export const SSO_REQUIRED_MESSAGE = 'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.';

export interface GitRefusal {
  status: 401 | 403 | 404;
  message: string;
}

const quoted = (scopes: readonly string[]) => scopes.map((scope) => `'${scope}'`).join(' or ');

export function gitRefusal(
  principal: Principal,
  refusal: Refusal & { located?: LocatedRepository },
  service: GitService,
  /** For sso_required: the link that authorizes this token for the organization (authorization-requests.ts). */
  ssoUrl?: string,
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
    case 'sso_required':
      return {
        status: 403,
        message: `${SSO_REQUIRED_MESSAGE}\nAuthorize this token for the ${refusal.organization.login} organization at: ${ssoUrl ?? ''}`,
      };
  }
}
