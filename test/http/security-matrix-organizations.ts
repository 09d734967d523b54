/**
 * The security matrix's rows for organizations: matrix-org, whose owner is the fixture's owner (also a site
 * administrator), with a private repository named like the owner's own, so the matrix's "another user never sees
 * the private repository" check covers it too.
 */
import { API, type ProtectedRoute, slug, urlsOf } from '../helpers/security-matrix.ts';

export const ORGANIZATION_ROUTES: ProtectedRoute[] = [
  ...['/orgs/:org', '/orgs/:org/members', '/orgs/:org/repos', '/users/:username/orgs'].map((url): ProtectedRoute => ({
    method: 'GET', url: `${API}${url}`, requiresAuthentication: false,
    request: (fixture) => ({ path: url.replace(':org', fixture.organization).replace(':username', fixture.owner.username) }),
    expected: { 'no credential': 200, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  })),
  ...['/user/orgs', '/user/memberships/orgs'].map((url): ProtectedRoute => ({
    method: 'GET', url: `${API}${url}`, requiresAuthentication: true, scope: 'read:org',
    request: () => ({ path: url }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 200, 'valid token': 200 },
  })),
  {
    // Another user is no member: they may not learn the owner's membership.
    method: 'GET', url: `${API}/orgs/:org/memberships/:username`, requiresAuthentication: true, scope: 'read:org',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/memberships/${fixture.owner.username}` }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 403, 'valid token': 200 },
  },
  {
    // The owner confirms their own role: nothing changes, and another user may not.
    method: 'PUT', url: `${API}/orgs/:org/memberships/:username`, requiresAuthentication: true, scope: 'write:org',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/memberships/${fixture.owner.username}`, body: { role: 'admin' } }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 403, 'valid token': 200 },
  },
  {
    // One member per scheme, removed by the owner's valid token alone.
    method: 'DELETE', url: `${API}/orgs/:org/memberships/:username`, requiresAuthentication: true, scope: 'write:org',
    request: (fixture, scheme) => ({ path: `/orgs/${fixture.organization}/memberships/${fixture.doomedMember(scheme)}` }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 403, 'valid token': 204 },
  },
  {
    method: 'POST', url: `${API}/orgs/:org/repos`, requiresAuthentication: true, scope: 'public_repo',
    request: (fixture, scheme, caseName) => ({ path: `/orgs/${fixture.organization}/repos`, body: { name: `org-made-${slug(caseName)}-${scheme}` } }),
    expected: { 'no credential': 401, 'token lacking the scope': 404, 'token of another user': 403, 'valid token': 201 },
    notFoundBody: {
      message: 'Your token has not been granted the required scopes to execute this query. It needs \'public_repo\' or \'repo\'.',
    },
    comparable: (body) => ({ ...(body as Record<string, unknown>), id: 0, node_id: 0, name: 0, full_name: 0, created_at: 0, updated_at: 0, pushed_at: 0, ...urlsOf(body) }),
  },
  {
    // An organization's SAML authorizations, for its owners alone; matrix-org uses no SAML, so the list is empty.
    method: 'GET', url: `${API}/orgs/:org/credential-authorizations`, requiresAuthentication: true, scope: 'read:org',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/credential-authorizations` }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 403, 'valid token': 200 },
  },
  {
    // No authorization has this id: the owner is told it is not found, anyone else is refused before looking.
    method: 'DELETE', url: `${API}/orgs/:org/credential-authorizations/:credential_id`, requiresAuthentication: true, scope: 'admin:org',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/credential-authorizations/424242` }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 403, 'valid token': 404 },
  },
  {
    // GHES's site-administration endpoint: the owner is a site administrator; to anyone else it does not exist.
    method: 'POST', url: `${API}/admin/organizations`, requiresAuthentication: true, scope: 'admin:org',
    request: (fixture, scheme, caseName) => ({ path: '/admin/organizations', body: { login: `org-${slug(caseName)}-${scheme}`, admin: fixture.owner.username } }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 404, 'valid token': 201 },
    comparable: (body) => Object.keys(body as object).sort(),
  },
];
