/**
 * GraphQL's share of the security matrix (security-matrix.test.ts guards /api/v3): every operation × every credential
 * case × `token`, `Bearer` and Basic, over real HTTP. The answer depends on the credential alone, never on how it was
 * sent (GHSA-cc8w-r4qh-3v65). A guard fails when a route of GraphQL's area (test/helpers/route-areas.ts) is not in
 * matrix/graphql-routes.ts, or when a route under /api belongs to no area.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCredentialFixture, present, SCHEMES, type Scheme, unissuedToken, withBadChecksum } from '../helpers/credential-fixture.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';
import { coverageProblems } from '../helpers/route-areas.ts';
import { GRAPHQL_ROUTES } from './matrix/graphql-routes.ts';
import { helpUrl } from '../helpers/api-docs.ts';

type Case = 'no credential' | 'token lacking the scope' | 'token of another user' | 'valid token';

interface Operation {
  name: string;
  query(scheme: Scheme, caseName: Case): { query: string; variables?: Record<string, unknown> };
  /** What each authenticated case must see: data (with created names made scheme-neutral) or the first error's type. */
  expected: Record<Exclude<Case, 'no credential'>, string>;
}

const OPERATIONS: Operation[] = [
  {
    name: 'viewer', query: () => ({ query: '{ viewer { login } }' }),
    expected: { 'token lacking the scope': 'data', 'token of another user': 'data', 'valid token': 'data' },
  },
  {
    name: 'private repository', query: () => ({ query: '{ repository(owner: "gql-owner", name: "crown-jewels") { name isPrivate } }' }),
    expected: { 'token lacking the scope': 'NOT_FOUND', 'token of another user': 'NOT_FOUND', 'valid token': 'data' },
  },
  {
    name: 'viewer email', query: () => ({ query: '{ viewer { email } }' }),
    expected: { 'token lacking the scope': 'data', 'token of another user': 'data', 'valid token': 'data' },
  },
  {
    name: 'createRepository (private)',
    query: (scheme, caseName) => ({
      query: 'mutation($input: CreateRepositoryInput!) { createRepository(input: $input) { repository { name isPrivate } } }',
      variables: { input: { name: `made-${caseName.replace(/ /g, '-')}-${scheme}`, visibility: 'PRIVATE' } },
    }),
    expected: { 'token lacking the scope': 'INSUFFICIENT_SCOPES', 'token of another user': 'data', 'valid token': 'data' },
  },
];



async function send(server: TestServer, authorization: string | undefined, body: unknown) {
  const response = await fetch(`${server.baseUrl}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization !== undefined && { authorization }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) as Record<string, any>, oauthScopes: response.headers.get('x-oauth-scopes') };
}

test('the GraphQL matrix covers every route of its area, and every route under /api has an area', async (t) => {
  const server = await startTestServer(t);
  assert.deepEqual(coverageProblems(server.app.registeredRoutes, { graphql: GRAPHQL_ROUTES }), []);
  const invented = [{ method: 'POST', url: '/api/graphql/batch' }];
  assert.deepEqual(coverageProblems([...server.app.registeredRoutes, ...invented], { graphql: GRAPHQL_ROUTES }), [
    'POST /api/graphql/batch belongs to no area: give it one in test/helpers/route-areas.ts',
  ]);
});

test('every GraphQL operation × every credential case × token, Bearer and Basic: one answer each', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, {
    clock, rateLimits: { authenticatedPerHour: 100_000, graphqlPointsPerHour: 100_000, anonymousPerHour: 100_000, failedAuthenticationsPerHour: 0 },
  });
  const owner = await server.createUser({ username: 'gql-owner' });
  const other = await server.createUser({ username: 'gql-other' });
  await server.createRepository(owner, 'crown-jewels', { private: true });
  const allNeeded = ['repo', 'user'];
  const { valid, lacking, othersToken, expired, deleted, replaced, suspended } = await createCredentialFixture(server, clock, { owner, other }, allNeeded);

  const badCredentials: Array<[string, (scheme: Scheme) => string]> = [
    ['malformed header', (scheme) => ({ token: `token ${valid} extra`, Bearer: 'Bearer', Basic: `Basic ${Buffer.from('no-colon').toString('base64')}` })[scheme]],
    ['malformed token', (scheme) => present(scheme, owner.username, 'tsp_tooShort')],
    ['unknown token', (scheme) => present(scheme, owner.username, unissuedToken())],
    ['expired token', (scheme) => present(scheme, owner.username, expired)],
    ['deleted token', (scheme) => present(scheme, owner.username, deleted)],
    ['regenerated token (old secret)', (scheme) => present(scheme, owner.username, replaced)],
    ['token of a suspended user', (scheme) => present(scheme, `${owner.username}-suspended`, suspended)],
  ];
  const cases: Array<[Case, (scheme: Scheme) => string | undefined, string | null]> = [
    ['no credential', () => undefined, null],
    ['token lacking the scope', (scheme) => present(scheme, owner.username, lacking), 'gist, read:user'],
    ['token of another user', (scheme) => present(scheme, other.username, othersToken), allNeeded.join(', ')],
    ['valid token', (scheme) => present(scheme, owner.username, valid), allNeeded.join(', ')],
  ];

  let requests = 0;
  for (const operation of OPERATIONS) {
    for (const [name, credential] of badCredentials) {
      for (const scheme of SCHEMES) {
        const answer = await send(server, credential(scheme), operation.query(scheme, 'valid token'));
        requests += 1;
        const label = `${operation.name} with ${name} sent as ${scheme}`;
        assert.equal(answer.status, 401, label);
        assert.deepEqual(answer.body, { message: 'Bad credentials', documentation_url: helpUrl(server, 'stopsWorking') }, label);
        assert.equal(answer.oauthScopes, null, label);
      }
    }
    for (const [caseName, credential, scopes] of cases) {
      const answers = [];
      for (const scheme of SCHEMES) {
        const answer = await send(server, credential(scheme), operation.query(scheme, caseName));
        requests += 1;
        const label = `${operation.name} with ${caseName} sent as ${scheme}: ${answer.text}`;
        assert.doesNotMatch(answer.text, /\bat .*\.[cm]?[jt]s:\d+/, label);
        assert.equal(answer.oauthScopes, scopes, label);
        if (caseName === 'no credential') {
          assert.equal(answer.status, 401, label);
          assert.equal(answer.body.message, 'This endpoint requires you to be authenticated.', label);
        } else {
          assert.equal(answer.status, 200, label);
          const outcome = answer.body.errors ? answer.body.errors[0].type : 'data';
          assert.equal(outcome, operation.expected[caseName], label);
          // The error repeats the name asked for, as GitHub's does; the data never shows the repository.
          if (caseName === 'token of another user') assert.ok(!JSON.stringify(answer.body.data ?? null).includes('crown-jewels'), label);
        }
        // Names made per scheme are the only thing allowed to differ.
        answers.push({ status: answer.status, oauthScopes: answer.oauthScopes, body: answer.text.replace(new RegExp(`-${scheme}"`, 'g'), '-SCHEME"') });
      }
      for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0], `${operation.name} with ${caseName}: the same answer each way`);
    }
  }
  assert.ok(requests > 100, `the matrix sent ${requests} requests`);

  const made = (await server.db.selectFrom('repositories').select(['owner_id', 'name']).where('name', 'like', 'made-%').execute())
    .map((row) => `${row.owner_id === owner.id ? 'owner' : 'other'}:${row.name}`).sort();
  assert.deepEqual(made, [
    ...SCHEMES.map((scheme) => `other:made-token-of-another-user-${scheme}`),
    ...SCHEMES.map((scheme) => `owner:made-valid-token-${scheme}`),
  ].sort());
});
