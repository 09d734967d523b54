import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorizeOrganization, authorizeOrganizationCreation, type Decision, type OrganizationAction, type Relation,
} from './authorization.ts';
import { ANONYMOUS, type Principal, SITE_ADMIN } from './principal.ts';
import { ALL_SCOPES } from './scopes.ts';
import type { UserRow } from '../store/database.ts';
import type { PersonalAccessToken } from './tokens.ts';

const user = { id: 7, username: 'mona', username_key: 'mona' } as UserRow;
const session: Principal = { kind: 'session', user, scopes: ALL_SCOPES };
const token = (...scopes: string[]): Principal => ({ kind: 'token', user, token: { scopes } as unknown as PersonalAccessToken, scopes });

const ALLOWED = { ok: true };
const FORBIDDEN = { ok: false, code: 'forbidden' };
const missing = (scope: string, acceptedScopes: string[]) => ({ ok: false, code: 'missing_scope', scope, acceptedScopes });
const READ_ORG = missing('read:org', ['read:org', 'write:org', 'admin:org']);
const WRITE_ORG = missing('write:org', ['write:org', 'admin:org']);
const ADMIN_ORG = missing('admin:org', ['admin:org']);

test('organization actions: owners and members, each with the scope GitHub asks of a classic token', () => {
  const cases: Array<[string, Principal, OrganizationAction, Relation, Decision | object]> = [
    ['anonymous reads members', ANONYMOUS, 'read_members', 'none', { ok: false, code: 'authentication_required' }],
    ['a non-member reads members', session, 'read_members', 'none', FORBIDDEN],
    ['a member reads members in a browser', session, 'read_members', 'member', ALLOWED],
    ['a member token with read:org', token('read:org'), 'read_members', 'member', ALLOWED],
    ['a member token with admin:org (grants read:org)', token('admin:org'), 'read_members', 'member', ALLOWED],
    ['a member token with repo only', token('repo'), 'read_members', 'member', READ_ORG],
    ['a non-member token with read:org', token('read:org'), 'read_members', 'none', FORBIDDEN],
    ['an owner manages members', session, 'manage_members', 'admin', ALLOWED],
    ['an owner token with write:org manages members', token('write:org'), 'manage_members', 'admin', ALLOWED],
    ['an owner token with read:org only', token('read:org'), 'manage_members', 'admin', WRITE_ORG],
    ['a member manages members', session, 'manage_members', 'member', FORBIDDEN],
    ['a member token with admin:org still is not an owner', token('admin:org'), 'manage_members', 'member', FORBIDDEN],
    ['a member leaves', session, 'manage_own_membership', 'member', ALLOWED],
    ['a non-member has no membership to change', session, 'manage_own_membership', 'none', FORBIDDEN],
    ['a member token with read:org cannot leave', token('read:org'), 'manage_own_membership', 'member', WRITE_ORG],
    ['an owner administers', session, 'administer', 'admin', ALLOWED],
    ['an owner token with write:org does not administer', token('write:org'), 'administer', 'admin', ADMIN_ORG],
    ['an owner token with admin:org administers', token('admin:org'), 'administer', 'admin', ALLOWED],
    ['a member administers', session, 'administer', 'member', FORBIDDEN],
    ['the site administrator (CLI) does anything', SITE_ADMIN, 'administer', 'none', ALLOWED],
  ];
  for (const [name, principal, action, relation, expected] of cases) {
    assert.deepEqual(authorizeOrganization(principal, action, { relation }), expected, name);
  }
});

test('creating an organization: anyone signed in for themselves; with a token, site administrators alone', () => {
  const cases: Array<[string, Principal, { siteAdministrator: boolean; forSelf: boolean }, Decision | object]> = [
    ['anonymous', ANONYMOUS, { siteAdministrator: false, forSelf: false }, { ok: false, code: 'authentication_required' }],
    ['a signed-in user, for themselves', session, { siteAdministrator: false, forSelf: true }, ALLOWED],
    ['a signed-in user, for someone else', session, { siteAdministrator: false, forSelf: false }, FORBIDDEN],
    ['a signed-in site administrator, for someone else', session, { siteAdministrator: true, forSelf: false }, ALLOWED],
    ['a token of a normal user: the endpoint is not there', token('admin:org'), { siteAdministrator: false, forSelf: true }, { ok: false, code: 'not_found' }],
    ['a site administrator token with admin:org', token('admin:org'), { siteAdministrator: true, forSelf: false }, ALLOWED],
    ['a site administrator token without admin:org', token('write:org', 'repo'), { siteAdministrator: true, forSelf: false }, ADMIN_ORG],
    ['the CLI', SITE_ADMIN, { siteAdministrator: false, forSelf: false }, ALLOWED],
  ];
  for (const [name, principal, facts, expected] of cases) {
    assert.deepEqual(authorizeOrganizationCreation(principal, facts), expected, name);
  }
});
