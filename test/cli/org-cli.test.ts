/**
 * `tessera org …` spawned as an administrator runs it: creating an organization, adding members with a role,
 * changing and removing them, listing, and an organization's repository made with `tessera repo create`; every
 * refusal says what to do next.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { listMembers } from '../../src/domain/organization-members.ts';
import { findOrganization } from '../../src/domain/organizations.ts';
import { SITE_ADMIN } from '../../src/domain/principal.ts';
import { findRepositoryFor } from '../../src/domain/repository-access.ts';
import { listSecurityEvents } from '../../src/domain/security-log.ts';
import { findUserByName } from '../../src/domain/accounts.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import { cliEnvironment, cliSession } from '../helpers/cli.ts';
import { createTestStore } from '../helpers/store.ts';

test('org create, add-member (with a role, or changing it), members, list, remove-member; repo create for an organization', async (t) => {
  const store = await createTestStore(t);
  const env = cliEnvironment(store, { TESSERA_BASE_URL: 'https://code.example.test' });
  const { ok, okWithInput, fails } = cliSession(env);

  for (const name of ['rita', 'sam']) await okWithInput('correct horse battery\n', 'user', 'create', '--username', name, '--email', `${name}@example.test`);
  assert.match(await ok('org', '--help'), /create[\s\S]*add-member[\s\S]*remove-member[\s\S]*list[\s\S]*members/);
  assert.equal(await ok('org', 'create', '--name', 'Acme', '--owner', 'rita', '--display-name', 'Acme Inc.'), 'https://code.example.test/Acme\n');
  await fails(/already taken by a user or an organization\. Choose another --name/, 'org', 'create', '--name', 'acme', '--owner', 'sam');
  await fails(/not a valid organization name.*Change --name/, 'org', 'create', '--name', 'bad_name', '--owner', 'sam');
  await fails(/No user named nobody\. Create one with: tessera user create/, 'org', 'create', '--name', 'other', '--owner', 'nobody');

  assert.equal(await ok('org', 'add-member', '--org', 'acme', '--user', 'sam'), 'Added sam in Acme as member.\n');
  assert.equal(await ok('org', 'add-member', '--org', 'acme', '--user', 'sam'), 'sam is already member of Acme.\n');
  assert.equal(await ok('org', 'add-member', '--org', 'ACME', '--user', 'sam', '--role', 'owner'),
    'Changed the role of sam in Acme from member to owner.\n');
  await fails(/--role must be owner or member, not "boss"/, 'org', 'add-member', '--org', 'acme', '--user', 'sam', '--role', 'boss');
  await fails(/No organization named nope\. Create one with: tessera org create --name nope/, 'org', 'add-member', '--org', 'nope', '--user', 'sam');
  assert.equal(await ok('org', 'members', '--org', 'acme'), [
    'USERNAME  ROLE   MEMBERSHIP', 'rita      owner  concealed', 'sam       owner  concealed', '',
  ].join('\n'));

  assert.equal(await ok('org', 'remove-member', '--org', 'acme', '--user', 'rita'), 'Removed rita from Acme.\n');
  await fails(/sam is the last owner of Acme, which must keep one\. Make another member an owner first: tessera org add-member --org Acme/,
    'org', 'remove-member', '--org', 'acme', '--user', 'sam');
  await fails(/rita is not a member of Acme\. See its members with: tessera org members --org Acme/, 'org', 'remove-member', '--org', 'acme', '--user', 'rita');
  assert.equal(await ok('org', 'list'), ['LOGIN  NAME       OWNERS  MEMBERS', 'Acme   Acme Inc.  sam     1', ''].join('\n'));

  assert.equal(await ok('repo', 'create', '--user', 'acme', '--name', 'rockets', '--private'), 'https://code.example.test/Acme/rockets.git\n');

  const config = loadConfig(env);
  const db = await openMigratedStore(config);
  t.after(() => db.destroy());
  const deps = createDeps(config, db);
  const acme = await findOrganization(deps, 'acme');
  assert.ok(acme);
  assert.deepEqual((await listMembers(deps, SITE_ADMIN, acme)).members.map((m) => [m.user.username, m.role]), [['sam', 'admin']]);
  const repository = await findRepositoryFor(deps, SITE_ADMIN, 'read', 'acme', 'rockets');
  assert.ok(repository.ok && repository.repository.private === 1 && repository.owner.id === acme.owner.id);
  const sam = await findUserByName(deps, 'sam');
  const events = (await listSecurityEvents(deps, sam!, { page: 1, perPage: 10 })).events;
  assert.deepEqual(events.map((event) => [event.kind, event.actor, event.organizationLogin]).reverse(), [
    ['organization.member_added', 'admin', 'Acme'], ['organization.made_owner', 'admin', 'Acme'],
  ], 'the changes are in the member\'s security log, made by an administrator');
});
