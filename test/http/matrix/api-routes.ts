/**
 * The REST API's share of the security matrix (security-matrix.test.ts sends it): every /api/v3 route as registered,
 * with what each credential case must get (the organizations' rows in security-matrix-organizations.ts, the
 * vocabulary in test/helpers/security-matrix.ts). A module of its own so that test/http/route-areas.test.ts can
 * check it with the other areas' tables.
 */
import { unissuedToken } from '../../helpers/credential-fixture.ts';
import { API, type ProtectedRoute, slug } from '../../helpers/security-matrix.ts';
import { ORGANIZATION_ROUTES } from '../security-matrix-organizations.ts';

export const PROTECTED_ROUTES: ProtectedRoute[] = [
  {
    method: 'GET', url: `${API}/user`, requiresAuthentication: true,
    request: () => ({ path: '/user' }),
    expected: { 'no credential': 401, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
  {
    method: 'PATCH', url: `${API}/user`, requiresAuthentication: true, scope: 'user',
    request: () => ({ path: '/user', body: { name: 'Matrix Name' } }),
    expected: { 'no credential': 401, 'token lacking the scope': 404, 'token of another user': 200, 'valid token': 200 },
  },
  {
    method: 'GET', url: `${API}/user/emails`, requiresAuthentication: true, scope: 'user:email',
    request: () => ({ path: '/user/emails' }),
    expected: { 'no credential': 401, 'token lacking the scope': 404, 'token of another user': 200, 'valid token': 200 },
  },
  {
    method: 'GET', url: `${API}/user/repos`, requiresAuthentication: true,
    request: () => ({ path: '/user/repos' }),
    expected: { 'no credential': 401, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
  {
    // The scope depends on the body (public_repo for a public repository, repo for a private one): the handler checks it.
    method: 'POST', url: `${API}/user/repos`, requiresAuthentication: true, scope: 'public_repo',
    request: (_fixture, scheme, caseName) => ({ path: '/user/repos', body: { name: `made-${slug(caseName)}-${scheme}` } }),
    expected: { 'no credential': 401, 'token lacking the scope': 404, 'token of another user': 201, 'valid token': 201 },
    notFoundBody: {
      message: 'Your token has not been granted the required scopes to execute this query. It needs \'public_repo\' or \'repo\'.',
    },
    comparable: (body) => {
      const repository = body as { private: boolean; owner: { login: string }; permissions: unknown };
      return { private: repository.private, owner: repository.owner.login, permissions: repository.permissions };
    },
  },
  {
    method: 'GET', url: `${API}/users/:username`, requiresAuthentication: false,
    request: (fixture) => ({ path: `/users/${fixture.owner.username}` }),
    expected: { 'no credential': 200, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
  {
    // A private repository: reading it needs its owner's token with `repo`.
    method: 'GET', url: `${API}/repos/:owner/:repo`, requiresAuthentication: false, scope: 'repo',
    request: (fixture) => ({ path: `/repos/${fixture.owner.username}/${fixture.privateRepo}` }),
    expected: { 'no credential': 404, 'token lacking the scope': 404, 'token of another user': 404, 'valid token': 200 },
  },
  {
    method: 'DELETE', url: `${API}/repos/:owner/:repo`, requiresAuthentication: true, scope: 'delete_repo',
    request: (fixture, scheme, caseName) => ({
      path: `/repos/${fixture.owner.username}/${caseName === 'valid token' ? fixture.doomedRepo(scheme) : fixture.privateRepo}`,
    }),
    expected: { 'no credential': 401, 'token lacking the scope': 403, 'token of another user': 404, 'valid token': 204 },
  },
  {
    method: 'GET', url: `${API}/rate_limit`, requiresAuthentication: false,
    request: () => ({ path: '/rate_limit' }),
    expected: { 'no credential': 200, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
    comparable: (body) => {
      const { rate } = body as { rate: { limit: number; resource: string } };
      return { limit: rate.limit, resource: rate.resource };
    },
  },
  {
    // read:user (or user) reads the log; the matrix's lacking token has read:user, so its missing-scope answer (403)
    // is tested in security-log.test.ts.
    method: 'GET', url: `${API}/user/security-log`, requiresAuthentication: true, scope: 'read:user',
    request: () => ({ path: '/user/security-log' }),
    expected: { 'no credential': 401, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
  {
    method: 'GET', url: `${API}/personal_access_tokens/self`, requiresAuthentication: true,
    request: () => ({ path: '/personal_access_tokens/self' }),
    expected: { 'no credential': 401, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
    comparable: (body) => ({ ...(body as Record<string, unknown>), last_used_at: undefined }),
  },
  {
    method: 'GET', url: `${API}/personal_access_tokens/self/check`, requiresAuthentication: true,
    request: () => ({ path: '/personal_access_tokens/self/check?method=DELETE&path=/repos/someone/something' }),
    expected: { 'no credential': 401, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
  {
    method: 'POST', url: `${API}/personal_access_tokens/self/check`, requiresAuthentication: true,
    request: () => ({ path: '/personal_access_tokens/self/check', body: { requests: [{ method: 'PATCH', path: '/user' }] } }),
    expected: { 'no credential': 401, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
  {
    // Unauthenticated by design (GitHub's contract): any valid credential is refused with 403, and the token listed
    // is one nobody was issued, so the matrix revokes nothing.
    method: 'POST', url: `${API}/credentials/revoke`, requiresAuthentication: false,
    request: () => ({ path: '/credentials/revoke', body: { credentials: [unissuedToken()] } }),
    expected: { 'no credential': 202, 'token lacking the scope': 403, 'token of another user': 403, 'valid token': 403 },
  },
  ...['', '/', '/meta', '/versions', '/octocat'].map((path): ProtectedRoute => ({
    // What clients call first; anyone may, and a bad credential is still refused (gh checks a token with `/`).
    method: 'GET', url: `${API}${path}`, requiresAuthentication: false,
    request: () => ({ path }),
    expected: { 'no credential': 200, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  })),
  {
    method: 'GET', url: `${API}/zen`, requiresAuthentication: false,
    request: () => ({ path: '/zen' }),
    expected: { 'no credential': 200, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
    comparable: () => 'a sentence chosen at random',
  },
  ...ORGANIZATION_ROUTES,
  {
    // Anyone sees a user's public repositories; the private one is never listed here, not even to its owner.
    method: 'GET', url: `${API}/users/:username/repos`, requiresAuthentication: false,
    request: (fixture) => ({ path: `/users/${fixture.owner.username}/repos` }),
    expected: { 'no credential': 200, 'token lacking the scope': 200, 'token of another user': 200, 'valid token': 200 },
  },
];
