/**
 * Parses the Authorization header into what was presented. Parsing only: whether a token is valid is
 * domain/tokens.checkToken's business, and the answer never depends on the scheme used (GHSA-cc8w-r4qh-3v65).
 *
 * Accepted: `token T`, `Bearer T` and `Basic base64(username:T)` (any username, as GitHub accepts). A Basic
 * password that does not start like a token is taken for an account password, which is refused with advice.
 */
import type { Deps } from '../domain/deps.ts';
import type { Actor } from '../domain/repositories.ts';
import { looksLikeToken } from '../domain/token-format.ts';
import { checkToken, type PersonalAccessToken } from '../domain/tokens.ts';

export type Credential =
  | { kind: 'none' }
  | { kind: 'token'; secret: string; scheme: 'token' | 'bearer' | 'basic' }
  | { kind: 'password' }
  | { kind: 'malformed' };

/** Longer than any credential we issue by far; longer headers are refused before any decoding. */
const MAX_AUTHORIZATION_LENGTH = 1024;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function parseAuthorization(header: string | string[] | undefined): Credential {
  if (header === undefined) return { kind: 'none' };
  if (Array.isArray(header) || header.length > MAX_AUTHORIZATION_LENGTH || !PRINTABLE_ASCII.test(header)) {
    return { kind: 'malformed' };
  }
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { kind: 'malformed' };
  const scheme = match[1]!.toLowerCase();
  const value = match[2]!;
  if (scheme === 'token' || scheme === 'bearer') return { kind: 'token', secret: value, scheme };
  if (scheme !== 'basic') return { kind: 'malformed' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return { kind: 'malformed' };
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return { kind: 'malformed' };
  const password = decoded.slice(colon + 1);
  if (password === '') return { kind: 'malformed' };
  return looksLikeToken(password) ? { kind: 'token', secret: password, scheme: 'basic' } : { kind: 'password' };
}

export type Authentication =
  | { ok: true; actor: undefined; token: undefined }
  | { ok: true; actor: Actor; token: PersonalAccessToken }
  | { ok: false; reason: 'malformed' | 'password' | 'unknown' | 'expired' };

/**
 * The Authorization header as an actor (or none, when no credential was sent). The API and Git both start here, so
 * the same header gets the same actor on either, whatever scheme carried the token.
 */
export async function authenticateRequest(deps: Deps, header: string | string[] | undefined): Promise<Authentication> {
  const credential = parseAuthorization(header);
  switch (credential.kind) {
    case 'none':
      return { ok: true, actor: undefined, token: undefined };
    case 'malformed':
    case 'password':
      return { ok: false, reason: credential.kind };
    case 'token': {
      const result = await checkToken(deps, credential.secret);
      if (!result.ok) return { ok: false, reason: result.reason === 'expired' ? 'expired' : 'unknown' };
      const { user, token } = result.principal;
      return { ok: true, actor: { user, scopes: token.scopes }, token };
    }
  }
}
