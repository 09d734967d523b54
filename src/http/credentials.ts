/**
 * Parses the Authorization header into what was presented. Parsing only: whether a token is valid is
 * domain/tokens.checkToken's business, and the answer never depends on the scheme used (GHSA-cc8w-r4qh-3v65).
 *
 * Accepted: `token T`, `Bearer T` and `Basic base64(username:T)` (any username, as GitHub accepts). A Basic
 * password that does not start like a token is taken for an account password, which is refused with advice.
 */
import { ANONYMOUS, type Principal, resolvePrincipal } from '../domain/principal.ts';
import { clientNetworkKey } from '../domain/rate-limits.ts';
import { looksLikeToken } from '../domain/token-format.ts';
import type { AppDeps } from './app-deps.ts';

export type Credential =
  | { kind: 'none' }
  | { kind: 'token'; secret: string; scheme: 'token' | 'bearer' | 'basic' }
  | { kind: 'password' }
  | { kind: 'malformed' }
  /** More than one Authorization header: which one counts would depend on the proxy in between, so neither does. */
  | { kind: 'repeated' };

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

/** Whether the request carried two or more Authorization headers (the raw list alternates names and values). */
function hasRepeatedAuthorization(request: ClientRequest): boolean {
  if (request.headers.authorization === undefined) return false;
  const raw = request.raw.rawHeaders;
  let seen = 0;
  for (let i = 0; i < raw.length; i += 2) {
    if (raw[i]!.length === 13 && raw[i]!.toLowerCase() === 'authorization' && ++seen > 1) return true;
  }
  return false;
}

export type Authentication =
  | { ok: true; principal: Principal }
  | { ok: false; reason: 'malformed' | 'repeated' | 'password' | 'unknown' | 'expired' }
  | { ok: false; reason: 'too_many_failures'; retryAt: Date };

export type AuthenticationFailure = Extract<Authentication, { ok: false }>['reason'];

export interface ClientRequest {
  headers: { authorization?: string | string[] | undefined; 'user-agent'?: string | undefined };
  /** The headers as they came, repeats included (Node keeps only the first Authorization in `headers`). */
  raw: { rawHeaders: string[] };
  /** The client's address (X-Forwarded-For only from a trusted proxy). */
  ip: string;
}

const failuresKey = (request: ClientRequest) => `auth-failures:${clientNetworkKey(request.ip)}`;

async function verify(deps: AppDeps, credential: Credential, request: ClientRequest): Promise<Authentication> {
  switch (credential.kind) {
    case 'none':
      return { ok: true, principal: ANONYMOUS };
    case 'malformed':
    case 'repeated':
    case 'password':
      return { ok: false, reason: credential.kind };
    case 'token':
      return resolvePrincipal(deps, { kind: 'token', secret: credential.secret }, {
        clientAddress: request.ip, userAgent: request.headers['user-agent'],
      });
  }
}

/**
 * The request's credential as a principal (anonymous when no credential was sent). The API, GraphQL and Git all start
 * here, so the same header gets the same principal on each, whatever scheme carried the token.
 *
 * Failed authentications are counted per client network; once there were too many this hour, every credential from
 * that network is refused before any store query until the window resets (GitHub answers such clients 403 too).
 */
export async function authenticateRequest(deps: AppDeps, request: ClientRequest): Promise<Authentication> {
  const credential = hasRepeatedAuthorization(request) ? { kind: 'repeated' as const } : parseAuthorization(request.headers.authorization);
  if (credential.kind === 'none') return verify(deps, credential, request);
  const limit = deps.rateLimits.failedAuthenticationsPerHour;
  const failures = await deps.shared.rateLimiter.peek(failuresKey(request), limit, deps.clock.now());
  if (limit > 0 && failures.used >= limit) return { ok: false, reason: 'too_many_failures', retryAt: failures.resetAt };
  const authentication = await verify(deps, credential, request);
  if (!authentication.ok) await deps.shared.rateLimiter.consume(failuresKey(request), limit, deps.clock.now());
  return authentication;
}
