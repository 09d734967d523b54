/**
 * Every protected API route × every credential case × every way of sending the token, over real HTTP.
 *
 * The answer must depend on the credential alone, never on how it was sent (`token`, `Bearer` or Basic): the same
 * status, body and scope headers each way (the lesson of GHSA-cc8w-r4qh-3v65). A guard test fails when a route is
 * registered that this table does not cover, so a new endpoint cannot ship untested.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentialFixture, present, SCHEMES, type Scheme, unissuedToken, withBadChecksum } from '../helpers/credential-fixture.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';
import type { RegisteredRoute } from '../../src/http/app.ts';
import { addMember, listMembers } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createOwnRepository, createRepository } from '../../src/domain/repositories.ts';
import type { UserRow } from '../../src/store/database.ts';
import { operationDoc } from '../../src/http/api/operation-docs.ts';
import { docsUrl } from '../helpers/api-docs.ts';
import { API, type Fixture, type ProtectedRoute, type RouteCase, slug } from '../helpers/security-matrix.ts';
import { ORGANIZATION_ROUTES } from './security-matrix-organizations.ts';

// Each answer's documentation_url is the route's section of Tessera's API reference (added per route below).
const BAD_CREDENTIALS = { message: 'Bad credentials' };
const REQUIRES_AUTHENTICATION = { message: 'Requires authentication' };
const NOT_FOUND = { message: 'Not Found' };

const PROTECTED_ROUTES: ProtectedRoute[] = [
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





/** The routes the table must cover: all of the API, and anything anywhere that declares authentication or a scope. */
function isProtected(route: RegisteredRoute): boolean {
  return route.url === API || route.url.startsWith(`${API}/`)
    || route.config.requiresAuthentication === true || route.config.requiredScope !== undefined;
}

/** Registered protected routes the table does not cover, or covers with the wrong authentication or scope. */
function uncoveredRoutes(registered: readonly RegisteredRoute[], table: readonly ProtectedRoute[]): string[] {
  const problems: string[] = [];
  for (const route of registered.filter(isProtected)) {
    // Fastify answers HEAD with the GET route (same hooks, same config); the matrix sends HEAD for every GET row.
    const method = route.method === 'HEAD' ? 'GET' : route.method;
    const row = table.find((candidate) => candidate.method === method && candidate.url === route.url);
    if (!row) {
      problems.push(`${route.method} ${route.url} is not in the security matrix`);
      continue;
    }
    if (row.requiresAuthentication !== (route.config.requiresAuthentication === true)) {
      problems.push(`${route.method} ${route.url}: the table says requiresAuthentication=${row.requiresAuthentication}`);
    }
    if (route.config.requiredScope !== undefined && row.scope !== route.config.requiredScope) {
      problems.push(`${route.method} ${route.url}: the route needs ${route.config.requiredScope}, the table says ${row.scope}`);
    }
  }
  for (const row of table) {
    // Fastify registers `/api/v3/` (the prefix's trailing-slash twin of `/api/v3`) for HEAD only; its GET is `/api/v3`'s.
    const registers = (route: RegisteredRoute) => route.method === row.method || (row.method === 'GET' && route.method === 'HEAD');
    if (!registered.some((route) => registers(route) && route.url === row.url)) {
      problems.push(`${row.method} ${row.url} is in the table but not registered`);
    }
  }
  return problems;
}

interface Answer {
  status: number;
  body: unknown;
  text: string;
  oauthScopes: string | null;
  acceptedScopes: string | null;
  contentType: string | null;
}

async function send(server: TestServer, method: string, path: string, authorization: string | undefined, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/vnd.github+json' };
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.apiUrl}${path}`, {
    method, headers, ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' || !/json/.test(response.headers.get('content-type') ?? '') ? undefined : JSON.parse(text) as unknown,
    text,
    oauthScopes: response.headers.get('x-oauth-scopes'),
    acceptedScopes: response.headers.get('x-accepted-oauth-scopes'),
    contentType: response.headers.get('content-type'),
  };
}

test('the security matrix covers every protected route as registered', async (t) => {
  const server = await startTestServer(t);
  const problems = uncoveredRoutes(server.app.registeredRoutes, PROTECTED_ROUTES);
  assert.deepEqual(problems, []);
  assert.ok(server.app.registeredRoutes.filter(isProtected).length >= PROTECTED_ROUTES.length);

  // The guard itself fails on a route the table does not list, and on a scope the table gets wrong.
  const extra: RegisteredRoute[] = [
    ...server.app.registeredRoutes,
    { method: 'GET', url: `${API}/user/keys`, config: {} },
    { method: 'POST', url: '/settings/secret-thing', config: { requiresAuthentication: true } },
  ];
  assert.deepEqual(uncoveredRoutes(extra, PROTECTED_ROUTES), [
    `GET ${API}/user/keys is not in the security matrix`,
    'POST /settings/secret-thing is not in the security matrix',
  ]);
  const wrongScope = server.app.registeredRoutes.map((route) => route.method === 'PATCH' && route.url === `${API}/user`
    ? { ...route, config: { ...route.config, requiredScope: 'admin:org' } }
    : route);
  assert.deepEqual(uncoveredRoutes(wrongScope, PROTECTED_ROUTES), [`PATCH ${API}/user: the route needs admin:org, the table says user`]);
});

test('every protected route × every credential case × token, Bearer and Basic: one answer each', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, {
    clock,
    config: { siteAdmins: ['matrix-owner'] },
    // The matrix sends hundreds of bad credentials from one address on purpose; the failure limit has its own tests.
    rateLimits: { authenticatedPerHour: 100_000, anonymousPerHour: 100_000, failedAuthenticationsPerHour: 0 },
  });
  const owner = await server.createUser({ username: 'matrix-owner' });
  const other = await server.createUser({ username: 'matrix-other' });

  const fixture: Fixture = {
    owner, other, organization: 'matrix-org', privateRepo: 'crown-jewels', doomedRepo: (scheme) => `doomed-${scheme}`,
    doomedMember: (scheme) => `matrix-member-${scheme}`,
  };
  for (const name of [fixture.privateRepo, ...SCHEMES.map(fixture.doomedRepo)]) {
    const created = await createOwnRepository(server.deps, owner, { name, private: true });
    assert.ok(created.ok);
  }
  const organization = await createOrganization(server.deps, sessionPrincipal(owner), { login: fixture.organization, admin: owner }, {});
  assert.ok(organization.ok);
  assert.ok((await createRepository(server.deps, sessionPrincipal(owner), organization.organization.owner, { name: fixture.privateRepo, private: true })).ok);
  for (const scheme of SCHEMES) {
    await server.createUser({ username: fixture.doomedMember(scheme) });
    assert.ok((await addMember(server.deps, sessionPrincipal(owner), organization.organization, fixture.doomedMember(scheme), 'member', {})).ok);
  }

  // In the scope tree's order, as X-OAuth-Scopes lists them.
  const allNeeded = ['repo', 'admin:org', 'user', 'delete_repo'];
  const { valid, lacking, othersToken: otherUsers, expired, deleted, replaced } = await createCredentialFixture(server, clock, { owner, other }, allNeeded);

  /** Each case: the Authorization header per scheme; `undefined` sends none. */
  const badCredentialCases: Array<[string, (scheme: Scheme) => string]> = [
    ['malformed header', (scheme) => ({ token: `token ${valid} extra`, Bearer: 'Bearer', Basic: `Basic ${Buffer.from('no-colon-here').toString('base64')}` })[scheme]],
    ['malformed token', (scheme) => present(scheme, owner.username, 'tsp_tooShort')],
    ['unknown token', (scheme) => present(scheme, owner.username, unissuedToken())],
    ['bad checksum', (scheme) => present(scheme, owner.username, withBadChecksum(valid))],
    ['expired token', (scheme) => present(scheme, owner.username, expired)],
    ['deleted token', (scheme) => present(scheme, owner.username, deleted)],
    ['regenerated token (old secret)', (scheme) => present(scheme, owner.username, replaced)],
  ];
  const routeCases: Array<[RouteCase, (scheme: Scheme) => string | undefined, string | null]> = [
    ['no credential', () => undefined, null],
    ['token lacking the scope', (scheme) => present(scheme, owner.username, lacking), 'gist, read:user'],
    ['token of another user', (scheme) => present(scheme, other.username, otherUsers), allNeeded.join(', ')],
    ['valid token', (scheme) => present(scheme, owner.username, valid), allNeeded.join(', ')],
  ];

  let requests = 0;
  for (const route of PROTECTED_ROUTES) {
    const methods = route.method === 'GET' ? ['GET', 'HEAD'] : [route.method];
    for (const method of methods) {
      const doc = operationDoc(method, route.url);
      assert.ok(doc, `${method} ${route.url} has a section in the API reference`);
      const documentation_url = docsUrl(server, doc.anchor);
      const cases = [
        ...badCredentialCases.map(([name, credential]) => ({ name, credential, routeCase: undefined, scopes: null })),
        ...routeCases.map(([name, credential, scopes]) => ({ name, credential, routeCase: name, scopes })),
      ];
      for (const { name, credential, routeCase, scopes } of cases) {
        const where = `${method} ${route.url} with ${name}`;
        const answers: Array<[Scheme, Answer]> = [];
        for (const scheme of SCHEMES) {
          const { path, body } = route.request(fixture, scheme, routeCase ?? 'valid token');
          answers.push([scheme, await send(server, method, path, credential(scheme), method === 'HEAD' ? undefined : body)]);
          requests += 1;
        }

        for (const [scheme, answer] of answers) {
          const label = `${where} sent as ${scheme}`;
          assert.doesNotMatch(answer.text, /\bat .*\.[cm]?[jt]s:\d+/, `${label}: no stack trace`);
          if (routeCase === undefined) {
            assert.equal(answer.status, 401, label);
            if (method !== 'HEAD') assert.deepEqual(answer.body, { ...BAD_CREDENTIALS, documentation_url }, label);
            assert.equal(answer.oauthScopes, null, `${label}: no scopes for a refused credential`);
            continue;
          }
          assert.equal(answer.status, route.expected[routeCase], `${label}: ${answer.text}`);
          if (method === 'HEAD') {
            assert.equal(answer.text, '', `${label}: HEAD has no body`);
            continue;
          }
          assert.equal(answer.oauthScopes, scopes, `${label}: X-OAuth-Scopes`);
          if (answer.status === 401) assert.deepEqual(answer.body, { ...REQUIRES_AUTHENTICATION, documentation_url }, label);
          if (answer.status === 404) assert.deepEqual(answer.body, { ...(route.notFoundBody ?? NOT_FOUND), documentation_url }, label);
          if (answer.status >= 400) assert.match(String(answer.contentType), /^application\/json/, label);
          if (routeCase === 'token lacking the scope' && route.scope && answer.status >= 400) {
            assert.ok(answer.acceptedScopes?.split(', ').includes(route.scope), `${label}: X-Accepted-OAuth-Scopes names ${route.scope}`);
          }
          if (routeCase === 'token of another user' && answer.status < 300 && method === 'GET') {
            assert.ok(!answer.text.includes(fixture.privateRepo), `${label}: another user's private repository is never shown`);
          }
        }

        // The same answer whichever way the token was sent.
        const [, first] = answers[0]!;
        const normalise = (answer: Answer) => ({
          status: answer.status,
          body: answer.status < 300 && route.comparable && answer.body !== undefined ? route.comparable(answer.body) : answer.body,
          oauthScopes: answer.oauthScopes,
          acceptedScopes: answer.acceptedScopes,
        });
        for (const [scheme, answer] of answers.slice(1)) {
          assert.deepEqual(normalise(answer), normalise(first), `${where}: ${scheme} answered differently from ${answers[0]![0]}`);
        }
      }
    }
  }
  assert.ok(requests > 300, `the matrix sent ${requests} requests`);

  // Refused writes changed nothing; the allowed ones did exactly what they should.
  const repositories = await server.db.selectFrom('repositories').select(['owner_id', 'name']).execute();
  const namesOf = (user: UserRow) => repositories.filter((repository) => repository.owner_id === user.id).map((repository) => repository.name).sort();
  assert.deepEqual(namesOf(owner), [
    fixture.privateRepo, ...SCHEMES.map((scheme) => `made-valid-token-${scheme}`),
  ].sort(), 'only the owner\'s valid token created and deleted repositories');
  assert.deepEqual(namesOf(other), SCHEMES.map((scheme) => `made-token-of-another-user-${scheme}`).sort());
  const organizationRepositories = repositories.filter((repository) => repository.owner_id === organization.organization.owner.id);
  assert.deepEqual(organizationRepositories.map((repository) => repository.name).sort(),
    [fixture.privateRepo, ...SCHEMES.map((scheme) => `org-made-valid-token-${scheme}`)].sort(), 'only a member made organization repositories');
  const { members } = await listMembers(server.deps, sessionPrincipal(owner), organization.organization);
  assert.deepEqual(members.map((member) => [member.user.username, member.role]), [[owner.username, 'admin']], 'only the owner removed members');
  const organizations = await server.db.selectFrom('owners').select('login').where('kind', '=', 'organization').orderBy('login').execute();
  assert.deepEqual(organizations.map((row) => row.login), [fixture.organization, ...SCHEMES.map((scheme) => `org-valid-token-${scheme}`)].sort(),
    'only the site administrator\'s valid token made organizations');
  const ownerRow = await server.db.selectFrom('users').select('name').where('id', '=', owner.id).executeTakeFirstOrThrow();
  assert.equal(ownerRow.name, 'Matrix Name');
});
