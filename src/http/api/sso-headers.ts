/**
 * GitHub's answers when an organization's SAML single sign-on keeps a token out: a 403 with the link that authorizes
 * the token (`X-GitHub-SSO: required; url=…`), or, on a list that spans organizations, the list without their items
 * and `X-GitHub-SSO: partial-results; organizations=<ids>`.
 */
import type { FastifyReply } from 'fastify';
import type { SsoOrganization } from '../../domain/authorization.ts';
import type { Principal } from '../../domain/principal.ts';
import { issueSsoAuthorizationUrl } from '../../domain/sso/authorization-requests.ts';
import { listSsoWithheldOrganizations } from '../../domain/sso/sso-standing.ts';
import type { AppDeps } from '../app-deps.ts';
import { SSO_REQUIRED_MESSAGE } from '../git/git-refusals.ts';
import { sendCredentialError } from './api-error.ts';

export async function sendSsoRequired(reply: FastifyReply, deps: AppDeps, principal: Principal, organization: SsoOrganization) {
  if (principal.kind === 'token') {
    reply.header('X-GitHub-SSO', `required; url=${await issueSsoAuthorizationUrl(deps, principal.token.id, organization)}`);
  }
  // About the token, not the operation: its documentation_url is the help page's section on authorizing tokens.
  return sendCredentialError(reply, 403, SSO_REQUIRED_MESSAGE, 'samlSso');
}

/** Says which organizations' items a list left out; nothing when none were. */
export function setSsoPartialResults(reply: FastifyReply, organizationIds: readonly number[]): void {
  if (organizationIds.length > 0) reply.header('X-GitHub-SSO', `partial-results; organizations=${[...new Set(organizationIds)].join(',')}`);
}

/** The list without the organizations whose SAML keeps this token out, and the header that says which those were. */
export async function withoutSsoWithheld<T extends { owner: { id: number } }>(
  reply: FastifyReply, deps: AppDeps, principal: Principal, organizations: readonly T[],
): Promise<T[]> {
  const withheld = await listSsoWithheldOrganizations(deps, principal, organizations.map((organization) => organization.owner.id));
  setSsoPartialResults(reply, [...withheld]);
  return organizations.filter((organization) => !withheld.has(organization.owner.id));
}
