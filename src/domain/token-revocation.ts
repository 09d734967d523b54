/**
 * Revocation of leaked tokens: anyone who finds Tessera tokens in a public place (a scanner, a stranger) submits
 * them, without signing in, and every real one among them is deleted at once (GitHub's `POST /credentials/revoke`).
 *
 * Stored: nothing about the submission beyond a security-log event per revoked token (actor `anonymous`, the
 * submitter's address), written in the same transaction as the deletion. Threats, and the answers:
 * - Noise and floods: strings that are not well-formed tokens (wrong prefix, bad checksum) are dropped without a
 *   query; what is left is looked up in one query; the edge limits submissions per client network.
 * - An oracle: the caller learns nothing (the edge answers 202 whatever was found). Whoever holds a real secret could
 *   learn that it works by using it, so the revocation reveals nothing they could not learn anyway.
 * - A race with regeneration: only the row that still has the leaked hash is deleted, never its new secret.
 * - Staleness: each revoked token is announced on the invalidation bus, so no process's cache keeps it working.
 */
import type { Deps } from './deps.ts';
import { type ChangeContext, recordSecurityEvent } from './security-log.ts';
import { tokenChanged } from './token-cache.ts';
import { hashToken, isWellFormedToken } from './token-format.ts';
import type { UserRow } from '../store/database.ts';
import { deleteTokenWithHash, findTokensWithOwnersByHashes } from '../store/token-store.ts';

/** GitHub's cap per request. */
export const MAX_CREDENTIALS_PER_REVOCATION = 1000;
/** Submissions an hour per client network, as GitHub allows unauthenticated callers of this endpoint. */
export const CREDENTIAL_REVOCATIONS_PER_HOUR = 60;

export type RevocationRequestProblem =
  | { code: 'not_an_object' }
  | { code: 'credentials_missing' }
  | { code: 'credentials_not_an_array' }
  | { code: 'credentials_empty' }
  | { code: 'credentials_too_many'; maximum: number }
  | { code: 'credential_not_a_string'; index: number };

/**
 * Checks a request body by hand rather than with the route's JSON schema: Fastify's validator coerces types, and
 * `[5]` must be refused, not revoked as "5".
 */
export function parseRevocationRequest(body: unknown): { ok: true; credentials: string[] } | { ok: false; problem: RevocationRequestProblem } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, problem: { code: 'not_an_object' } };
  const credentials = (body as Record<string, unknown>).credentials;
  if (credentials === undefined) return { ok: false, problem: { code: 'credentials_missing' } };
  if (!Array.isArray(credentials)) return { ok: false, problem: { code: 'credentials_not_an_array' } };
  if (credentials.length === 0) return { ok: false, problem: { code: 'credentials_empty' } };
  if (credentials.length > MAX_CREDENTIALS_PER_REVOCATION) {
    return { ok: false, problem: { code: 'credentials_too_many', maximum: MAX_CREDENTIALS_PER_REVOCATION } };
  }
  const index = credentials.findIndex((credential) => typeof credential !== 'string');
  if (index >= 0) return { ok: false, problem: { code: 'credential_not_a_string', index } };
  return { ok: true, credentials: credentials as string[] };
}

export interface RevokedToken {
  owner: UserRow;
  tokenId: number;
  note: string;
}

/**
 * Deletes every real token among `credentials`, each with its security-log event in the same transaction, and says
 * which were revoked (for mailing their owners; never for the caller). Unknown, already revoked, malformed and
 * foreign strings are skipped silently.
 */
export async function revokeLeakedTokens(deps: Deps, credentials: readonly string[], context: ChangeContext): Promise<RevokedToken[]> {
  const hashes = [...new Set(credentials.filter(isWellFormedToken).map(hashToken))];
  const found = await findTokensWithOwnersByHashes(deps.db, hashes);
  const revoked: RevokedToken[] = [];
  for (const { token, user } of found) {
    const now = deps.clock.now();
    const deleted = await deps.db.transaction().execute(async (trx) => {
      if (!(await deleteTokenWithHash(trx, token.id, token.token_hash))) return false;
      await recordSecurityEvent(trx, { userId: user.id, kind: 'token.revoked_leaked', token, context, at: now });
      return true;
    });
    if (!deleted) continue;
    await deps.shared.invalidations.publish(tokenChanged(token.id));
    revoked.push({ owner: user, tokenId: token.id, note: token.note });
  }
  return revoked;
}
