/**
 * Organizations in GraphQL: `organization(login:)`, `repositoryOwner`, a repository's owner, `node(id:)` and
 * `User.organizations`, showing private repositories and concealed members to members only, as REST does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMember, setOwnMembershipVisibility } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import { ask } from '../helpers/graphql.ts';
import { startTestServer } from '../helpers/server.ts';

const ORGANIZATION = `query($login: String!) {
  organization(login: $login) {
    __typename id login name viewerIsAMember viewerCanAdminister viewerCanCreateRepositories
    repositories(first: 10) { totalCount nodes { name isPrivate isInOrganization viewerPermission owner { __typename login } } }
    membersWithRole(first: 10) { totalCount edges { role node { login } } }
  }
}`;

test('organization(login:) and friends: members see private repositories and concealed members, others do not', async (t) => {
  const server = await startTestServer(t);
  const [mona, hubot, stranger] = await Promise.all(['mona', 'hubot', 'stranger'].map((username) => server.createUser({ username })));
  const created = await createOrganization(server.deps, sessionPrincipal(mona!), { login: 'acme', admin: mona!, name: 'Acme Inc.' }, {});
  assert.ok(created.ok);
  const acme = created.organization;
  assert.ok((await addMember(server.deps, sessionPrincipal(mona!), acme, 'hubot', 'member', {})).ok);
  for (const [name, isPrivate] of [['vault', true], ['website', false]] as const) {
    assert.ok((await createRepository(server.deps, sessionPrincipal(mona!), acme.owner, { name, private: isPrivate })).ok);
  }
  const bearer = async (user: typeof mona, scopes: string[]) => `Bearer ${await server.createToken(user!, { scopes })}`;
  const member = await bearer(hubot, ['repo', 'read:org']);
  const outsider = await bearer(stranger, ['repo', 'read:org']);

  const asMember = (await ask(server, member, ORGANIZATION, { login: 'ACME' })).body.data.organization;
  assert.deepEqual({ ...asMember, repositories: undefined, membersWithRole: undefined }, {
    __typename: 'Organization', id: Buffer.from(`012:Organization${acme.owner.id}`).toString('base64'), login: 'acme',
    name: 'Acme Inc.', viewerIsAMember: true, viewerCanAdminister: false, viewerCanCreateRepositories: true,
    repositories: undefined, membersWithRole: undefined,
  });
  assert.deepEqual(asMember.repositories.nodes.map((r: any) => [r.name, r.isPrivate, r.isInOrganization, r.viewerPermission, r.owner.__typename]), [
    ['vault', true, true, 'WRITE', 'Organization'], ['website', false, true, 'WRITE', 'Organization'],
  ]);
  assert.deepEqual(asMember.membersWithRole.edges.map((e: any) => [e.node.login, e.role]), [['hubot', 'MEMBER'], ['mona', 'ADMIN']]);

  const asOutsider = (await ask(server, outsider, ORGANIZATION, { login: 'acme' })).body.data.organization;
  assert.equal(asOutsider.viewerIsAMember, false);
  assert.deepEqual(asOutsider.repositories.nodes.map((r: any) => [r.name, r.viewerPermission]), [['website', 'READ']]);
  assert.equal(asOutsider.membersWithRole.totalCount, 0, 'concealed members are not shown');
  assert.ok((await setOwnMembershipVisibility(server.deps, sessionPrincipal(mona!), acme, true)).ok);
  const publicMembers = (await ask(server, outsider, ORGANIZATION, { login: 'acme' })).body.data.organization.membersWithRole;
  assert.deepEqual(publicMembers.edges.map((e: any) => e.node.login), ['mona']);

  const missing = await ask(server, member, ORGANIZATION, { login: 'nobody' });
  assert.deepEqual(missing.body.errors?.map((error) => [error.type, error.message]),
    [['NOT_FOUND', 'Could not resolve to an Organization with the login of \'nobody\'.']]);

  const others = await ask(server, member, `{
    repositoryOwner(login: "acme") { __typename login }
    repository(owner: "acme", name: "vault") { owner { ... on Organization { name viewerIsAMember } } }
    node(id: "${asMember.id}") { ... on Organization { login } }
    viewer { organizations(first: 5) { nodes { login } } }
    user(login: "mona") { organizations(first: 5) { nodes { login } } }
  }`);
  assert.deepEqual(others.body.data, {
    repositoryOwner: { __typename: 'Organization', login: 'acme' },
    repository: { owner: { name: 'Acme Inc.', viewerIsAMember: true } },
    node: { login: 'acme' },
    viewer: { organizations: { nodes: [{ login: 'acme' }] } },
    user: { organizations: { nodes: [{ login: 'acme' }] } },
  });
  const withoutReadOrg = await ask(server, await bearer(hubot, ['repo']), '{ viewer { organizations(first: 5) { totalCount } } }');
  assert.equal(withoutReadOrg.body.data.viewer.organizations.totalCount, 0, 'a concealed membership needs read:org');
  const hidden = await ask(server, outsider, '{ repository(owner: "acme", name: "vault") { name } }');
  assert.equal(hidden.body.data.repository, null);
});

test('createRepository with an organization as ownerId: members only, as gh repo create ORG/NAME asks', async (t) => {
  const server = await startTestServer(t);
  const [mona, stranger] = await Promise.all(['mona', 'stranger'].map((username) => server.createUser({ username })));
  const created = await createOrganization(server.deps, sessionPrincipal(mona!), { login: 'acme', admin: mona! }, {});
  assert.ok(created.ok);
  const ownerId = Buffer.from(`012:Organization${created.organization.owner.id}`).toString('base64');
  const mutation = `mutation($ownerId: ID!, $name: String!) {
    createRepository(input: { ownerId: $ownerId, name: $name, visibility: PRIVATE }) { repository { nameWithOwner isPrivate viewerPermission } }
  }`;
  const made = await ask(server, `Bearer ${await server.createToken(mona!, { scopes: ['repo'] })}`, mutation, { ownerId, name: 'vault' });
  assert.deepEqual(made.body.data.createRepository.repository, { nameWithOwner: 'acme/vault', isPrivate: true, viewerPermission: 'ADMIN' });
  const refused = await ask(server, `Bearer ${await server.createToken(stranger!, { scopes: ['repo'] })}`, mutation, { ownerId, name: 'intrusion' });
  assert.deepEqual(refused.body.errors?.map((error) => [error.type, error.message]),
    [['FORBIDDEN', 'stranger does not have the correct permissions to execute `CreateRepository`']]);
  const unknownOwner = await ask(server, `Bearer ${await server.createToken(stranger!, { scopes: ['repo'] })}`, mutation,
    { ownerId: Buffer.from('012:Organization999').toString('base64'), name: 'x' });
  assert.equal(unknownOwner.body.errors?.[0]?.type, 'FORBIDDEN');
  assert.deepEqual((await server.db.selectFrom('repositories').select('name').execute()).map((row) => row.name), ['vault']);
});
