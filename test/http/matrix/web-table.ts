/**
 * The web pages' share of the security matrix (web-security-matrix.test.ts sends it): every page and form as
 * registered, what each visitor must get, and the pages that are public by design with the reason (organizations'
 * in web-organization-table.ts). Every POST is also sent without a CSRF token, with another session's and with one
 * from before signing in: those are refused (403) on every form and change nothing, so they are not repeated per row.
 * The owner's token in an Authorization header never changes an answer.
 */
import { WEB_ORGANIZATION_ROUTES } from './web-organization-table.ts';
import { all, anyUser, signedIn, target, to, type WebRoute } from './web-vocabulary.ts';

const STRONG_PASSWORD = 'quartz lantern meadow 84 violet';
/** Every test user's password (test/helpers/server.ts). */
const PASSWORD = 'correct horse battery staple';

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
    // Public repositories' pages are public by design; the matrix asks for the private ones.
    method: 'GET', url: '/:owner/:repo', request: (fixture) => ({ path: `/${fixture.owner.username}/${fixture.repo}` }),
    expected: { 'signed out': 404, 'another user': 404, owner: 200 },
  },
  {
    method: 'GET', url: '/avatars/u/:id', publicBecause: 'identicons at the avatar_url the API gives; any id has one',
    request: (fixture) => ({ path: `/avatars/u/${fixture.owner.id}` }), expected: all(200),
  },
  { method: 'GET', url: '/docs/api', publicBecause: 'the API reference', request: () => ({ path: '/docs/api' }), expected: all(200) },
  {
    method: 'GET', url: '/help/personal-access-tokens', publicBecause: 'the help page on tokens',
    request: () => ({ path: '/help/personal-access-tokens' }), expected: all(200),
  },
  {
    method: 'GET', url: '/forgot-password', publicBecause: 'asking for a link to reset a forgotten password',
    request: () => ({ path: '/forgot-password' }), expected: all(200),
  },
  {
    method: 'GET', url: '/reset-password', publicBecause: 'the link mailed to reset a password: its one-time secret is the credential',
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
  { method: 'GET', url: '/settings/security-log', request: () => ({ path: '/settings/security-log' }), expected: anyUser(200) },
  { method: 'GET', url: '/settings/account', request: () => ({ path: '/settings/account' }), expected: anyUser(200) },
  { method: 'GET', url: '/new', request: () => ({ path: '/new' }), expected: anyUser(200) },

  // Forms anyone may send (with the CSRF token of their own page).
  {
    method: 'POST', url: '/signup', publicBecause: 'creating an account',
    request: (_fixture, tag) => ({ path: '/signup', form: { username: `n-${tag}`, email: `n-${tag}@example.test`, password: STRONG_PASSWORD } }),
    expected: all(to('/settings/tokens')), changes: ['signed out', 'another user', 'owner'],
  },
  {
    method: 'POST', url: '/login', publicBecause: 'signing in',
    request: (fixture) => ({ path: '/login', form: { login: fixture.owner.username, password: PASSWORD } }),
    expected: all(to('/settings/tokens')), changes: ['signed out', 'another user', 'owner'],
  },
  {
    method: 'POST', url: '/logout', publicBecause: 'signing out (signed out already, it only goes to the sign-in page)',
    request: () => ({ path: '/logout', form: {} }), expected: all(to('/login')), changes: ['another user', 'owner'],
  },
  {
    // The same page whoever asks and whatever the login names; the owner's account gets a link (at most 3 an hour).
    method: 'POST', url: '/forgot-password', publicBecause: 'asking for a link to reset a forgotten password',
    request: (fixture) => ({ path: '/forgot-password', form: { login: fixture.owner.username } }),
    expected: all(200), changes: ['signed out', 'another user', 'owner'],
  },
  {
    method: 'POST', url: '/reset-password', publicBecause: 'choosing a new password with a mailed link (its secret is the credential)',
    request: () => ({ path: '/reset-password', form: { token: 'not-a-link-we-mailed', password: STRONG_PASSWORD, password_confirmation: STRONG_PASSWORD } }),
    expected: all(400),
  },

  // Forms of a signed-in user, on their own things.
  {
    // Both users are verified: nothing is sent, whoever asks.
    method: 'POST', url: '/settings/emails/verification', request: () => ({ path: '/settings/emails/verification', form: {} }),
    expected: anyUser(to('/settings/tokens?notice=verification-sent')),
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
    // Each user's own address; the change waits for the link mailed to the new one.
    method: 'POST', url: '/settings/account/email',
    request: (_fixture, tag) => ({ path: '/settings/account/email', form: { email: `new-${tag}@example.test`, current_password: PASSWORD } }),
    expected: anyUser(to('/settings/account?notice=email-change-sent')), changes: ['another user', 'owner'],
  },
  {
    // A wrong current password: a change that worked would end the owner's other sessions, which later rows use. The
    // change itself is tested in account-settings tests; here, who reaches it and that a forged one is refused.
    method: 'POST', url: '/settings/account/password',
    request: () => ({ path: '/settings/account/password', form: { current_password: 'not the password', new_password: STRONG_PASSWORD, new_password_confirmation: STRONG_PASSWORD } }),
    expected: anyUser(422),
  },
  {
    method: 'POST', url: '/settings/account/language', request: () => ({ path: '/settings/account/language', form: { locale: 'en' } }),
    expected: anyUser(to('/settings/account?notice=language-saved')), changes: ['another user', 'owner'],
  },
  {
    method: 'POST', url: '/:owner/:repo/delete',
    request: (fixture, tag, doomed) => {
      const repo = target(fixture, tag, doomed).repo;
      return { path: `/${fixture.owner.username}/${repo}/delete`, form: { confirm: repo } };
    },
    expected: signedIn(404, to('/web-owner')), changes: ['owner'],
  },
  ...WEB_ORGANIZATION_ROUTES,
];

/**
 * Files served as they are (src/http/web/static-assets.ts), public by design: the stylesheets, script and icons every
 * page loads. They are registered before app.registeredRoutes starts listing routes, so the guard cannot see them.
 */
export const STATIC_ASSETS = [
  '/assets/primer/primer.css', '/assets/clipboard-copy/index.js', '/assets/tessera/tessera.css', '/assets/tessera/favicon.svg', '/favicon.ico',
];
