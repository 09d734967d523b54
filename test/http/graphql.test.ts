/**
 * GraphQL at /api/graphql as clients see it: gh 2.23's own queries, Octokit's `graphql` over real HTTP, scopes per
 * field, createRepository, rateLimit, the cost limits and GitHub's error shapes (pagination and the used-up window:
 * graphql-limits.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { ask } from '../helpers/graphql.ts';
import { startTestServer } from '../helpers/server.ts';
import { helpUrl } from '../helpers/api-docs.ts';
import {
  GH_GITHUB_REPO, GH_REPOSITORY_CREATE, GH_REPOSITORY_FIELDS, GH_REPOSITORY_INFO, GH_REPOSITORY_LIST,
  GH_REPOSITORY_LIST_OF_OWNER, GH_USER_CURRENT,
} from './gh-queries.ts';

test('GraphQL over one server: what gh and Octokit ask, and what is refused', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'octo-owner' });
  const other = await server.createUser({ username: 'octo-other' });
  const withRepo = `token ${await server.createToken(owner, { scopes: ['repo'] })}`;
  const publicOnly = `Bearer ${await server.createToken(owner, { scopes: ['public_repo'] })}`;
  const withUser = `token ${await server.createToken(owner, { scopes: ['repo', 'read:user'] })}`;
  const othersToken = `token ${await server.createToken(other, { scopes: ['repo'] })}`;
  await server.createRepository(owner, 'visible', { private: false });
  await server.createRepository(owner, 'secret', { private: true });

  await t.test('gh auth status: viewer { login }, with the token\'s scopes in X-OAuth-Scopes', async () => {
    const answer = await ask(server, withRepo, GH_USER_CURRENT);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { data: { viewer: { login: 'octo-owner' } } });
    assert.equal(answer.headers['x-oauth-scopes'], 'repo');
    assert.equal(answer.headers['x-ratelimit-resource'], 'graphql');
    assert.equal(answer.headers['x-ratelimit-limit'], '5000');
    const expiring = await server.createToken(owner, { scopes: ['repo'], expiresAt: new Date('2099-12-25T10:00:00Z') });
    const warned = await ask(server, `token ${expiring}`, GH_USER_CURRENT);
    assert.equal(warned.headers['github-authentication-token-expiration'], '2099-12-25 10:00:00 UTC');
  });

  await t.test('viewer: the fields clients read, and ids that REST answers as node_id', async () => {
    const answer = await ask(server, withUser, '{ viewer { login name id databaseId email url avatarUrl createdAt isViewer } }');
    const viewer = answer.body.data.viewer;
    assert.equal(viewer.login, 'octo-owner');
    assert.equal(viewer.databaseId, owner.id);
    assert.equal(viewer.email, 'octo-owner@example.test');
    assert.equal(viewer.url, `${server.baseUrl}/octo-owner`);
    assert.equal(viewer.isViewer, true);
    assert.match(viewer.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const rest = await (await fetch(`${server.apiUrl}/user`, { headers: { authorization: withUser } })).json() as { node_id: string; avatar_url: string };
    assert.equal(viewer.id, rest.node_id);
    assert.equal(viewer.avatarUrl, rest.avatar_url);
    const node = await ask(server, withRepo, 'query($id: ID!) { node(id: $id) { __typename ... on User { login } } }', { id: viewer.id });
    assert.deepEqual(node.body.data, { node: { __typename: 'User', login: 'octo-owner' } });
  });

  await t.test('viewer.email needs user:email or read:user, in GitHub\'s words', async () => {
    const answer = await ask(server, withRepo, '{ viewer { login email } }');
    assert.equal(answer.status, 200);
    assert.equal(answer.body.data, null);
    assert.equal(answer.body.errors![0]!.type, 'INSUFFICIENT_SCOPES');
    assert.match(answer.body.errors![0]!.message, /The 'email' field requires one of the following scopes: \['user:email', 'read:user'\], but your token has only been granted the: \['repo'\] scopes/);
  });

  await t.test('repository: private ones need their owner\'s token with repo; others get GitHub\'s NOT_FOUND', async () => {
    const read = (authorization: string, name: string) => ask(server, authorization, GH_REPOSITORY_INFO, { owner: 'octo-owner', name });
    assert.deepEqual((await read(withRepo, 'secret')).body.data.repository, {
      name: 'secret', owner: { id: (await ask(server, withRepo, '{ viewer { id } }')).body.data.viewer.id, login: 'octo-owner' }, description: null,
    });
    for (const authorization of [publicOnly, othersToken]) {
      const refused = await read(authorization, 'secret');
      assert.equal(refused.status, 200);
      assert.deepEqual(refused.body, {
        errors: [{ type: 'NOT_FOUND', message: 'Could not resolve to a Repository with the name \'octo-owner/secret\'.', locations: [{ line: 2, column: 3 }], path: ['repository'] }],
        data: { repository: null },
      });
    }
    assert.equal((await read(othersToken, 'visible')).body.data.repository.name, 'visible');
    const listed = await ask(server, publicOnly, '{ viewer { repositories(first: 10) { totalCount nodes { name } } } }');
    assert.deepEqual(listed.body.data.viewer.repositories, { totalCount: 1, nodes: [{ name: 'visible' }] });
  });

  await t.test('gh repo list and gh repo view: the feature probe and the exact queries', async () => {
    const fields = await ask(server, withRepo, GH_REPOSITORY_FIELDS);
    const names = fields.body.data.Repository.fields.map((field: { name: string }) => field.name);
    assert.ok(names.includes('visibility') && names.includes('pullRequestTemplates'));

    const list = await ask(server, withRepo, GH_REPOSITORY_LIST, { perPage: 30 });
    assert.equal(list.body.errors, undefined);
    const ownerList = list.body.data.repositoryOwner;
    assert.equal(ownerList.login, 'octo-owner');
    assert.equal(ownerList.repositories.totalCount, 2);
    assert.deepEqual(ownerList.repositories.nodes.map((node: { nameWithOwner: string; visibility: string; isPrivate: boolean }) => [node.nameWithOwner, node.visibility, node.isPrivate]).sort(),
      [['octo-owner/secret', 'PRIVATE', true], ['octo-owner/visible', 'PUBLIC', false]]);
    assert.equal(ownerList.repositories.pageInfo.hasNextPage, false);

    const privateOnly = await ask(server, withRepo, GH_REPOSITORY_LIST, { perPage: 30, privacy: 'PRIVATE' });
    assert.deepEqual(privateOnly.body.data.repositoryOwner.repositories.nodes.map((node: { nameWithOwner: string }) => node.nameWithOwner), ['octo-owner/secret']);
    const byOther = await ask(server, othersToken, GH_REPOSITORY_LIST_OF_OWNER, { perPage: 30, owner: 'octo-owner' });
    assert.deepEqual(byOther.body.data.repositoryOwner.repositories.nodes.map((node: { nameWithOwner: string }) => node.nameWithOwner), ['octo-owner/visible']);
    const nobody = await ask(server, withRepo, GH_REPOSITORY_LIST_OF_OWNER, { perPage: 30, owner: 'no-such-owner' });
    assert.deepEqual(nobody.body, { data: { repositoryOwner: null } });

    const clone = await ask(server, withRepo, GH_GITHUB_REPO, { owner: 'octo-owner', name: 'secret' });
    assert.equal(clone.body.errors, undefined);
    assert.equal(clone.body.data.repository.viewerPermission, 'ADMIN');
    assert.equal(clone.body.data.repository.defaultBranchRef.name, 'main');
    assert.equal(clone.body.data.repository.parent, null);
  });

  await t.test('gh repo create: createRepository with the scope its visibility needs', async () => {
    const create = (authorization: string, name: string, visibility: string) => ask(server, authorization, GH_REPOSITORY_CREATE, {
      input: { name, visibility, hasIssuesEnabled: true, hasWikiEnabled: true },
    });
    const made = await create(withRepo, 'made-by-gh', 'PRIVATE');
    assert.equal(made.body.errors, undefined);
    const repository = made.body.data.createRepository.repository;
    assert.deepEqual({ ...repository, id: undefined }, { id: undefined, name: 'made-by-gh', owner: { login: 'octo-owner' }, url: `${server.baseUrl}/octo-owner/made-by-gh` });
    const rest = await (await fetch(`${server.apiUrl}/repos/octo-owner/made-by-gh`, { headers: { authorization: withRepo } })).json() as { node_id: string; private: boolean };
    assert.equal(rest.node_id, repository.id);
    assert.equal(rest.private, true);

    const refused = await create(publicOnly, 'private-without-repo', 'PRIVATE');
    assert.equal(refused.body.errors![0]!.type, 'INSUFFICIENT_SCOPES');
    assert.match(refused.body.errors![0]!.message, /'createRepository' field requires one of the following scopes: \['repo'\]/);
    assert.equal((await create(publicOnly, 'public-with-public-repo', 'PUBLIC')).body.data.createRepository.repository.name, 'public-with-public-repo');
    const twice = await create(withRepo, 'made-by-gh', 'PUBLIC');
    assert.deepEqual(twice.body.errors!.map((error) => [error.type, error.message]), [['UNPROCESSABLE', 'name already exists on this account']]);
    const foreignOwner = await ask(server, othersToken, GH_REPOSITORY_CREATE, { input: { name: 'hijack', visibility: 'PUBLIC', ownerId: repository.id } });
    assert.equal(foreignOwner.body.errors![0]!.type, 'FORBIDDEN');
    const names = (await server.db.selectFrom('repositories').select('name').execute()).map((row) => row.name);
    assert.ok(!names.includes('private-without-repo') && !names.includes('hijack'));
  });

  await t.test('a field Tessera does not serve is named in an error; the rest of the answer stands', async () => {
    const answer = await ask(server, withRepo, '{ viewer { login } repository(owner: "octo-owner", name: "visible") { name issue(number: 1) { title } } }');
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.data, { viewer: { login: 'octo-owner' }, repository: { name: 'visible', issue: null } });
    assert.deepEqual(answer.body.errors!.map((error) => [error.message, error.path]), [
      ["Field 'Repository.issue' is not served by Tessera yet.", ['repository', 'issue']],
    ]);
    const unknown = await ask(server, withRepo, '{ viewer { nickname } }');
    assert.match(unknown.body.errors![0]!.message, /Cannot query field "nickname" on type "User"/);
    assert.deepEqual((await ask(server, withRepo, '{ __typename }')).body, { data: { __typename: 'Query' } });
  });

  await t.test('rateLimit reports the graphql window, and each query costs a point', async () => {
    const query = '{ rateLimit { limit cost remaining resetAt used nodeCount } }';
    const first = (await ask(server, othersToken, query)).body.data.rateLimit;
    const second = await ask(server, othersToken, query);
    const rateLimit = second.body.data.rateLimit;
    assert.equal(rateLimit.limit, 5000);
    assert.equal(rateLimit.cost, 1);
    assert.equal(rateLimit.used, first.used + 1);
    assert.equal(rateLimit.remaining, 5000 - rateLimit.used);
    assert.match(rateLimit.resetAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(second.headers['x-ratelimit-used'], String(rateLimit.used));
    const costly = await ask(server, othersToken, '{ viewer { repositories(first: 100) { nodes { issues(first: 100) { totalCount } } } } rateLimit { cost nodeCount } }');
    assert.deepEqual(costly.body.data.rateLimit, { cost: 1, nodeCount: 10_100 });
  });

  await t.test('cost limits: pagination bounds, node limit and depth, refused before running, in GitHub\'s shape', async () => {
    const refusal = async (query: string) => {
      const answer = await ask(server, withRepo, query);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.data, undefined, 'nothing ran');
      return answer.body.errors![0]!;
    };
    assert.deepEqual(await refusal('{ viewer { repositories { nodes { name } } } }'), {
      type: 'MISSING_PAGINATION_BOUNDARIES', message: 'You must provide a `first` or `last` value to properly paginate the `repositories` connection.',
    });
    assert.deepEqual(await refusal('{ viewer { repositories(first: 101) { nodes { name } } } }'), {
      type: 'EXCESSIVE_PAGINATION', message: 'Requesting 101 records on the `repositories` connection exceeds the `first` limit of 100 records.',
    });
    assert.deepEqual(await refusal('{ viewer { repositories(first: 100) { nodes { issues(first: 100) { nodes { comments(first: 100) { totalCount } } } } } } }'), {
      type: 'MAX_NODE_LIMIT_EXCEEDED', message: 'By the time this query traverses to the comments connection, it is requesting up to 1,010,100 possible nodes which exceeds the maximum limit of 500,000.',
    });
    const deep = `{ viewer { ${'repository(name: "x") { owner { '.repeat(13)}login${' } }'.repeat(13)} } }`;
    assert.equal((await refusal(deep)).type, 'MAX_DEPTH_EXCEEDED');
    const tokens = `{ ${'viewer { login } '.repeat(3000)} }`;
    assert.match((await ask(server, withRepo, tokens)).body.errors![0]!.message, /contains more th.. 10000 tokens/);
    // The full introspection query (as GraphiQL and code generators send it) stays within the limits.
    const { getIntrospectionQuery } = await import('graphql');
    const introspection = await ask(server, withRepo, getIntrospectionQuery());
    assert.equal(introspection.body.errors, undefined);
    assert.ok(introspection.body.data.__schema.types.length > 1000);
  });

  await t.test('credentials: anonymous, bad and password answers, as GitHub words them', async () => {
    const anonymous = await ask(server, undefined, GH_USER_CURRENT);
    assert.equal(anonymous.status, 401);
    assert.deepEqual(anonymous.body, {
      message: 'This endpoint requires you to be authenticated.',
      documentation_url: helpUrl(server, 'api'),
    });
    assert.ok(anonymous.headers['x-ratelimit-limit'], 'a 401 carries the rate-limit headers');
    const bad = await ask(server, 'token tsp_not-a-real-token', GH_USER_CURRENT);
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, { message: 'Bad credentials', documentation_url: helpUrl(server, 'stopsWorking') });
    const password = await ask(server, `Basic ${Buffer.from('octo-owner:hunter22').toString('base64')}`, GH_USER_CURRENT);
    assert.equal(password.status, 401);
    assert.match(password.body.message!, /^Password authentication is not supported/);
  });

  await t.test('bodies: JSON whatever the content type, an unreadable one 400, a missing query named; other paths JSON 404', async () => {
    const asForm = await server.app.inject({
      method: 'POST', url: '/api/graphql', headers: { authorization: withRepo, 'content-type': 'application/x-www-form-urlencoded' },
      payload: JSON.stringify({ query: GH_USER_CURRENT }),
    });
    assert.deepEqual(asForm.json(), { data: { viewer: { login: 'octo-owner' } } });
    const form = await server.app.inject({
      method: 'POST', url: '/api/graphql', headers: { authorization: withRepo, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'query=%7Bviewer%7Blogin%7D%7D',
    });
    assert.equal(form.statusCode, 400);
    assert.equal(form.json().message, 'Problems parsing JSON');
    const noQuery = await server.app.inject({ method: 'POST', url: '/api/graphql', headers: { authorization: withRepo }, payload: { variables: {} } });
    assert.deepEqual(noQuery.json(), { errors: [{ message: 'A query attribute must be specified and must be a string.' }] });
    const post = (payload: unknown) => server.app.inject({ method: 'POST', url: '/api/graphql', headers: { authorization: withRepo }, payload: payload as object });
    const textVariables = await post({ query: 'query($login: String!) { user(login: $login) { login } }', variables: '{"login":"octo-other"}' });
    assert.deepEqual(textVariables.json(), { data: { user: { login: 'octo-other' } } });
    assert.deepEqual((await post({ query: '{ __typename }', variables: '[1' })).json(), { errors: [{ message: 'Variables are invalid JSON.' }] });
    assert.match((await post({ query: '{ __typename }', variables: [1, 2] })).json().errors[0].message, /^Invalid request: /);
    for (const [method, url] of [['GET', '/api/graphql'], ['POST', '/api/graphql/extra'], ['GET', '/api/nothing']] as const) {
      const missing = await server.app.inject({ method, url, headers: { authorization: withRepo } });
      assert.equal(missing.statusCode, 404, `${method} ${url}`);
      assert.equal(missing.json().message, 'Not Found', `${method} ${url}`);
    }
  });

  await t.test('Octokit\'s graphql over real HTTP finds /api/graphql from the REST base URL', async () => {
    const octokit = new Octokit({ baseUrl: server.apiUrl, auth: withRepo.slice('token '.length) });
    const result = await octokit.graphql<{ viewer: { login: string } }>(GH_USER_CURRENT);
    assert.deepEqual(result, { viewer: { login: 'octo-owner' } });
    await assert.rejects(octokit.graphql('{ repository(owner: "octo-owner", name: "absent") { name } }'), (error: Error & { errors?: Array<{ type: string }> }) => {
      assert.equal(error.errors?.[0]?.type, 'NOT_FOUND');
      return true;
    });
  });
});
