/**
 * Every organization endpoint, and every status it can answer, against GitHub's published OpenAPI description (the
 * GHES one, which also has `POST /admin/organizations`), through Octokit and plain fetch. A guard fails when an
 * organization route is registered that this test does not exercise (test/http/contract.test.ts leaves them here).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { addMember } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import { contractViolation, descriptionVersion, type RecordedResponse, recordingFetch, statusesSeen } from '../helpers/openapi-contract.ts';
import { startTestServer } from '../helpers/server.ts';

const API = '/api/v3';

const EXPECTED_STATUSES: Record<string, number[]> = {
  'GET /orgs/{org}': [200, 304, 404],
  'GET /user/orgs': [200, 304, 401, 403, 422],
  'GET /users/{username}/orgs': [200, 404, 422],
  'GET /orgs/{org}/members': [200, 404, 422],
  'GET /orgs/{org}/memberships/{username}': [200, 401, 403, 404],
  'PUT /orgs/{org}/memberships/{username}': [200, 400, 401, 403, 404, 422],
  'DELETE /orgs/{org}/memberships/{username}': [204, 401, 403, 404, 422],
  'GET /user/memberships/orgs': [200, 401, 403, 422],
  'GET /orgs/{org}/repos': [200, 404, 422],
  'POST /orgs/{org}/repos': [201, 400, 401, 403, 404, 422],
  'POST /admin/organizations': [201, 401, 403, 404, 422],
};

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

test(`organization endpoints conform to GitHub's OpenAPI description (GHES ${descriptionVersion()}), every status`, async (t) => {
  const recorded: RecordedResponse[] = [];
  const call = recordingFetch(recorded);
  const server = await startTestServer(t, { config: { siteAdmins: ['root'] }, rateLimits: { failedAuthenticationsPerHour: 0 } });
  const [mona, hubot, root] = await Promise.all(['mona', 'hubot', 'root'].map((username) => server.createUser({ username })));
  const created = await createOrganization(server.deps, sessionPrincipal(mona!), { login: 'acme', admin: mona!, description: 'Rockets' }, {});
  assert.ok(created.ok);
  assert.ok((await addMember(server.deps, sessionPrincipal(mona!), created.organization, 'hubot', 'member', {})).ok);
  assert.ok((await createRepository(server.deps, sessionPrincipal(mona!), created.organization.owner, { name: 'vault', private: true })).ok);
  const owner = await server.createToken(mona!, { scopes: ['repo', 'admin:org'] });
  const member = await server.createToken(hubot!, { scopes: ['repo', 'read:org'] });
  const lacking = await server.createToken(hubot!, { scopes: ['gist'] });
  const rootToken = await server.createToken(root!, { scopes: ['admin:org'] });
  const rootLacking = await server.createToken(root!, { scopes: ['repo'] });

  const send = async (method: string, path: string, token?: string, body?: string, headers: Record<string, string> = {}) => {
    const response = await call(`${server.apiUrl}${path}`, {
      method,
      headers: { ...(token && { authorization: `token ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { body }),
    });
    await response.arrayBuffer();
    return response;
  };

  // The usual calls, as Octokit makes them.
  const octokit = new Octokit({ baseUrl: server.apiUrl, auth: owner, log: quiet, request: { fetch: call } });
  await octokit.rest.orgs.get({ org: 'acme' });
  await octokit.rest.orgs.listForAuthenticatedUser();
  await octokit.rest.orgs.listForUser({ username: 'mona' });
  await octokit.rest.orgs.listMembers({ org: 'acme', role: 'all' });
  await octokit.rest.orgs.getMembershipForUser({ org: 'acme', username: 'hubot' });
  await octokit.rest.orgs.listMembershipsForAuthenticatedUser({ state: 'active' });
  await octokit.rest.repos.listForOrg({ org: 'acme', type: 'all', sort: 'full_name' });
  await octokit.rest.repos.createInOrg({ org: 'acme', name: 'launchpad', private: true, description: 'Made by Octokit' });
  const adminOctokit = new Octokit({ baseUrl: server.apiUrl, auth: rootToken, log: quiet, request: { fetch: call } });
  await adminOctokit.request('POST /admin/organizations', { login: 'globex', admin: 'hubot', profile_name: 'Globex' });
  await octokit.rest.orgs.setMembershipForUser({ org: 'acme', username: 'root', role: 'member' });
  await octokit.rest.orgs.setMembershipForUser({ org: 'acme', username: 'root', role: 'admin' });
  await octokit.rest.orgs.removeMembershipForUser({ org: 'acme', username: 'root' });

  // Every other status.
  const org = await send('GET', '/orgs/acme');
  await send('GET', '/orgs/acme', undefined, undefined, { 'if-none-match': org.headers.get('etag')! });
  await send('GET', '/orgs/nothing-here');
  const mine = await send('GET', '/user/orgs', member);
  await send('GET', '/user/orgs', member, undefined, { 'if-none-match': mine.headers.get('etag')! });
  await send('GET', '/user/orgs');
  await send('GET', '/user/orgs', lacking);
  await send('GET', '/user/orgs?per_page=1000', member);
  await send('GET', '/users/nobody/orgs');
  await send('GET', '/users/mona/orgs?page=0');
  await send('GET', '/orgs/acme/members', member);
  await send('GET', '/orgs/nothing-here/members');
  await send('GET', '/orgs/acme/members?filter=2fa_disabled', member);
  await send('GET', '/orgs/acme/memberships/mona');
  await send('GET', '/orgs/acme/memberships/mona', lacking);
  await send('GET', '/orgs/acme/memberships/mona', rootToken);
  await send('GET', '/orgs/acme/memberships/root', member);
  await send('GET', '/user/memberships/orgs', member);
  await send('GET', '/user/memberships/orgs');
  await send('GET', '/user/memberships/orgs', lacking);
  await send('GET', '/user/memberships/orgs?state=gone', member);
  await send('GET', '/orgs/acme/repos', member);
  await send('GET', '/orgs/nothing-here/repos');
  await send('GET', '/orgs/acme/repos?sort=stars');
  await send('POST', '/orgs/acme/repos', member, '{"name":"public-one"}');
  await send('POST', '/orgs/acme/repos', member, '{"name":');
  await send('POST', '/orgs/acme/repos', undefined, '{"name":"x"}');
  await send('POST', '/orgs/acme/repos', rootToken.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a')), '{"name":"x"}');
  await send('POST', '/orgs/acme/repos', rootLacking, '{"name":"intruder"}');
  await send('POST', '/orgs/acme/repos', lacking, '{"name":"under-scoped"}');
  await send('POST', '/orgs/nothing-here/repos', member, '{"name":"x"}');
  await send('POST', '/orgs/acme/repos', member, '{"name":"bad name!"}');
  await send('PUT', '/orgs/acme/memberships/root', member, '{"role":"admin"}');
  await send('PUT', '/orgs/acme/memberships/root');
  await send('PUT', '/orgs/acme/memberships/root', owner, '{"role":');
  assert.equal((await send('PUT', '/orgs/acme/memberships/root', owner)).status, 200, 'no body: a member');
  await send('PUT', '/orgs/acme/memberships/nobody', owner, '{}');
  await send('PUT', '/orgs/acme/memberships/root', owner, '{"role":"boss"}');
  await send('PUT', '/orgs/acme/memberships/mona', owner, '{"role":"member"}');
  await send('DELETE', '/orgs/acme/memberships/mona', owner);
  await send('DELETE', '/orgs/acme/memberships/hubot', rootToken);
  await send('DELETE', '/orgs/acme/memberships/hubot');
  await send('DELETE', '/orgs/acme/memberships/root', owner);
  await send('DELETE', '/orgs/acme/memberships/root', owner);
  await send('POST', '/admin/organizations', undefined, '{"login":"x","admin":"mona"}');
  await send('POST', '/admin/organizations', rootLacking, '{"login":"x","admin":"mona"}');
  await send('POST', '/admin/organizations', owner, '{"login":"x","admin":"mona"}');
  await send('POST', '/admin/organizations', rootToken, '{"login":"acme","admin":"mona"}');

  // The login namespace is shared: GET /users/{org} finds the organization, in the user shape with its type.
  const asUser = await octokit.rest.users.getByUsername({ username: 'acme' });
  assert.deepEqual([asUser.data.login, asUser.data.type, asUser.data.public_repos, asUser.data.bio], ['acme', 'Organization', 1, 'Rockets']);
  assert.equal((await send('GET', '/users/nothing-here')).status, 404);

  const violations = recorded.map(contractViolation).filter((violation) => violation !== undefined);
  assert.deepEqual(violations, [], 'every response conforms');
  const seen = statusesSeen(recorded);
  for (const [operation, statuses] of Object.entries(EXPECTED_STATUSES)) {
    assert.deepEqual(statuses.filter((status) => !seen.get(operation)?.has(status)), [], `${operation}: statuses not exercised`);
  }
  const organizationRoutes = server.app.registeredRoutes
    .filter((route) => route.method !== 'HEAD' && /^\/api\/v3\/(orgs\/|user\/orgs$|users\/:username\/orgs$|user\/memberships\/|admin\/)/.test(route.url))
    // SAML credential authorizations are GitHub Enterprise Cloud's: organization-sso-contract.test.ts checks them.
    .filter((route) => !route.url.includes('/credential-authorizations'))
    .map((route) => `${route.method} ${route.url.slice(API.length).replace(/:([^/]+)/g, '{$1}')}`);
  assert.deepEqual(organizationRoutes.filter((operation) => !EXPECTED_STATUSES[operation]), [], 'every organization route is in this test');
});
