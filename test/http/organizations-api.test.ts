/**
 * Organizations through the REST API, as a client sees them: who sees which members and memberships, the scopes each
 * endpoint asks for, organization repositories (private ones to members with `repo`), and GHES's
 * `POST /admin/organizations` for site administrators alone. Every answer is also checked against GitHub's OpenAPI
 * description; test/http/organizations-contract.test.ts covers every status of every operation.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, setOwnMembershipVisibility } from '../../src/domain/organization-members.ts';
import { createOrganization, type Organization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import { listSecurityEvents } from '../../src/domain/security-log.ts';
import { contractViolation, recordingFetch, type RecordedResponse } from '../helpers/openapi-contract.ts';
import { startTestServer } from '../helpers/server.ts';

async function setUp(t: TestContext) {
  const server = await startTestServer(t, { config: { siteAdmins: ['root'] } });
  const recorded: RecordedResponse[] = [];
  const call = recordingFetch(recorded);
  t.after(() => assert.deepEqual(recorded.map(contractViolation).filter(Boolean), [], 'every answer conforms to GitHub\'s description'));
  const [mona, hubot, stranger, root] = await Promise.all(['mona', 'hubot', 'stranger', 'root'].map((username) => server.createUser({ username })));
  const created = await createOrganization(server.deps, sessionPrincipal(mona!), { login: 'acme', admin: mona!, name: 'Acme Inc.' }, {});
  assert.ok(created.ok);
  const acme: Organization = created.organization;
  assert.ok((await addMember(server.deps, sessionPrincipal(mona!), acme, 'hubot', 'member', {})).ok);
  const get = async (path: string, token?: string, init: RequestInit = {}) => {
    const response = await call(`${server.apiUrl}${path}`, {
      ...init, headers: { ...(token && { authorization: `Bearer ${token}` }), ...(init.body !== undefined && { 'content-type': 'application/json' }) },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) as any : undefined, headers: response.headers };
  };
  const post = (path: string, token: string, body: unknown) => get(path, token, { method: 'POST', body: JSON.stringify(body) });
  return { server, acme, mona: mona!, hubot: hubot!, stranger: stranger!, root: root!, get, post };
}

const logins = (body: Array<{ login: string }>) => body.map((item) => item.login);

test('GET /orgs/{org}: anyone sees the profile; owners acting with admin:org see private counts too', async (t) => {
  const { server, acme, mona, get } = await setUp(t);
  await createRepository(server.deps, sessionPrincipal(mona), acme.owner, { name: 'rockets', private: true });
  await createRepository(server.deps, sessionPrincipal(mona), acme.owner, { name: 'website', private: false });
  const anonymous = await get('/orgs/ACME');
  assert.equal(anonymous.status, 200);
  assert.equal(anonymous.body.login, 'acme');
  assert.equal(anonymous.body.name, 'Acme Inc.');
  assert.equal(anonymous.body.type, 'Organization');
  assert.equal(anonymous.body.public_repos, 1);
  assert.equal(anonymous.body.html_url, `${server.baseUrl}/acme`);
  assert.equal(anonymous.body.total_private_repos, undefined);
  const readOnly = await get('/orgs/acme', await server.createToken(mona, { scopes: ['read:org'] }));
  assert.equal(readOnly.body.total_private_repos, undefined, 'read:org is not enough for the owner\'s view');
  const owner = await get('/orgs/acme', await server.createToken(mona, { scopes: ['admin:org'] }));
  assert.equal(owner.body.total_private_repos, 1);
  assert.equal(owner.body.members_can_create_repositories, true);
  assert.equal((await get('/orgs/mona')).status, 404, 'a user is not an organization');
  assert.equal((await get('/orgs/nothing-here')).status, 404);
});

test('GET /user/orgs and /user/memberships/orgs need read:org or higher; GET /users/{u}/orgs shows public memberships', async (t) => {
  const { server, acme, hubot, get } = await setUp(t);
  const repoOnly = await get('/user/orgs', await server.createToken(hubot, { scopes: ['repo', 'user'] }));
  assert.equal(repoOnly.status, 403);
  assert.match(repoOnly.body.message, /It needs 'read:org' or 'write:org' or 'admin:org'/);
  assert.equal(repoOnly.headers.get('x-accepted-oauth-scopes'), 'read:org, write:org, admin:org');
  for (const scope of ['read:org', 'write:org', 'admin:org']) {
    const token = await server.createToken(hubot, { scopes: [scope] });
    assert.deepEqual(logins((await get('/user/orgs', token)).body), ['acme'], scope);
  }
  const token = await server.createToken(hubot, { scopes: ['read:org'] });
  const memberships = await get('/user/memberships/orgs', token);
  assert.deepEqual(memberships.body.map((m: any) => [m.organization.login, m.role, m.state, m.user.login]), [['acme', 'member', 'active', 'hubot']]);
  assert.deepEqual((await get('/user/memberships/orgs?state=pending', token)).body, []);
  assert.equal((await get('/user/memberships/orgs', await server.createToken(hubot, { scopes: ['repo'] }))).status, 403);

  assert.deepEqual((await get('/users/hubot/orgs')).body, [], 'a membership is concealed until its member shows it');
  assert.ok((await setOwnMembershipVisibility(server.deps, sessionPrincipal(hubot), acme, true)).ok);
  assert.deepEqual(logins((await get('/users/HUBOT/orgs')).body), ['acme']);
  assert.equal((await get('/users/nobody/orgs')).status, 404);
});

test('GET /orgs/{org}/members and /memberships/{username}: members see everyone, others the public members only', async (t) => {
  const { server, acme, mona, hubot, stranger, get } = await setUp(t);
  const memberToken = await server.createToken(hubot, { scopes: ['read:org'] });
  const memberWithoutReadOrg = await server.createToken(hubot, { scopes: ['repo'] });
  const strangerToken = await server.createToken(stranger, { scopes: ['read:org'] });
  assert.deepEqual(logins((await get('/orgs/acme/members', memberToken)).body), ['hubot', 'mona']);
  assert.deepEqual(logins((await get('/orgs/acme/members?role=admin', memberToken)).body), ['mona']);
  assert.deepEqual((await get('/orgs/acme/members', memberWithoutReadOrg)).body, [], 'concealed members need read:org');
  assert.deepEqual((await get('/orgs/acme/members', strangerToken)).body, []);
  assert.ok((await setOwnMembershipVisibility(server.deps, sessionPrincipal(mona), acme, true)).ok);
  assert.deepEqual(logins((await get('/orgs/acme/members')).body), ['mona']);
  assert.deepEqual(logins((await get('/orgs/acme/members?per_page=1&page=2', memberToken)).body), ['mona']);

  const filtered = await get('/orgs/acme/members?filter=2fa_disabled', memberToken);
  assert.equal(filtered.status, 422, 'the 2FA filters are for owners');
  const ownerToken = await server.createToken(mona, { scopes: ['admin:org'] });
  assert.deepEqual(logins((await get('/orgs/acme/members?filter=2fa_disabled', ownerToken)).body), ['hubot', 'mona']);
  assert.deepEqual((await get('/orgs/acme/members?filter=2fa_insecure', ownerToken)).body, []);

  const membership = await get('/orgs/acme/memberships/mona', memberToken);
  assert.deepEqual([membership.status, membership.body.role, membership.body.user.login, membership.body.url],
    [200, 'admin', 'mona', `${server.apiUrl}/orgs/acme/memberships/mona`]);
  const refused = await get('/orgs/acme/memberships/mona', strangerToken);
  assert.deepEqual([refused.status, refused.body.message], [403, 'You must be a member of acme to see membership information for mona.']);
  assert.equal((await get('/orgs/acme/memberships/stranger', strangerToken)).status, 404, 'their own: not a member');
  assert.equal((await get('/orgs/acme/memberships/nobody', memberToken)).status, 404);
  assert.equal((await get('/orgs/acme/memberships/mona', memberWithoutReadOrg)).status, 403);
  assert.equal((await get('/orgs/acme/memberships/mona')).status, 401);
});

test('organization repositories: members create them; private ones are listed and read by members with repo only', async (t) => {
  const { server, mona, hubot, stranger, get, post } = await setUp(t);
  const memberRepo = await server.createToken(hubot, { scopes: ['repo'] });
  const memberPublicRepo = await server.createToken(hubot, { scopes: ['public_repo', 'read:org'] });
  const made = await post('/orgs/acme/repos', memberRepo, { name: 'rockets', private: true, description: 'Secret' });
  assert.equal(made.status, 201);
  assert.deepEqual([made.body.full_name, made.body.private, made.body.owner.type, made.body.permissions.admin, made.body.permissions.push],
    ['acme/rockets', true, 'Organization', false, true], 'a member pushes but does not administer');
  assert.equal((await post('/orgs/acme/repos', memberPublicRepo, { name: 'website' })).status, 201);
  const lacking = await post('/orgs/acme/repos', memberPublicRepo, { name: 'secret', private: true });
  assert.deepEqual([lacking.status, lacking.body.message], [404, 'Your token has not been granted the required scopes to execute this query. It needs \'repo\'.']);
  const outsider = await post('/orgs/acme/repos', await server.createToken(stranger, { scopes: ['repo'] }), { name: 'intrusion' });
  assert.equal(outsider.status, 403);
  assert.equal((await post('/orgs/nothing-here/repos', memberRepo, { name: 'x' })).status, 404);
  assert.equal((await post('/orgs/acme/repos', memberRepo, { name: 'Rockets' })).status, 422, 'names are unique per owner');

  const names = (body: Array<{ name: string }>) => body.map((repository) => repository.name);
  assert.deepEqual(names((await get('/orgs/acme/repos')).body), ['website']);
  assert.deepEqual(names((await get('/orgs/acme/repos', memberPublicRepo)).body), ['website'], 'private ones need repo');
  assert.deepEqual(names((await get('/orgs/acme/repos', memberRepo)).body), ['website', 'rockets'], 'newest first');
  assert.deepEqual(names((await get('/orgs/acme/repos?sort=full_name', memberRepo)).body), ['rockets', 'website']);
  assert.deepEqual(names((await get('/orgs/acme/repos?sort=full_name&direction=desc', memberRepo)).body), ['website', 'rockets']);
  assert.deepEqual(names((await get('/orgs/acme/repos?type=private', memberRepo)).body), ['rockets']);
  assert.deepEqual(names((await get('/orgs/acme/repos?type=forks', memberRepo)).body), []);
  const asOwner = (await get('/orgs/acme/repos?type=private', await server.createToken(mona, { scopes: ['repo'] }))).body;
  assert.equal(asOwner[0].permissions.admin, true, 'an owner administers every repository');
  assert.equal((await get('/repos/acme/rockets', memberRepo)).status, 200);
  assert.equal((await get('/repos/acme/rockets', await server.createToken(stranger, { scopes: ['repo'] }))).status, 404);
  assert.equal((await get('/orgs/acme/repos?type=everything')).status, 422);
});

test('POST /admin/organizations: site administrators with admin:org; a 404 to everyone else', async (t) => {
  const { server, mona, root, get, post } = await setUp(t);
  const body = { login: 'Globex', admin: 'mona', profile_name: 'Globex Corporation' };
  const normal = await post('/admin/organizations', await server.createToken(mona, { scopes: ['admin:org'] }), body);
  assert.deepEqual([normal.status, normal.body.message], [404, 'Not Found']);
  const underScoped = await post('/admin/organizations', await server.createToken(root, { scopes: ['repo', 'write:org'] }), body);
  assert.equal(underScoped.status, 403);
  assert.equal(underScoped.headers.get('x-accepted-oauth-scopes'), 'admin:org');
  const rootToken = await server.createToken(root, { scopes: ['admin:org'] });
  const created = await post('/admin/organizations', rootToken, body);
  assert.equal(created.status, 201);
  assert.deepEqual([created.body.login, created.body.url], ['Globex', `${server.apiUrl}/orgs/Globex`]);
  assert.equal((await get('/orgs/globex')).body.name, 'Globex Corporation');
  const [event] = (await listSecurityEvents(server.deps, mona, { page: 1, perPage: 1 })).events;
  assert.deepEqual([event?.kind, event?.actor, event?.organizationLogin], ['organization.created', 'admin', 'Globex']);

  const failures = await Promise.all([
    post('/admin/organizations', rootToken, { login: 'globex', admin: 'mona' }),
    post('/admin/organizations', rootToken, { login: 'hubot', admin: 'mona' }),
    post('/admin/organizations', rootToken, { login: 'new-org', admin: 'nobody' }),
    post('/admin/organizations', rootToken, { login: '-bad', admin: 'mona' }),
  ]);
  assert.deepEqual(failures.map((failure) => [failure.status, failure.body.errors?.[0]?.field, failure.body.errors?.[0]?.code]), [
    [422, 'login', 'already_exists'], [422, 'login', 'already_exists'], [422, 'admin', 'invalid'], [422, 'login', 'invalid'],
  ]);
  assert.equal((await post('/admin/organizations', rootToken, { login: 'x' })).status, 422, 'admin is required');
});

test('PUT and DELETE /orgs/{org}/memberships/{username}: owners with write:org add, promote and remove; the last owner stays', async (t) => {
  const { server, mona, hubot, get } = await setUp(t);
  const send = (method: string, path: string, token: string, body?: unknown) =>
    get(path, token, { method, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const owner = await server.createToken(mona, { scopes: ['write:org'] });
  const added = await send('PUT', '/orgs/acme/memberships/stranger', owner, {});
  assert.deepEqual([added.status, added.body.role, added.body.state, added.body.user.login], [200, 'member', 'active', 'stranger']);
  const promoted = await send('PUT', '/orgs/acme/memberships/stranger', owner, { role: 'admin' });
  assert.equal(promoted.body.role, 'admin');
  const readOnly = await send('PUT', '/orgs/acme/memberships/hubot', await server.createToken(mona, { scopes: ['read:org'] }), { role: 'admin' });
  assert.deepEqual([readOnly.status, readOnly.headers.get('x-accepted-oauth-scopes')], [403, 'write:org, admin:org']);
  const byMember = await send('PUT', '/orgs/acme/memberships/hubot', await server.createToken(hubot, { scopes: ['write:org'] }), { role: 'admin' });
  assert.deepEqual([byMember.status, byMember.body.message], [403, 'You must be an owner of acme to change its memberships.']);

  assert.equal((await send('DELETE', '/orgs/acme/memberships/stranger', owner)).status, 204);
  assert.equal((await send('DELETE', '/orgs/acme/memberships/stranger', owner)).status, 404, 'no longer a member');
  const lastOwner = await send('DELETE', '/orgs/acme/memberships/mona', owner);
  assert.deepEqual([lastOwner.status, lastOwner.body.message], [422, 'This is the last owner of acme: make another member an owner first.']);
  assert.equal((await send('DELETE', '/orgs/acme/memberships/hubot', await server.createToken(hubot, { scopes: ['write:org'] }))).status, 204,
    'a member leaves');
  assert.deepEqual(logins((await get('/orgs/acme/members', owner)).body), ['mona']);
});
