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
import { areaOf, coverageProblems } from '../helpers/route-areas.ts';
import type { RegisteredRoute } from '../../src/http/app.ts';
import { addMember, listMembers } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createOwnRepository, createRepository } from '../../src/domain/repositories.ts';
import type { UserRow } from '../../src/store/database.ts';
import { operationDoc } from '../../src/http/api/operation-docs.ts';
import { docsUrl, helpUrl } from '../helpers/api-docs.ts';
import { API, type Fixture, type ProtectedRoute, type RouteCase } from '../helpers/security-matrix.ts';
import { PROTECTED_ROUTES } from './matrix/api-routes.ts';

// Each answer's documentation_url is the route's section of Tessera's API reference (added per route below), or for
// an answer about the credential, the section of the token help page on it.
const BAD_CREDENTIALS = { message: 'Bad credentials' };
const REQUIRES_AUTHENTICATION = { message: 'Requires authentication' };
const NOT_FOUND = { message: 'Not Found' };

/**
 * Registered API routes the table does not cover (route-areas.ts decides which routes are the API's), or covers
 * with the wrong authentication or scope; and a route outside the API that declares authentication or a scope,
 * which only the API's hooks would enforce.
 */
function uncoveredRoutes(registered: readonly RegisteredRoute[], table: readonly ProtectedRoute[]): string[] {
  const problems = coverageProblems(registered, { api: table });
  for (const route of registered) {
    const declares = route.config.requiresAuthentication === true || route.config.requiredScope !== undefined;
    if (areaOf(route.url) !== 'api') {
      if (declares) problems.push(`${route.method} ${route.url} declares authentication or a scope outside the API, where nothing enforces it`);
      continue;
    }
    // Fastify answers HEAD with the GET route (same hooks, same config); the matrix sends HEAD for every GET row.
    const method = route.method === 'HEAD' ? 'GET' : route.method;
    const row = table.find((candidate) => candidate.method === method && candidate.url === route.url);
    if (!row) continue;
    if (row.requiresAuthentication !== (route.config.requiresAuthentication === true)) {
      problems.push(`${route.method} ${route.url}: the table says requiresAuthentication=${row.requiresAuthentication}`);
    }
    if (route.config.requiredScope !== undefined && row.scope !== route.config.requiredScope) {
      problems.push(`${route.method} ${route.url}: the route needs ${route.config.requiredScope}, the table says ${row.scope}`);
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

test('the security matrix covers every API route as registered', async (t) => {
  const server = await startTestServer(t);
  assert.deepEqual(uncoveredRoutes(server.app.registeredRoutes, PROTECTED_ROUTES), []);

  // The guard itself fails on a route the table does not list, on a page declaring what only the API enforces, and
  // on a scope the table gets wrong.
  const extra: RegisteredRoute[] = [
    ...server.app.registeredRoutes,
    { method: 'GET', url: `${API}/user/keys`, config: {} },
    { method: 'POST', url: '/settings/secret-thing', config: { requiresAuthentication: true } },
  ];
  assert.deepEqual(uncoveredRoutes(extra, PROTECTED_ROUTES), [
    `GET ${API}/user/keys is not in the api security matrix`,
    'POST /settings/secret-thing declares authentication or a scope outside the API, where nothing enforces it',
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
  const { valid, lacking, othersToken: otherUsers, expired, deleted, replaced, suspended } = await createCredentialFixture(server, clock, { owner, other }, allNeeded);

  /** Each case: the Authorization header per scheme; `undefined` sends none. */
  const badCredentialCases: Array<[string, (scheme: Scheme) => string]> = [
    ['malformed header', (scheme) => ({ token: `token ${valid} extra`, Bearer: 'Bearer', Basic: `Basic ${Buffer.from('no-colon-here').toString('base64')}` })[scheme]],
    ['malformed token', (scheme) => present(scheme, owner.username, 'tsp_tooShort')],
    ['unknown token', (scheme) => present(scheme, owner.username, unissuedToken())],
    ['bad checksum', (scheme) => present(scheme, owner.username, withBadChecksum(valid))],
    ['expired token', (scheme) => present(scheme, owner.username, expired)],
    ['deleted token', (scheme) => present(scheme, owner.username, deleted)],
    ['regenerated token (old secret)', (scheme) => present(scheme, owner.username, replaced)],
    ['token of a suspended user', (scheme) => present(scheme, `${owner.username}-suspended`, suspended)],
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
            if (method !== 'HEAD') assert.deepEqual(answer.body, { ...BAD_CREDENTIALS, documentation_url: helpUrl(server, 'stopsWorking') }, label);
            assert.equal(answer.oauthScopes, null, `${label}: no scopes for a refused credential`);
            continue;
          }
          assert.equal(answer.status, route.expected[routeCase], `${label}: ${answer.text}`);
          if (method === 'HEAD') {
            assert.equal(answer.text, '', `${label}: HEAD has no body`);
            continue;
          }
          assert.equal(answer.oauthScopes, scopes, `${label}: X-OAuth-Scopes`);
          if (answer.status === 401) assert.deepEqual(answer.body, { ...REQUIRES_AUTHENTICATION, documentation_url: helpUrl(server, 'api') }, label);
          // A 404 that names the missing scope links to that scope's entry on the help page.
          const notFound = route.notFoundBody ? { ...route.notFoundBody, documentation_url: helpUrl(server, { scope: route.scope! }) } : { ...NOT_FOUND, documentation_url };
          if (answer.status === 404) assert.deepEqual(answer.body, notFound, label);
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
