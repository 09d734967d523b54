import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  authorizeOrganization, authorizeRepository, authorizeRepositoryCreation, type Decision, type RepositoryAction, type SsoStanding, type Standing,
} from '../authorization.ts';
import { ANONYMOUS, type Principal, SITE_ADMIN } from '../principal.ts';
import { ALL_SCOPES } from '../scopes.ts';
import type { UserRow } from '../../store/database.ts';
import type { PersonalAccessToken } from '../tokens.ts';
import { isSamlSessionActive } from './sso-standing.ts';

const user = { id: 7, username: 'mona', username_key: 'mona' } as UserRow;
const session: Principal = { kind: 'session', user, scopes: ALL_SCOPES };
const token = (...scopes: string[]): Principal => ({ kind: 'token', user, token: { scopes } as unknown as PersonalAccessToken, scopes });
const acme = { id: 41, login: 'acme' };

const ALLOWED = { ok: true };
const SSO_REQUIRED = { ok: false, code: 'sso_required', organization: acme };
const sso = (required: boolean, satisfied: boolean): SsoStanding => ({ organization: acme, required, satisfied });
const member = (standing?: SsoStanding): Standing => ({ relation: 'member', ...(standing && { sso: standing }) });

test('a SAML organization keeps out what its single sign-on does not let in, and nothing else', () => {
  const cases: Array<[string, Principal, RepositoryAction, boolean, Standing, Decision | object]> = [
    ['an unauthorized token reads a private repository', token('repo'), 'read', true, member(sso(true, false)), SSO_REQUIRED],
    ['an authorized token reads it', token('repo'), 'read', true, member(sso(true, true)), ALLOWED],
    ['not required (no enforcement, no linked identity)', token('repo'), 'read', true, member(sso(false, false)), ALLOWED],
    ['no SAML at all', token('repo'), 'read', true, member(), ALLOWED],
    ['the SAML refusal comes before a missing scope', token('gist'), 'read', true, member(sso(true, false)), SSO_REQUIRED],
    ['an authorized token without repo is told the scope', token('gist'), 'read', true, member(sso(true, true)),
      { ok: false, code: 'missing_scope', scope: 'repo', acceptedScopes: ['repo'] }],
    ['public repositories stay readable', token('repo'), 'read', false, member(sso(true, false)), ALLOWED],
    ['anonymous reads a public one', ANONYMOUS, 'read', false, member(sso(true, false)), ALLOWED],
    ['writing a public one is the organization\'s business', token('repo'), 'write', false, member(sso(true, false)), SSO_REQUIRED],
    ['a browser without a SAML session', session, 'read', true, member(sso(true, false)), SSO_REQUIRED],
    ['a browser with one', session, 'read', true, member(sso(true, true)), ALLOWED],
    ['the site administrator', SITE_ADMIN, 'delete', true, member(sso(true, false)), ALLOWED],
    ['a non-member is never told about SAML', token('repo'), 'read', true, { relation: 'none', sso: sso(true, false) }, { ok: false, code: 'not_found' }],
  ];
  for (const [name, principal, action, isPrivate, standing, expected] of cases) {
    assert.deepEqual(authorizeRepository(principal, action, { repository: { private: isPrivate ? 1 : 0 }, standing }), expected, name);
  }
  assert.deepEqual(authorizeRepositoryCreation(token('repo'), member(sso(true, false)), { private: true }), SSO_REQUIRED, 'creating one');
  assert.deepEqual(authorizeOrganization(token('read:org'), 'read_members', member(sso(true, false))), SSO_REQUIRED, 'a token reading members');
  assert.deepEqual(authorizeOrganization(session, 'administer', { relation: 'admin', sso: sso(true, false) }), ALLOWED,
    'owners repair a broken IdP from their browser without a SAML session');
});

test('a SAML session lasts until the instant it ends', () => {
  const end = '2026-11-25T18:00:00.000Z';
  assert.equal(isSamlSessionActive({ session_expires_at: end }, new Date('2026-11-25T17:59:59.000Z')), true, 'a second before');
  assert.equal(isSamlSessionActive({ session_expires_at: end }, new Date(end)), false, 'at the instant');
  assert.equal(isSamlSessionActive({ session_expires_at: end }, new Date('2026-11-25T18:00:01.000Z')), false, 'a second after');
  assert.equal(isSamlSessionActive({ session_expires_at: null }, new Date(end)), false, 'never signed in');
  assert.equal(isSamlSessionActive(undefined, new Date(end)), false, 'no linked identity');
});
