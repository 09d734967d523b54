/**
 * The web pages' share of the security matrix (web-security-matrix.test.ts sends it): every page and form as
 * registered, what each visitor must get, and the pages that are public by design with the reason. Every POST is
 * also sent without a CSRF token and with another session's: those are refused (403) on every form and change
 * nothing, so they are not repeated per row. The owner's token in an Authorization header never changes an answer.
 */
import type { RouteKey } from '../../helpers/route-areas.ts';
import type { UserRow } from '../../../src/store/database.ts';

export const VISITORS = ['signed out', 'another user', 'owner'] as const;
export type Visitor = (typeof VISITORS)[number];

/**
 * Things of the owner's that forms act on: a private repository, tokens (live and removed), a session, and in the
 * organization the owner owns, a member and a user who is not one yet.
 */
export interface OwnerThings {
  repo: string;
  tokenId: number;
  tokenToRegenerateId: number;
  removedTokenId: number;
  sessionId: number;
  member: string;
  recruit: string;
}

/** The owner's real things, and doomed ones per tag for the owner's own allowed forms (one per way of sending). */
export interface WebFixture extends OwnerThings {
  owner: UserRow;
  other: UserRow;
  /** An organization the owner owns (another user is no member), with a private repository named orgRepo. */
  organization: string;
  orgRepo: string;
  doomed(tag: string): OwnerThings;
}

/** 'sign in': 302 to /login?return_to=<the path asked for>. A location may be a pattern (made-up names). */
export type Expected = number | 'sign in' | { status: number; location: string | RegExp };

export interface WebRoute extends RouteKey {
  method: 'GET' | 'POST';
  /** Why anyone may use it, for pages public by design. */
  publicBecause?: string;
  /**
   * `tag` names what the request makes, unique per case and way of sending the token; `doomed` aims it at the doomed
   * things of that tag (only the owner's allowed POSTs are), else at the owner's real ones.
   */
  request(fixture: WebFixture, tag: string, doomed: boolean): { path: string; form?: Record<string, string> };
  expected: Record<Visitor, Expected>;
  /** Visitors whose request changes what is stored; for everyone else the store must stay exactly as it was. */
  changes?: Visitor[];
}

const to = (location: string | RegExp, status = 302) => ({ status, location });
const all = (expected: Expected): Record<Visitor, Expected> => ({ 'signed out': expected, 'another user': expected, owner: expected });
/** Signed out: to the sign-in page and back; signed in: what another user and the owner get. */
const signedIn = (anotherUser: Expected, owner: Expected): Record<Visitor, Expected> => ({ 'signed out': 'sign in', 'another user': anotherUser, owner });
const anyUser = (expected: Expected) => signedIn(expected, expected);
/** The owner's real things, or (for the owner's own allowed POSTs) the doomed ones of this tag. */
const target = (fixture: WebFixture, tag: string, doomed: boolean) => (doomed ? fixture.doomed(tag) : fixture);
const STRONG_PASSWORD = 'quartz lantern meadow 84 violet';

export const WEB_ROUTES: WebRoute[] = [
  // Pages anyone may see.
  { method: 'GET', url: '/', publicBecause: 'the home page', request: () => ({ path: '/' }), expected: all(200) },
  {
    method: 'GET', url: '/signup', publicBecause: 'the sign-up form', request: () => ({ path: '/signup' }),
    expected: { 'signed out': 200, 'another user': to('/settings/tokens'), owner: to('/settings/tokens') },
  },
  {
    method: 'GET', url: '/login', publicBecause: 'the sign-in form', request: () => ({ path: '/login' }),
    expected: { 'signed out': 200, 'another user': to('/settings/tokens'), owner: to('/settings/tokens') },
  },
  {
    method: 'GET', url: '/verify-email', publicBecause: 'the link mailed to verify an address: its one-time secret is the credential',
    request: () => ({ path: '/verify-email?token=not-a-link-we-mailed' }), expected: all(400),
  },
  {
    method: 'GET', url: '/:owner', publicBecause: 'a profile: the public repositories (private ones only to who may read them)',
    request: (fixture) => ({ path: `/${fixture.owner.username}` }), expected: all(200),
  },
  {
    method: 'GET', url: '/:owner', publicBecause: 'an organization\'s page: its public repositories and members (the rest to members)',
    request: (fixture) => ({ path: `/${fixture.organization}` }), expected: all(200),
  },
  {
    // Public repositories' pages are public by design; the matrix asks for the private ones.
    method: 'GET', url: '/:owner/:repo', request: (fixture) => ({ path: `/${fixture.owner.username}/${fixture.repo}` }),
    expected: { 'signed out': 404, 'another user': 404, owner: 200 },
  },
  {
    method: 'GET', url: '/:owner/:repo', request: (fixture) => ({ path: `/${fixture.organization}/${fixture.orgRepo}` }),
    expected: { 'signed out': 404, 'another user': 404, owner: 200 },
  },
  {
    method: 'GET', url: '/orgs/:org/people', publicBecause: 'an organization\'s people: public memberships to anyone, all to members',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/people` }), expected: all(200),
  },
  {
    method: 'GET', url: '/avatars/u/:id', publicBecause: 'identicons at the avatar_url the API gives; any id has one',
    request: (fixture) => ({ path: `/avatars/u/${fixture.owner.id}` }), expected: all(200),
  },
  { method: 'GET', url: '/docs/api', publicBecause: 'the API reference', request: () => ({ path: '/docs/api' }), expected: all(200) },
  {
    method: 'GET', url: '/forgot-password', publicBecause: 'asking for a password reset link', request: () => ({ path: '/forgot-password' }),
    expected: all(200),
  },
  {
    method: 'GET', url: '/reset-password', publicBecause: 'the mailed password reset link: its one-time secret is the credential',
    request: () => ({ path: '/reset-password?token=not-a-link-we-mailed' }), expected: all(400),
  },

  // Settings: the signed-in user's own; another user's things are not found.
  { method: 'GET', url: '/settings/tokens', request: () => ({ path: '/settings/tokens' }), expected: anyUser(200) },
  { method: 'GET', url: '/settings/tokens/new', request: () => ({ path: '/settings/tokens/new' }), expected: anyUser(200) },
  { method: 'GET', url: '/settings/tokens/:id', request: (fixture) => ({ path: `/settings/tokens/${fixture.tokenId}` }), expected: signedIn(404, 200) },
  {
    method: 'GET', url: '/settings/tokens/:id/regenerate', request: (fixture) => ({ path: `/settings/tokens/${fixture.tokenId}/regenerate` }),
    expected: signedIn(404, 200),
  },
  { method: 'GET', url: '/settings/sessions', request: () => ({ path: '/settings/sessions' }), expected: anyUser(200) },
  { method: 'GET', url: '/settings/account', request: () => ({ path: '/settings/account' }), expected: anyUser(200) },
  { method: 'GET', url: '/settings/security-log', request: () => ({ path: '/settings/security-log' }), expected: anyUser(200) },
  { method: 'GET', url: '/new', request: () => ({ path: '/new' }), expected: anyUser(200) },
  { method: 'GET', url: '/organizations/new', request: () => ({ path: '/organizations/new' }), expected: anyUser(200) },
  // An organization's settings are its owners'; to anyone else they do not exist.
  { method: 'GET', url: '/orgs/:org/settings', request: (fixture) => ({ path: `/orgs/${fixture.organization}/settings` }), expected: signedIn(404, 200) },

  // Forms anyone may send (with the CSRF token of their own page).
  {
    method: 'POST', url: '/signup', publicBecause: 'creating an account',
    request: (_fixture, tag) => ({ path: '/signup', form: { username: `n-${tag}`, email: `n-${tag}@example.test`, password: STRONG_PASSWORD } }),
    expected: all(to('/settings/tokens')), changes: ['signed out', 'another user', 'owner'],
  },
  {
    method: 'POST', url: '/login', publicBecause: 'signing in',
    request: (fixture) => ({ path: '/login', form: { login: fixture.owner.username, password: 'correct horse battery staple' } }),
    expected: all(to('/settings/tokens')), changes: ['signed out', 'another user', 'owner'],
  },
  {
    // A login that names nobody: the answer is the same as for an account, and nothing is written (nor mailed).
    method: 'POST', url: '/forgot-password', publicBecause: 'asking for a reset link, answered alike whether or not an account matches',
    request: () => ({ path: '/forgot-password', form: { login: 'nobody-by-this-name' } }), expected: all(200),
  },
  {
    method: 'POST', url: '/reset-password', publicBecause: 'choosing a new password with a mailed link: its one-time secret is the credential',
    request: () => ({ path: '/reset-password', form: { token: 'not-a-link-we-mailed', password: STRONG_PASSWORD, password_confirmation: STRONG_PASSWORD } }),
    expected: all(400),
  },
  {
    method: 'POST', url: '/logout', publicBecause: 'signing out (signed out already, it only goes to the sign-in page)',
    request: () => ({ path: '/logout', form: {} }), expected: all(to('/login')), changes: ['another user', 'owner'],
  },

  // Forms of a signed-in user, on their own things.
  {
    // Both users are verified: nothing is sent, whoever asks.
    method: 'POST', url: '/settings/emails/verification', request: () => ({ path: '/settings/emails/verification', form: {} }),
    expected: anyUser(to('/settings/tokens?notice=verification-sent')),
  },
  {
    // A new address waits for its link: the request writes that link, for the signed-in user's own account.
    method: 'POST', url: '/settings/account/email',
    request: (_fixture, tag) => ({ path: '/settings/account/email', form: { email: `moved-${tag}@example.test`, current_password: 'correct horse battery staple' } }),
    expected: anyUser(to('/settings/account?notice=email-change-sent')), changes: ['another user', 'owner'],
  },
  {
    // Refused for a wrong current password (a change would sign the matrix's other sessions out): only the own account's form.
    method: 'POST', url: '/settings/account/password',
    request: () => ({ path: '/settings/account/password', form: { current_password: 'not the password', new_password: STRONG_PASSWORD, new_password_confirmation: STRONG_PASSWORD } }),
    expected: anyUser(422),
  },
  {
    method: 'POST', url: '/settings/account/language', request: () => ({ path: '/settings/account/language', form: { locale: 'ru' } }),
    expected: anyUser(to('/settings/account?notice=language-saved')), changes: ['another user', 'owner'],
  },
  {
    method: 'POST', url: '/settings/tokens', request: (_fixture, tag) => ({ path: '/settings/tokens', form: { note: `made-${tag}`, scopes: 'repo', expiration: '30' } }),
    expected: anyUser(to('/settings/tokens')), changes: ['another user', 'owner'],
  },
  {
    method: 'POST', url: '/settings/tokens/notifications', request: () => ({ path: '/settings/tokens/notifications', form: { notify_new_network: 'off' } }),
    expected: anyUser(to('/settings/tokens?notice=notifications-saved')), changes: ['another user', 'owner'],
  },
  {
    method: 'POST', url: '/new', request: (_fixture, tag) => ({ path: '/new', form: { name: `made-${tag}`, visibility: 'private' } }),
    expected: signedIn(to(/^\/web-other\/made-[\w-]+$/), to(/^\/web-owner\/made-[\w-]+$/)), changes: ['another user', 'owner'],
  },
  {
    // Another user's "delete" of the owner's token deletes nothing (the store is checked) and says as much as a delete.
    method: 'POST', url: '/settings/tokens/:id/delete', request: (fixture, tag, doomed) => ({ path: `/settings/tokens/${target(fixture, tag, doomed).tokenId}/delete`, form: {} }),
    expected: anyUser(to('/settings/tokens?notice=deleted')), changes: ['owner'],
  },
  {
    method: 'POST', url: '/settings/tokens/:id/regenerate',
    request: (fixture, tag, doomed) => ({ path: `/settings/tokens/${target(fixture, tag, doomed).tokenToRegenerateId}/regenerate`, form: { expiration: '30' } }),
    expected: signedIn(404, to('/settings/tokens')), changes: ['owner'],
  },
  {
    method: 'POST', url: '/settings/tokens/:id/restore',
    request: (fixture, tag, doomed) => ({ path: `/settings/tokens/${target(fixture, tag, doomed).removedTokenId}/restore`, form: {} }),
    expected: signedIn(to('/settings/tokens?notice=restore-expired'), to('/settings/tokens?notice=restored')), changes: ['owner'],
  },
  {
    method: 'POST', url: '/settings/sessions/:id/revoke',
    request: (fixture, tag, doomed) => ({ path: `/settings/sessions/${target(fixture, tag, doomed).sessionId}/revoke`, form: {} }),
    expected: signedIn(404, to('/settings/sessions?notice=revoked')), changes: ['owner'],
  },
  {
    method: 'POST', url: '/:owner/:repo/delete',
    request: (fixture, tag, doomed) => {
      const repo = target(fixture, tag, doomed).repo;
      return { path: `/${fixture.owner.username}/${repo}/delete`, form: { confirm: repo } };
    },
    expected: signedIn(404, to('/web-owner')), changes: ['owner'],
  },

  // Forms of an organization's owners; another user (no member) is refused and changes nothing.
  {
    method: 'POST', url: '/organizations/new',
    request: (_fixture, tag) => ({ path: '/organizations/new', form: { login: `org-${tag}`, name: '', description: '' } }),
    expected: signedIn(to(/^\/org-[\w-]+$/), to(/^\/org-[\w-]+$/)), changes: ['another user', 'owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/settings',
    request: (fixture, tag) => ({ path: `/orgs/${fixture.organization}/settings`, form: { name: `Renamed ${tag}`, description: '' } }),
    expected: signedIn(404, to('/orgs/web-org/settings?notice=updated')), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/people',
    request: (fixture, tag, doomed) => ({ path: `/orgs/${fixture.organization}/people`, form: { username: target(fixture, tag, doomed).recruit, role: 'member' } }),
    expected: signedIn(403, to(/^\/orgs\/web-org\/people\?done=added&user=recruit-[\w-]+$/)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/people/:username/role',
    request: (fixture, tag, doomed) => ({ path: `/orgs/${fixture.organization}/people/${target(fixture, tag, doomed).member}/role`, form: { role: 'admin' } }),
    expected: signedIn(403, to(/^\/orgs\/web-org\/people\?done=role&user=member-[\w-]+$/)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/people/:username/remove',
    request: (fixture, tag, doomed) => ({ path: `/orgs/${fixture.organization}/people/${target(fixture, tag, doomed).member}/remove`, form: {} }),
    expected: signedIn(403, to(/^\/orgs\/web-org\/people\?done=removed&user=member-[\w-]+$/)), changes: ['owner'],
  },
  {
    // Each member shows or conceals their own membership: the owner's, here.
    method: 'POST', url: '/orgs/:org/people/:username/visibility',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/people/${fixture.owner.username}/visibility`, form: { public: '1' } }),
    expected: signedIn(403, to('/orgs/web-org/people?done=visibility&user=web-owner')), changes: ['owner'],
  },
];

/**
 * Files served as they are (src/http/web/static-assets.ts), public by design: the stylesheets, script and icons every
 * page loads. They are registered before app.registeredRoutes starts listing routes, so the guard cannot see them.
 */
export const STATIC_ASSETS = [
  '/assets/primer/primer.css', '/assets/clipboard-copy/index.js', '/assets/tessera/tessera.css', '/assets/tessera/favicon.svg', '/favicon.ico',
];
