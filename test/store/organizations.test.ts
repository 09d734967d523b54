/**
 * Organizations and their members on every store: creation in one transaction in the namespace users share, roles
 * and the last owner, concealed and public memberships, who may see whom, and the security-log event of every
 * membership change (written with the change, or not at all).
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { signUp } from '../../src/domain/accounts.ts';
import type { Deps } from '../../src/domain/deps.ts';
import {
  addMember, findMembership, listMembers, removeMember, setOwnMembershipVisibility, setRole,
} from '../../src/domain/organization-members.ts';
import {
  createOrganization, findOrganization, listOrganizationsOfUser, listPublicOrganizationsOfUser, type Organization, updateOrganization,
} from '../../src/domain/organizations.ts';
import { ANONYMOUS, type Principal, SITE_ADMIN, sessionPrincipal } from '../../src/domain/principal.ts';
import { listSecurityEvents } from '../../src/domain/security-log.ts';
import { createDeps } from '../../src/runtime.ts';
import type { UserRow } from '../../src/store/database.ts';
import { listOrganizationIdsSolelyAdministeredBy } from '../../src/store/membership-store.ts';
import { fakeClock } from '../helpers/fake-clock.ts';
import { openTestDatabase, TEST_STORE } from '../helpers/store.ts';

const WEB = { clientAddress: '203.0.113.7', userAgent: 'test browser' };

async function setUp(t: TestContext, siteAdmins: string[] = []) {
  const { config, db } = await openTestDatabase(t);
  const deps: Deps = createDeps(config, db, { clock: fakeClock(), mailer: { send: async () => {} } });
  deps.config.siteAdmins = siteAdmins;
  const user = async (username: string, verified = true): Promise<UserRow> => {
    const result = await signUp(deps, { username, email: `${username}@example.test`, password: 'correct horse battery' }, { verified });
    assert.ok(result.ok, JSON.stringify(result));
    return result.user;
  };
  const organization = async (login: string, admin: UserRow): Promise<Organization> => {
    const result = await createOrganization(deps, sessionPrincipal(admin), { login, admin }, WEB);
    assert.ok(result.ok, JSON.stringify(result));
    return result.organization;
  };
  const log = async (user: UserRow) => (await listSecurityEvents(deps, user, { page: 1, perPage: 100 })).events
    .map((event) => [event.kind, event.actor, event.organizationLogin]);
  return { deps, db, user, organization, log };
}

test(`${TEST_STORE}: an organization takes a login from the namespace users share, and its creator is its owner`, async (t) => {
  const { deps, db, user, organization, log } = await setUp(t);
  const mona = await user('mona');
  const acme = await organization('Acme', mona);
  assert.equal(acme.owner.kind, 'organization');
  assert.equal((await findOrganization(deps, 'ACME'))?.owner.id, acme.owner.id, 'found in any letter case');
  assert.equal(await findOrganization(deps, 'mona'), undefined, 'a user is not an organization');
  assert.deepEqual((await listOrganizationsOfUser(deps, mona)).map((org) => [org.owner.login, org.role]), [['Acme', 'admin']]);
  assert.deepEqual(await log(mona), [['organization.created', 'owner', 'Acme']]);

  const create = (login: string, by: Principal = sessionPrincipal(mona)) => createOrganization(deps, by, { login, admin: mona }, WEB);
  assert.deepEqual(await create('acme'), { ok: false, code: 'login_taken' });
  assert.deepEqual(await create('MONA'), { ok: false, code: 'login_taken' }, 'a username is taken for organizations too');
  assert.deepEqual(await create('-bad-'), { ok: false, code: 'login_invalid' });
  assert.deepEqual(await create('organizations'), { ok: false, code: 'login_reserved' });
  assert.deepEqual(await create('new-org', ANONYMOUS), { ok: false, code: 'authentication_required' });
  const signedUp = await signUp(deps, { username: 'ACME', email: 'x@example.test', password: 'correct horse battery' });
  assert.ok(!signedUp.ok && /not available/.test(signedUp.errors.username!), 'and an organization\'s login is taken for users');

  // Nothing half-made remains of the refused attempts.
  assert.equal((await db.selectFrom('owners').select('id').where('kind', '=', 'organization').execute()).length, 1);
  assert.equal((await db.selectFrom('organization_memberships').select('id').execute()).length, 1);

  const unverified = await user('newbie', false);
  assert.deepEqual(await createOrganization(deps, sessionPrincipal(unverified), { login: 'newbie-org', admin: unverified }, WEB),
    { ok: false, code: 'email_unverified' });
  assert.deepEqual(await createOrganization(deps, sessionPrincipal(unverified), { login: 'x', admin: mona }, WEB),
    { ok: false, code: 'forbidden' }, 'a user makes organizations for themselves only');
  const byCli = await createOrganization(deps, SITE_ADMIN, { login: 'from-cli', admin: unverified, name: 'From the CLI' }, {});
  assert.ok(byCli.ok && byCli.organization.profile.name === 'From the CLI');
  assert.deepEqual(await log(unverified), [['organization.created', 'admin', 'from-cli']]);

  assert.deepEqual(await updateOrganization(deps, sessionPrincipal(unverified), acme, { name: 'Nope', description: null }), { ok: false, code: 'forbidden' });
  assert.deepEqual(await updateOrganization(deps, sessionPrincipal(mona), acme, { name: 'Acme\u202eInc', description: null }),
    { ok: false, code: 'invalid_profile', field: 'name', problem: 'bidi_control' }, 'display text follows the one rule (Trojan Source)');
  assert.deepEqual(await updateOrganization(deps, sessionPrincipal(mona), acme, { name: null, description: 'x'.repeat(1001) }),
    { ok: false, code: 'invalid_profile', field: 'description', problem: 'too_long' });
  assert.deepEqual(await updateOrganization(deps, sessionPrincipal(mona), acme, { name: 'Acme Inc.', description: 'Rockets' }), { ok: true });
  assert.equal((await findOrganization(deps, 'acme'))?.profile.description, 'Rockets');
});

test(`${TEST_STORE}: a session creates at most ten organizations an hour`, async (t) => {
  const { deps, user } = await setUp(t);
  const mona = await user('mona');
  for (let i = 0; i < 10; i++) assert.ok((await createOrganization(deps, sessionPrincipal(mona), { login: `org${i}`, admin: mona }, WEB)).ok);
  const refused = await createOrganization(deps, sessionPrincipal(mona), { login: 'org10', admin: mona }, WEB);
  assert.equal(refused.ok === false && refused.code, 'rate_limited');
});

test(`${TEST_STORE}: owners add members, change roles and remove them; the last owner stays`, async (t) => {
  const { deps, user, organization, log } = await setUp(t);
  const [mona, hubot, lisa] = [await user('mona'), await user('hubot'), await user('lisa')];
  const acme = await organization('acme', mona);
  const asMona = sessionPrincipal(mona);
  const asHubot = sessionPrincipal(hubot);

  assert.deepEqual(await addMember(deps, asMona, acme, 'Hubot', 'member', WEB), { ok: true, role: 'member' });
  assert.deepEqual(await addMember(deps, asMona, acme, 'hubot', 'admin', WEB), { ok: false, code: 'already_member', role: 'member' });
  assert.deepEqual(await addMember(deps, asMona, acme, 'nobody', 'member', WEB), { ok: false, code: 'user_not_found' });
  assert.deepEqual(await addMember(deps, asHubot, acme, 'lisa', 'member', WEB), { ok: false, code: 'forbidden' }, 'members do not add members');
  assert.deepEqual(await addMember(deps, sessionPrincipal(lisa), acme, 'lisa', 'admin', WEB), { ok: false, code: 'forbidden' }, 'nor does anyone add themselves');

  assert.deepEqual(await setRole(deps, asMona, acme, 'mona', 'member', WEB), { ok: false, code: 'last_admin' });
  assert.deepEqual(await removeMember(deps, asMona, acme, 'mona', WEB), { ok: false, code: 'last_admin' }, 'the last owner cannot leave');
  assert.deepEqual(await setRole(deps, asMona, acme, 'hubot', 'admin', WEB), { ok: true, role: 'admin' });
  assert.deepEqual(await setRole(deps, asHubot, acme, 'mona', 'member', WEB), { ok: true, role: 'member' }, 'another owner may demote');
  assert.deepEqual(await setRole(deps, asHubot, acme, 'hubot', 'member', WEB), { ok: false, code: 'last_admin' });
  assert.deepEqual(await setRole(deps, asHubot, acme, 'lisa', 'member', WEB), { ok: false, code: 'not_member' });

  assert.deepEqual(await removeMember(deps, asMona, acme, 'hubot', WEB), { ok: false, code: 'forbidden' }, 'a member removes only themselves');
  assert.deepEqual(await removeMember(deps, asMona, acme, 'mona', WEB), { ok: true, role: 'member' }, 'a member leaves');
  assert.deepEqual(await removeMember(deps, asHubot, acme, 'mona', WEB), { ok: false, code: 'not_member' });
  assert.deepEqual(await addMember(deps, SITE_ADMIN, acme, 'lisa', 'member', {}), { ok: true, role: 'member' });
  assert.deepEqual(await removeMember(deps, asHubot, acme, 'lisa', WEB), { ok: true, role: 'member' });

  assert.deepEqual((await log(mona)).reverse(), [
    ['organization.created', 'owner', 'acme'],
    ['organization.made_member', 'organization_owner', 'acme'],
    ['organization.member_removed', 'owner', 'acme'],
  ], 'a refused change logs nothing');
  assert.deepEqual((await log(hubot)).reverse(), [
    ['organization.member_added', 'organization_owner', 'acme'],
    ['organization.made_owner', 'organization_owner', 'acme'],
  ]);
  assert.deepEqual((await log(lisa)).reverse(), [
    ['organization.member_added', 'admin', 'acme'],
    ['organization.member_removed', 'organization_owner', 'acme'],
  ]);
  const [removal] = (await listSecurityEvents(deps, mona, { page: 1, perPage: 1 })).events;
  assert.equal(removal?.clientAddress, WEB.clientAddress, 'the event says where the change came from');
});

test(`${TEST_STORE}: two owners demoting each other at the same time leave one owner`, async (t) => {
  const { deps, user, organization } = await setUp(t);
  const [mona, hubot] = [await user('mona'), await user('hubot')];
  // Several organizations at once, so that the two demotions of each really overlap somewhere.
  const organizations = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
    const org = await organization(`acme${i}`, mona);
    assert.ok((await addMember(deps, sessionPrincipal(mona), org, 'hubot', 'admin', WEB)).ok);
    return org;
  }));
  await Promise.all(organizations.map(async (org) => {
    const results = await Promise.all([
      setRole(deps, sessionPrincipal(mona), org, 'hubot', 'member', WEB),
      setRole(deps, sessionPrincipal(hubot), org, 'mona', 'member', WEB),
    ]);
    assert.deepEqual(results.map((result) => result.ok).sort(), [false, true], org.owner.login);
    const { members } = await listMembers(deps, SITE_ADMIN, org);
    assert.equal(members.filter((member) => member.role === 'admin').length, 1, org.owner.login);
  }));
  const soleOwner = (await listMembers(deps, SITE_ADMIN, organizations[0]!)).members.find((m) => m.role === 'admin')!.user;
  assert.ok((await listOrganizationIdsSolelyAdministeredBy(deps.db, soleOwner.id)).includes(organizations[0]!.owner.id));
});

test(`${TEST_STORE}: concealed memberships are seen by members only; public ones by anyone`, async (t) => {
  const { deps, user, organization } = await setUp(t);
  const [mona, hubot, stranger] = [await user('mona'), await user('hubot'), await user('stranger')];
  const acme = await organization('acme', mona);
  assert.ok((await addMember(deps, sessionPrincipal(mona), acme, 'hubot', 'member', WEB)).ok);
  const logins = async (principal: Principal) => (await listMembers(deps, principal, acme)).members.map((member) => member.user.username);

  assert.deepEqual(await logins(sessionPrincipal(hubot)), ['hubot', 'mona']);
  assert.deepEqual(await logins(sessionPrincipal(stranger)), [], 'memberships are concealed at first');
  assert.deepEqual(await logins(ANONYMOUS), []);
  assert.deepEqual(await setOwnMembershipVisibility(deps, sessionPrincipal(stranger), acme, true), { ok: false, code: 'forbidden' });
  assert.deepEqual(await setOwnMembershipVisibility(deps, sessionPrincipal(hubot), acme, true), { ok: true });
  assert.deepEqual(await logins(ANONYMOUS), ['hubot']);
  assert.deepEqual((await listPublicOrganizationsOfUser(deps, hubot)).map((org) => org.owner.login), ['acme']);
  assert.deepEqual(await listPublicOrganizationsOfUser(deps, mona), []);
  assert.deepEqual((await listMembers(deps, sessionPrincipal(hubot), acme, { role: 'admin' })).members.map((m) => m.user.username), ['mona']);

  // One membership: a member sees anyone's, a user their own, anyone else nothing.
  assert.equal((await findMembership(deps, sessionPrincipal(hubot), acme, 'mona')).ok, true);
  const own = await findMembership(deps, sessionPrincipal(mona), acme, 'MONA');
  assert.ok(own.ok && own.membership.role === 'admin');
  assert.deepEqual(await findMembership(deps, sessionPrincipal(stranger), acme, 'mona'), { ok: false, code: 'forbidden' });
  assert.deepEqual(await findMembership(deps, sessionPrincipal(stranger), acme, 'stranger'), { ok: false, code: 'not_found' });
  assert.deepEqual(await findMembership(deps, sessionPrincipal(mona), acme, 'stranger'), { ok: false, code: 'not_found' });
  assert.deepEqual(await findMembership(deps, sessionPrincipal(mona), acme, 'nobody'), { ok: false, code: 'not_found' });
});
