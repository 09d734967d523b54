/**
 * Tessera's own API reference (`GET /docs/api`): one entry per operation, with the anchor an error's
 * `documentation_url` points at. Anchors are GitHub's own for the same operation, so a reader who knows GitHub's
 * reference finds the same names. test/http/api-docs.test.ts fails when a registered API route has no entry here.
 */
import type { FastifyReply } from 'fastify';
import { API_PREFIX } from './github-json.ts';

export const API_DOCS_PATH = '/docs/api';

export interface OperationDoc {
  method: string;
  /** The route's URL under /api/v3, as registered (`/repos/:owner/:repo`). */
  path: string;
  anchor: string;
  title: string;
  summary: string;
}

export const REST_OPERATION_DOCS: readonly OperationDoc[] = [
  { method: 'GET', path: '', anchor: 'github-api-root', title: 'GitHub API root', summary: 'Links to the API\'s main resources; gh checks a token here and reads its scopes from X-OAuth-Scopes.' },
  { method: 'GET', path: '/meta', anchor: 'get-github-meta-information', title: 'Get meta information', summary: 'The installed version and what this server supports.' },
  { method: 'GET', path: '/versions', anchor: 'get-all-api-versions', title: 'Get all API versions', summary: 'The dated X-GitHub-Api-Version values this server accepts.' },
  { method: 'GET', path: '/zen', anchor: 'get-the-zen-of-github', title: 'Get the Zen of GitHub', summary: 'A random line of wisdom, as plain text.' },
  { method: 'GET', path: '/octocat', anchor: 'get-octocat', title: 'Get Octocat', summary: 'The octocat as ASCII art, as plain text.' },
  { method: 'GET', path: '/user', anchor: 'get-the-authenticated-user', title: 'Get the authenticated user', summary: 'The user the token belongs to, with private fields.' },
  { method: 'PATCH', path: '/user', anchor: 'update-the-authenticated-user', title: 'Update the authenticated user', summary: 'Changes the user\'s profile fields.' },
  { method: 'GET', path: '/user/emails', anchor: 'list-email-addresses-for-the-authenticated-user', title: 'List email addresses for the authenticated user', summary: 'The user\'s email addresses and whether each is verified.' },
  { method: 'GET', path: '/users/:username', anchor: 'get-a-user', title: 'Get a user', summary: 'A user\'s public profile.' },
  { method: 'GET', path: '/user/repos', anchor: 'list-repositories-for-the-authenticated-user', title: 'List repositories for the authenticated user', summary: 'The user\'s repositories, private ones only with the repo scope; paged with per_page, page and Link.' },
  { method: 'GET', path: '/users/:username/repos', anchor: 'list-repositories-for-a-user', title: 'List repositories for a user', summary: 'A user\'s public repositories, paged with per_page, page and Link.' },
  { method: 'POST', path: '/user/repos', anchor: 'create-a-repository-for-the-authenticated-user', title: 'Create a repository for the authenticated user', summary: 'Creates a repository; a private one needs the repo scope, a public one public_repo or repo.' },
  { method: 'GET', path: '/repos/:owner/:repo', anchor: 'get-a-repository', title: 'Get a repository', summary: 'A repository the caller may see; a private one the token may not read is a 404.' },
  { method: 'DELETE', path: '/repos/:owner/:repo', anchor: 'delete-a-repository', title: 'Delete a repository', summary: 'Deletes a repository the caller owns, with its Git data.' },
  { method: 'GET', path: '/orgs/:org', anchor: 'get-an-organization', title: 'Get an organization', summary: 'An organization\'s profile; its owners acting with admin:org also see its private counts and settings.' },
  { method: 'GET', path: '/user/orgs', anchor: 'list-organizations-for-the-authenticated-user', title: 'List organizations for the authenticated user', summary: 'Every organization the user belongs to; needs read:org (or write:org, admin:org).' },
  { method: 'GET', path: '/users/:username/orgs', anchor: 'list-organizations-for-a-user', title: 'List organizations for a user', summary: 'The organizations where the user made their membership public, whoever asks.' },
  { method: 'GET', path: '/orgs/:org/members', anchor: 'list-organization-members', title: 'List organization members', summary: 'All members to a member acting with read:org, public members to anyone else; role filters by admin or member.' },
  { method: 'GET', path: '/orgs/:org/memberships/:username', anchor: 'get-organization-membership-for-a-user', title: 'Get organization membership for a user', summary: 'A user\'s role in the organization, for its members or the user themselves; needs read:org.' },
  { method: 'PUT', path: '/orgs/:org/memberships/:username', anchor: 'set-organization-membership-for-a-user', title: 'Set organization membership for a user', summary: 'An owner adds a user (at once, without an invitation) or changes their role; needs write:org.' },
  { method: 'DELETE', path: '/orgs/:org/memberships/:username', anchor: 'remove-organization-membership-for-a-user', title: 'Remove organization membership for a user', summary: 'An owner removes a member, or a member leaves; the last owner stays; needs write:org.' },
  { method: 'GET', path: '/user/memberships/orgs', anchor: 'list-organization-memberships-for-the-authenticated-user', title: 'List organization memberships for the authenticated user', summary: 'The user\'s memberships with their roles; needs read:org.' },
  { method: 'GET', path: '/orgs/:org/repos', anchor: 'list-organization-repositories', title: 'List organization repositories', summary: 'Public repositories to anyone, private ones too to a member acting with repo; type, sort and direction as on GitHub.' },
  { method: 'POST', path: '/orgs/:org/repos', anchor: 'create-an-organization-repository', title: 'Create an organization repository', summary: 'Any member creates one; a private one needs the repo scope, a public one public_repo or repo.' },
  { method: 'POST', path: '/admin/organizations', anchor: 'create-an-organization', title: 'Create an organization', summary: 'GitHub Enterprise Server\'s site-administration endpoint: for users named by TESSERA_SITE_ADMINS, with admin:org; a 404 to everyone else.' },
  { method: 'GET', path: '/rate_limit', anchor: 'get-rate-limit-status-for-the-authenticated-user', title: 'Get rate limit status for the authenticated user', summary: 'What is left of each rate-limit window; this call does not count against them.' },
  { method: 'GET', path: '/user/security-log', anchor: 'list-security-log-events-for-the-authenticated-user', title: 'List security log events for the authenticated user', summary: 'Sign-ins, token changes and other security events of the user, newest first.' },
  { method: 'POST', path: '/credentials/revoke', anchor: 'revoke-a-list-of-credentials', title: 'Revoke a list of credentials', summary: 'Revokes leaked tokens given in the body, without authentication, as GitHub\'s secret scanning does.' },
  { method: 'GET', path: '/orgs/:org/credential-authorizations', anchor: 'list-saml-sso-authorizations-for-an-organization', title: 'List SAML SSO authorizations for an organization', summary: 'The personal access tokens members authorized for an organization that uses SAML (note, scopes, last use; never a secret); owners only, with read:org.' },
  { method: 'DELETE', path: '/orgs/:org/credential-authorizations/:credential_id', anchor: 'remove-a-saml-sso-authorization-for-an-organization', title: 'Remove a SAML SSO authorization for an organization', summary: 'Revokes one token\'s authorization for the organization; owners only, with admin:org.' },
  { method: 'GET', path: '/personal_access_tokens/self', anchor: 'get-the-token-of-the-request', title: 'Get the token of the request (Tessera)', summary: 'The token used for the request: its note, scopes and expiry, never its secret.' },
  { method: 'GET', path: '/personal_access_tokens/self/check', anchor: 'check-a-request-against-the-token', title: 'Check a request against the token (Tessera)', summary: 'Whether the token may make a given request, and the scope it lacks if not, without making it.' },
  { method: 'POST', path: '/personal_access_tokens/self/check', anchor: 'check-requests-against-the-token', title: 'Check requests against the token (Tessera)', summary: 'The same check for up to 100 requests at once.' },
];

export const GRAPHQL_DOC = {
  method: 'POST', path: '/api/graphql', anchor: 'graphql', title: 'GraphQL',
  summary: 'GitHub\'s GraphQL schema: viewer, user, organization, repositoryOwner, repository, rateLimit and createRepository; a field Tessera does not serve yet answers an error naming it.',
} as const;

const byRoute = new Map<string, { anchor: string }>([
  ...REST_OPERATION_DOCS.map((doc) => [`${doc.method} ${API_PREFIX}${doc.path}`, doc] as const),
  [`${GRAPHQL_DOC.method} ${GRAPHQL_DOC.path}`, GRAPHQL_DOC],
]);

/** The entry for a registered route (HEAD is answered by the GET route), if there is one. */
export function operationDoc(method: string, url: string | undefined): { anchor: string } | undefined {
  // The root document answers at /api/v3 and /api/v3/ alike.
  return url === undefined ? undefined : byRoute.get(`${method === 'HEAD' ? 'GET' : method} ${url.replace(/(.)\/$/, '$1')}`);
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `<baseUrl>/docs/api`, read when needed: the base URL may be settled after the app is built. */
    apiDocsUrl: string;
  }
}

/** Where an error of this request's operation is explained: its anchor on the docs page, or the page itself. */
export function documentationUrl(reply: FastifyReply): string {
  const doc = operationDoc(reply.request.method, reply.request.routeOptions.url);
  return doc ? `${reply.server.apiDocsUrl}#${doc.anchor}` : reply.server.apiDocsUrl;
}
