/**
 * GraphQL over many repositories and at the rate limit: cursor pagination past 100 both ways, nested connections, and
 * a used-up `graphql` window.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ask, insertRepositories } from '../helpers/graphql.ts';
import { startTestServer } from '../helpers/server.ts';
import { GH_REPOSITORY_LIST_OF_OWNER, GH_USER_CURRENT } from './gh-queries.ts';

test('pagination over more than 100 repositories with cursors, both ways', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'many-owner' });
  const token = `token ${await server.createToken(owner, { scopes: ['repo'] })}`;
  const names = Array.from({ length: 130 }, (_, index) => `repo-${String(index).padStart(3, '0')}`);
  await insertRepositories(server, owner.id, names.filter((_, index) => index % 10 !== 0), false);
  await insertRepositories(server, owner.id, names.filter((_, index) => index % 10 === 0), true);

  const seen: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const answer = await ask(server, token, GH_REPOSITORY_LIST_OF_OWNER.replace('PUSHED_AT, direction: DESC', 'NAME, direction: ASC'), { perPage: 50, owner: 'many-owner', endCursor: after });
    const repositories = answer.body.data.repositoryOwner.repositories;
    assert.equal(repositories.totalCount, 130);
    seen.push(...repositories.nodes.map((node: { nameWithOwner: string }) => node.nameWithOwner.split('/')[1]));
    pages += 1;
    if (!repositories.pageInfo.hasNextPage) break;
    after = repositories.pageInfo.endCursor;
  }
  assert.equal(pages, 3);
  assert.deepEqual(seen, names);

  const edges = await ask(server, token, '{ viewer { repositories(first: 100, privacy: PUBLIC, orderBy: {field: NAME, direction: DESC}) { totalCount edges { cursor node { name } } pageInfo { hasNextPage hasPreviousPage endCursor } } } }');
  const publicPage = edges.body.data.viewer.repositories;
  assert.equal(publicPage.totalCount, 117);
  assert.equal(publicPage.edges.length, 100);
  assert.equal(publicPage.edges[0].node.name, 'repo-129');
  assert.deepEqual([publicPage.pageInfo.hasNextPage, publicPage.pageInfo.hasPreviousPage], [true, false]);
  const back = await ask(server, token, 'query($before: String) { viewer { repositories(last: 2, before: $before, privacy: PUBLIC, orderBy: {field: NAME, direction: DESC}) { nodes { name } } } }', { before: publicPage.pageInfo.endCursor });
  assert.deepEqual(back.body.data.viewer.repositories.nodes, [{ name: publicPage.edges[97].node.name }, { name: publicPage.edges[98].node.name }]);
  // Nested connections over the same owner read its repositories once per request (context.repositoriesByOwner).
  const nested = await ask(server, token, '{ viewer { repositories(first: 100) { nodes { owner { repositories(first: 1) { totalCount } } } } } }');
  const counts = nested.body.data.viewer.repositories.nodes.map((node: { owner: { repositories: { totalCount: number } } }) => node.owner.repositories.totalCount);
  assert.deepEqual(new Set(counts), new Set([130]));
  assert.equal(counts.length, 100);
  const tooMany = await ask(server, token, 'query($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: Array.from({ length: 101 }, () => 'MDQ6VXNlcjE=') });
  assert.equal(tooMany.body.errors![0]!.type, 'EXCESSIVE_PAGINATION');
  const badCursor = await ask(server, token, '{ viewer { repositories(first: 1, after: "bm9wZQ==") { totalCount } } }');
  assert.equal(badCursor.body.errors![0]!.type, 'INVALID_CURSOR_ARGUMENTS');
});

test('the graphql window used up: 200 with RATE_LIMITED, as Octokit\'s throttling expects; REST\'s core window untouched', async (t) => {
  const server = await startTestServer(t, { rateLimits: { graphqlPointsPerHour: 2, authenticatedPerHour: 100 } });
  const owner = await server.createUser({ username: 'limited' });
  const token = `token ${await server.createToken(owner, { scopes: ['repo'] })}`;
  assert.equal((await ask(server, token, GH_USER_CURRENT)).headers['x-ratelimit-remaining'], '1');
  assert.equal((await ask(server, token, GH_USER_CURRENT)).headers['x-ratelimit-remaining'], '0');
  const refused = await ask(server, token, GH_USER_CURRENT);
  assert.equal(refused.status, 200);
  assert.deepEqual(refused.body, { errors: [{ type: 'RATE_LIMITED', message: `API rate limit exceeded for user ID ${owner.id}.` }] });
  assert.equal(refused.headers['x-ratelimit-resource'], 'graphql');
  const rest = await fetch(`${server.apiUrl}/user`, { headers: { authorization: token } });
  assert.equal(rest.status, 200);
  assert.equal(rest.headers.get('x-ratelimit-used'), '1');
  const report = await (await fetch(`${server.apiUrl}/rate_limit`, { headers: { authorization: token } })).json() as {
    resources: Record<string, { limit: number; used: number; remaining: number }>;
  };
  assert.deepEqual([report.resources.graphql?.limit, report.resources.graphql?.used, report.resources.graphql?.remaining], [2, 2, 0]);
  assert.deepEqual([report.resources.core?.limit, report.resources.core?.used], [100, 1]);
});
