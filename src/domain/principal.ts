/**
 * Who is acting, and with which credential: the one notion every edge (API, Git, web pages, GraphQL, CLI) builds
 * with resolvePrincipal and hands to authorize (authorization.ts).
 *
 * - anonymous: nothing presented.
 * - token: a personal access token; it acts with its scopes, whatever scheme carried it (GHSA-cc8w-r4qh-3v65).
 * - session: a signed-in browser; it acts with every scope, as its user does on the site.
 * - site_admin: the `tessera` CLI run on the server by its administrator.
 */
import type { UserRow } from '../store/database.ts';
import type { Deps } from './deps.ts';
import { ALL_SCOPES, type Scope } from './scopes.ts';
import { checkToken, type PersonalAccessToken } from './tokens.ts';
import { resolveWebSession } from './web-sessions.ts';

export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'token'; user: UserRow; token: PersonalAccessToken; scopes: readonly Scope[] }
  | { kind: 'session'; user: UserRow; scopes: readonly Scope[] }
  | { kind: 'site_admin' };

/** A principal acting with a personal access token. */
export type TokenPrincipal = Extract<Principal, { kind: 'token' }>;

/** A principal that is a user of the site (token or session). */
export type UserPrincipal = Extract<Principal, { user: UserRow }>;

export const ANONYMOUS: Principal = Object.freeze({ kind: 'anonymous' });
export const SITE_ADMIN: Principal = Object.freeze({ kind: 'site_admin' });

/** What was presented, already parsed by the edge (an Authorization header, a session cookie, the CLI). */
export type PresentedCredential =
  | { kind: 'none' }
  | { kind: 'token'; secret: string }
  | { kind: 'session'; secret: string }
  | { kind: 'site_admin' };

/** Where the request came from: recorded as the token's or the session's last use. */
export interface ClientInfo {
  clientAddress: string;
  userAgent: string | undefined;
}

export type PrincipalResult =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'unknown' | 'expired' };

export function isUserPrincipal(principal: Principal): principal is UserPrincipal {
  return principal.kind === 'token' || principal.kind === 'session';
}

/** The user acting, if the principal is one. */
export function userOf(principal: Principal): UserRow | undefined {
  return isUserPrincipal(principal) ? principal.user : undefined;
}

export function sessionPrincipal(user: UserRow): Principal {
  return { kind: 'session', user, scopes: ALL_SCOPES };
}

export async function resolvePrincipal(deps: Deps, credential: PresentedCredential, client?: ClientInfo): Promise<PrincipalResult> {
  switch (credential.kind) {
    case 'none':
      return { ok: true, principal: ANONYMOUS };
    case 'site_admin':
      return { ok: true, principal: SITE_ADMIN };
    case 'token': {
      const result = await checkToken(deps, credential.secret, client);
      if (!result.ok) return { ok: false, reason: result.reason === 'expired' ? 'expired' : 'unknown' };
      const { user, token } = result.principal;
      return { ok: true, principal: { kind: 'token', user, token, scopes: token.scopes } };
    }
    case 'session': {
      const user = await resolveWebSession(deps, credential.secret, client);
      return user ? { ok: true, principal: sessionPrincipal(user) } : { ok: false, reason: 'unknown' };
    }
  }
}
