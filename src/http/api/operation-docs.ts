/**
 * Tessera's own API reference (`GET /docs/api`): one entry per operation, with the anchor an error's
 * `documentation_url` points at. Anchors are GitHub's own for the same operation, so a reader who knows GitHub's
 * reference finds the same names. An operation's title and summary are words, in every language: they are in
 * src/i18n/locales/<language>/apidocs.json under `operations.<anchor>`. test/http/api-docs.test.ts fails when a
 * registered API route has no entry here, or an entry has no title or summary.
 */
import type { FastifyReply } from 'fastify';
import { API_PREFIX } from './github-json.ts';

export const API_DOCS_PATH = '/docs/api';

export interface OperationDoc {
  method: string;
  /** The route's URL under /api/v3, as registered (`/repos/:owner/:repo`). */
  path: string;
  anchor: string;
  /** An operation on SAML authorizations of tokens: the help page names it only where the edition has them. */
  aboutSamlTokenAuthorization?: true;
}

export const REST_OPERATION_DOCS: readonly OperationDoc[] = [
  { method: 'GET', path: '', anchor: 'github-api-root' },
  { method: 'GET', path: '/meta', anchor: 'get-github-meta-information' },
  { method: 'GET', path: '/versions', anchor: 'get-all-api-versions' },
  { method: 'GET', path: '/zen', anchor: 'get-the-zen-of-github' },
  { method: 'GET', path: '/octocat', anchor: 'get-octocat' },
  { method: 'GET', path: '/user', anchor: 'get-the-authenticated-user' },
  { method: 'PATCH', path: '/user', anchor: 'update-the-authenticated-user' },
  { method: 'GET', path: '/user/emails', anchor: 'list-email-addresses-for-the-authenticated-user' },
  { method: 'GET', path: '/users/:username', anchor: 'get-a-user' },
  { method: 'GET', path: '/user/repos', anchor: 'list-repositories-for-the-authenticated-user' },
  { method: 'GET', path: '/users/:username/repos', anchor: 'list-repositories-for-a-user' },
  { method: 'POST', path: '/user/repos', anchor: 'create-a-repository-for-the-authenticated-user' },
  { method: 'GET', path: '/repos/:owner/:repo', anchor: 'get-a-repository' },
  { method: 'DELETE', path: '/repos/:owner/:repo', anchor: 'delete-a-repository' },
  { method: 'GET', path: '/orgs/:org', anchor: 'get-an-organization' },
  { method: 'GET', path: '/user/orgs', anchor: 'list-organizations-for-the-authenticated-user' },
  { method: 'GET', path: '/users/:username/orgs', anchor: 'list-organizations-for-a-user' },
  { method: 'GET', path: '/orgs/:org/members', anchor: 'list-organization-members' },
  { method: 'GET', path: '/orgs/:org/memberships/:username', anchor: 'get-organization-membership-for-a-user' },
  { method: 'PUT', path: '/orgs/:org/memberships/:username', anchor: 'set-organization-membership-for-a-user' },
  { method: 'DELETE', path: '/orgs/:org/memberships/:username', anchor: 'remove-organization-membership-for-a-user' },
  { method: 'GET', path: '/user/memberships/orgs', anchor: 'list-organization-memberships-for-the-authenticated-user' },
  { method: 'GET', path: '/orgs/:org/repos', anchor: 'list-organization-repositories' },
  { method: 'POST', path: '/orgs/:org/repos', anchor: 'create-an-organization-repository' },
  { method: 'POST', path: '/admin/organizations', anchor: 'create-an-organization' },
  { method: 'GET', path: '/rate_limit', anchor: 'get-rate-limit-status-for-the-authenticated-user' },
  { method: 'GET', path: '/user/security-log', anchor: 'list-security-log-events-for-the-authenticated-user' },
  { method: 'POST', path: '/credentials/revoke', anchor: 'revoke-a-list-of-credentials' },
  { method: 'GET', path: '/orgs/:org/credential-authorizations', anchor: 'list-saml-sso-authorizations-for-an-organization', aboutSamlTokenAuthorization: true },
  { method: 'DELETE', path: '/orgs/:org/credential-authorizations/:credential_id', anchor: 'remove-a-saml-sso-authorization-for-an-organization', aboutSamlTokenAuthorization: true },
  { method: 'GET', path: '/personal_access_tokens/self', anchor: 'get-the-token-of-the-request' },
  { method: 'GET', path: '/personal_access_tokens/self/check', anchor: 'check-a-request-against-the-token' },
  { method: 'POST', path: '/personal_access_tokens/self/check', anchor: 'check-requests-against-the-token' },
];

export const GRAPHQL_DOC = { method: 'POST', path: '/api/graphql', anchor: 'graphql' } as const;

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
