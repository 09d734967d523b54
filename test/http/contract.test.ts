/**
 * Every REST endpoint, and every status it can answer, against GitHub's published OpenAPI description: real calls
 * over HTTP (plain fetch and Octokit, both through one recording fetch), then every recorded response validated
 * against the schema of its operation and status (test/helpers/openapi-contract.ts). A failure names the operation,
 * the status and the first deviating field. A guard fails when a registered route, or a status listed here, was not
 * exercised, so a new endpoint or a new refusal cannot escape the contract.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import {
  contractViolation, descriptionVersion, type RecordedResponse, recordingFetch, statusesSeen,
} from '../helpers/openapi-contract.ts';

const API = '/api/v3';

/** Tessera's own endpoints, which GitHub's description does not have; each has its own tests. */
const TESSERA_ADDITIONS = new Set([
  `GET ${API}/versions`, // api.github.com answers it; the GHES description does not list it.
  `GET ${API}/user/security-log`,
  `GET ${API}/personal_access_tokens/self`,
  `GET ${API}/personal_access_tokens/self/check`,
  `POST ${API}/personal_access_tokens/self/check`,
  `POST ${API}/credentials/revoke`, // github.com's, absent from the GHES description.
]);

/** Organizations' operations: exercised and checked, status by status, by organizations-api.test.ts. */
const CHECKED_IN_ORGANIZATIONS_TEST = /^(GET|POST|PUT|DELETE) \/api\/v3\/(orgs\/|user\/orgs$|users\/:username\/orgs$|user\/memberships\/|admin\/organizations$)/;
/** GitHub Enterprise Cloud's SAML credential authorizations: checked against its description in organization-sso-contract.test.ts. */
const CHECKED_IN_SSO_TEST = /^(GET|DELETE) \/api\/v3\/orgs\/:org\/credential-authorizations/;

/** Every status each GitHub operation can answer here; the test fails if one was not seen. */
const EXPECTED_STATUSES: Record<string, number[]> = {
  'GET /': [200, 304, 400, 401],
  'GET /meta': [200],
  'GET /zen': [200],
  'GET /octocat': [200],
  'GET /user': [200, 304, 401, 403],
  'PATCH /user': [200, 400, 401, 404, 422],
  'GET /user/emails': [200, 401, 404],
  'GET /user/repos': [200, 401, 422],
  'POST /user/repos': [201, 400, 401, 403, 404, 422],
  'GET /users/{username}': [200, 404],
  'GET /users/{username}/repos': [200, 404, 422],
  'GET /repos/{owner}/{repo}': [200, 304, 404],
  'DELETE /repos/{owner}/{repo}': [204, 401, 403, 404],
  'GET /rate_limit': [200],
};

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

test(`every REST response conforms to GitHub's OpenAPI description (GHES ${descriptionVersion()})`, async (t) => {
  const recorded: RecordedResponse[] = [];
  const call = recordingFetch(recorded);
  const server = await startTestServer(t, { rateLimits: { failedAuthenticationsPerHour: 0 } });
  const alice = await server.createUser({ username: 'contract-alice' });
  const all = await server.createToken(alice, { scopes: ['repo', 'user', 'delete_repo'] });
  const lacking = await server.createToken(alice, { scopes: ['gist'] });
  await server.createRepository(alice, 'public-one', { private: false });
  await server.createRepository(alice, 'secret-one', { private: true });

  const send = (method: string, path: string, options: { token?: string; body?: string; headers?: Record<string, string> } = {}) => call(
    `${server.apiUrl}${path}`,
    {
      method,
      headers: { ...(options.token && { authorization: `token ${options.token}` }), ...options.headers },
      ...(options.body !== undefined && { body: options.body }),
    },
  ).then((response) => response.arrayBuffer().then(() => response));
  const json = { 'content-type': 'application/json' };

  // Discovery.
  for (const path of ['', '/']) await send('GET', path, { token: all });
  const root = await send('GET', '/');
  await send('GET', '/', { headers: { 'if-none-match': root.headers.get('etag')! } });
  await send('GET', '/', { headers: { 'x-github-api-version': '2021-01-01' } });
  await send('GET', '/', { token: 'tsp_not-a-real-token' });
  for (const path of ['/meta', '/zen', '/octocat?s=Hello', '/versions', '/rate_limit']) await send('GET', path, { token: all });

  // Users.
  const me = await send('GET', '/user', { token: all });
  await send('GET', '/user', { token: all, headers: { 'if-none-match': me.headers.get('etag')! } });
  await send('GET', '/user');
  await send('PATCH', '/user', { token: all, body: '{"name":"Alice Contract"}', headers: json });
  await send('PATCH', '/user', { token: all, body: '{"name":5}', headers: json });
  await send('PATCH', '/user', { token: all, body: '{"name":', headers: json });
  await send('PATCH', '/user', { token: lacking, body: '{"name":"x"}', headers: json });
  await send('PATCH', '/user', { body: '{"name":"x"}', headers: json });
  await send('GET', '/user/emails', { token: all });
  await send('GET', '/user/emails', { token: lacking });
  await send('GET', '/user/emails');
  await send('GET', '/users/contract-alice');
  await send('GET', '/users/nobody-here');

  // Repositories.
  await send('GET', '/user/repos', { token: all });
  await send('GET', '/user/repos');
  await send('GET', '/user/repos?per_page=abc', { token: all });
  await send('GET', '/users/contract-alice/repos', { token: all });
  await send('GET', '/users/contract-alice/repos?per_page=1&page=2');
  await send('GET', '/users/nobody-here/repos');
  await send('GET', '/users/contract-alice/repos?page=0');
  await send('POST', '/user/repos', { token: all, body: '{"name":"made-here","private":true}', headers: json });
  await send('POST', '/user/repos', { token: all, body: '{"name":"made-here"}', headers: json });
  await send('POST', '/user/repos', { token: all, body: '{"name":"bad name!"}', headers: json });
  await send('POST', '/user/repos', { token: all, body: '{"name":5}', headers: json });
  await send('POST', '/user/repos', { token: all, body: 'name=form', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  await send('POST', '/user/repos', { token: lacking, body: '{"name":"nope"}', headers: json });
  const limits = server.deps.repositoryLimits!;
  server.deps.repositoryLimits = { ...limits, quota: 1 };
  await send('POST', '/user/repos', { token: all, body: '{"name":"over-quota"}', headers: json });
  server.deps.repositoryLimits = limits;
  await send('POST', '/user/repos', { body: '{"name":"nope"}', headers: json });
  const repository = await send('GET', '/repos/contract-alice/secret-one', { token: all });
  await send('GET', '/repos/contract-alice/secret-one', { token: all, headers: { 'if-none-match': repository.headers.get('etag')! } });
  await send('GET', '/repos/contract-alice/secret-one');
  await send('DELETE', '/repos/contract-alice/made-here', { token: lacking });
  await send('DELETE', '/repos/contract-alice/made-here');
  await send('DELETE', '/repos/contract-alice/made-here', { token: all });
  await send('DELETE', '/repos/contract-alice/made-here', { token: all });

  // Octokit's own calls go through the same recording fetch.
  const octokit = new Octokit({ baseUrl: server.apiUrl, auth: all, log: quiet, request: { fetch: call } });
  await octokit.rest.users.getAuthenticated();
  await octokit.rest.repos.get({ owner: 'contract-alice', repo: 'public-one' });
  await octokit.rest.repos.listForAuthenticatedUser();
  await octokit.rest.repos.listForUser({ username: 'contract-alice' });
  await octokit.rest.rateLimit.get();
  await octokit.rest.meta.get();

  // The rate limit's refusal, on a server whose limit is one request.
  const limited = await startTestServer(t, { rateLimits: { authenticatedPerHour: 1 } });
  const limitedUser = await limited.createUser();
  const limitedToken = await limited.createToken(limitedUser);
  for (let i = 0; i < 2; i++) {
    const response = await call(`${limited.apiUrl}/user`, { headers: { authorization: `token ${limitedToken}` } });
    await response.arrayBuffer();
  }

  assert.ok(recorded.length > 50, `${recorded.length} responses recorded`);
  const violations = recorded.map(contractViolation).filter((violation) => violation !== undefined)
    .filter((violation) => !/no such operation/.test(violation) || !isTesseraAddition(violation));
  assert.deepEqual(violations, [], 'every response conforms');

  const seen = statusesSeen(recorded);
  for (const [operation, statuses] of Object.entries(EXPECTED_STATUSES)) {
    const missing = statuses.filter((status) => !seen.get(operation)?.has(status));
    assert.deepEqual(missing, [], `${operation}: statuses not exercised`);
  }
  assert.deepEqual(uncoveredRoutes(server, seen), [], 'every registered API route is in the contract or a Tessera addition');
});

function isTesseraAddition(violation: string): boolean {
  const [method, path] = violation.split(/[ :]/, 2) as [string, string];
  return [...TESSERA_ADDITIONS].some((addition) => {
    const [additionMethod, url] = addition.split(' ') as [string, string];
    return additionMethod === method && new RegExp(`^${url.replace(/:[^/]+/g, '[^/]+')}(\\?.*)?$`).test(path);
  });
}

function uncoveredRoutes(server: TestServer, seen: Map<string, Set<number>>): string[] {
  const problems: string[] = [];
  for (const route of server.app.registeredRoutes) {
    if (route.method === 'HEAD' || !route.url.startsWith(API)) continue;
    const key = `${route.method} ${route.url}`;
    if (TESSERA_ADDITIONS.has(key) || CHECKED_IN_ORGANIZATIONS_TEST.test(key) || CHECKED_IN_SSO_TEST.test(key)) continue;
    const template = route.url.slice(API.length).replace(/:([^/]+)/g, '{$1}') || '/';
    if (!seen.has(`${route.method} ${template}`)) problems.push(`${key} was not exercised by the contract test`);
    if (!EXPECTED_STATUSES[`${route.method} ${template}`]) problems.push(`${key} has no expected statuses listed`);
  }
  return problems;
}

test('a deviating response fails with the operation, the status and the path of the first deviating field', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'contract-bob' });
  await server.createRepository(user, 'kept', { private: false });
  const response = await fetch(`${server.apiUrl}/users/contract-bob/repos`);
  const repositories = await response.json() as Array<Record<string, unknown>>;
  const recorded = (body: unknown): RecordedResponse => ({
    method: 'GET', path: '/api/v3/users/contract-bob/repos', status: 200, contentType: 'application/json', body: JSON.stringify(body),
  });
  assert.equal(contractViolation(recorded(repositories)), undefined);
  const { owner, ...withoutOwner } = repositories[0]!;
  assert.match(contractViolation(recorded([withoutOwner]))!, /^GET \/users\/\{username\}\/repos 200: \/0 must have required property 'owner'/);
  const wrongType = [{ ...repositories[0], owner: { ...(owner as object), id: 'seven' } }];
  assert.match(contractViolation(recorded(wrongType))!, /^GET \/users\/\{username\}\/repos 200: \/0\/owner\/id must be integer/);
  assert.match(contractViolation({ ...recorded({}), status: 404, body: '{"message":5}' })!, /404: \/message must be string/);
});
