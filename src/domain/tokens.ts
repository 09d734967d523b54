/**
 * Personal access tokens: create, list, regenerate, delete, and check a presented secret.
 *
 * Stored per token: owner, note, scopes, times, and the SHA-256 of the secret (never the secret). The secret is
 * returned once, to the caller that created or regenerated it. Threats: a database leak (hashes only), a token in a
 * log (secrets never pass through a logger here), guessing (178 random bits; bad checksums are refused before any
 * database look-up), timing (hashes compared in constant time). Every change is written to the security log in the
 * same transaction (security-log.ts), with the ChangeContext that says who caused it and from where.
 */
import type { Deps } from './deps.ts';
import { refreshInBackground } from './background-work.ts';
import { isEmailVerified } from './accounts.ts';
import { checkDisplayText, type UnsafeTextCode } from './display-text.ts';
import { normalizeScopes, type Scope } from './scopes.ts';
import { generateTokenSecret, hashToken, isSameHash, isWellFormedToken, TOKEN_LENGTH } from './token-format.ts';
import type { TokenRow, UserRow } from '../store/database.ts';
import {
  deleteToken, findTokenByNote, findTokenOfUser, findTokenWithUserByHash, insertToken, listTokensOfUser, updateTokenSecret,
} from '../store/token-store.ts';
import { tokenChanged } from './token-cache.ts';
import { deleteCredentialAuthorizationsOfToken } from '../store/credential-authorization-store.ts';
import { listOwnersByIds } from '../store/owner-store.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from './security-log.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';
import type { TokenUse } from './token-uses.ts';
import { mailTokenAdded } from './token-added-mail.ts';

export const MAX_NOTE_LENGTH = 255;

export interface PersonalAccessToken {
  id: number;
  note: string;
  scopes: Scope[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

export function rowToToken(row: TokenRow): PersonalAccessToken {
  return {
    id: row.id,
    note: row.note,
    scopes: row.scopes === '' ? [] : row.scopes.split(' '),
    createdAt: new Date(row.created_at),
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    lastUsedAt: row.last_used_at ? new Date(row.last_used_at) : null,
  };
}

export function isTokenExpired(token: { expiresAt: Date | null }, now: Date): boolean {
  return token.expiresAt !== null && now.getTime() >= token.expiresAt.getTime();
}

/**
 * Whether the user may create (or regenerate) tokens now: always once their email address is verified, and before
 * that only where the edition lets the install turn the requirement off (TESSERA_REQUIRE_VERIFIED_EMAIL=false).
 */
export function isAllowedToCreateTokens(deps: Deps, user: UserRow): boolean {
  return !deps.config.edition.requireVerifiedEmail || isEmailVerified(user);
}

export interface CreateTokenInput {
  note: string;
  scopes: readonly string[];
  expiresAt: Date | null;
}

export type TokenNoteProblem = 'blank' | 'too_long' | 'taken' | UnsafeTextCode;

/** What is wrong with each field of a new token, as codes: the web pages and the CLI word them (token-sentences.ts). */
export interface TokenFieldProblems {
  note?: TokenNoteProblem;
  /** The requested names that are not scopes. */
  scopes?: string[];
  expiration?: 'not_in_the_future';
}

export type CreateTokenResult =
  | { ok: true; token: PersonalAccessToken; secret: string }
  | { ok: false; reason: 'email_unverified' }
  | { ok: false; reason: 'invalid'; errors: TokenFieldProblems };

export async function createPersonalAccessToken(
  deps: Deps,
  user: UserRow,
  input: CreateTokenInput,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<CreateTokenResult> {
  if (!isAllowedToCreateTokens(deps, user)) return { ok: false, reason: 'email_unverified' };
  const errors: TokenFieldProblems = {};
  const note = input.note.trim();
  if (note === '') errors.note = 'blank';
  else if (note.length > MAX_NOTE_LENGTH) errors.note = 'too_long';
  else {
    const text = checkDisplayText(note);
    if (!text.ok) errors.note = text.code;
  }
  const scopes = normalizeScopes(input.scopes);
  if (!scopes.ok) errors.scopes = scopes.unknown;
  const now = deps.clock.now();
  if (input.expiresAt && input.expiresAt.getTime() <= now.getTime()) errors.expiration = 'not_in_the_future';
  if (Object.keys(errors).length > 0 || !scopes.ok) return { ok: false, reason: 'invalid', errors };

  const secret = generateTokenSecret(deps.randomDigit);
  try {
    const row = await deps.db.transaction().execute(async (trx) => {
      const inserted = await insertToken(trx, {
        user_id: user.id,
        note,
        token_hash: hashToken(secret),
        scopes: scopes.scopes.join(' '),
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
        expires_at: input.expiresAt?.toISOString() ?? null,
        last_used_at: null,
      });
      await recordSecurityEvent(trx, { userId: user.id, kind: 'token.created', token: inserted, context, at: now });
      return inserted;
    });
    const token = rowToToken(row);
    await mailTokenAdded(deps, user, token, 'created', context.pageLocale);
    return { ok: true, token, secret };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'invalid', errors: { note: 'taken' } };
    throw error;
  }
}

export async function listPersonalAccessTokens(deps: Deps, user: UserRow): Promise<PersonalAccessToken[]> {
  return (await listTokensOfUser(deps.db, user.id)).map(rowToToken);
}

export async function findPersonalAccessToken(deps: Deps, user: UserRow, tokenId: number): Promise<PersonalAccessToken | undefined> {
  const row = await findTokenOfUser(deps.db, user.id, tokenId);
  return row && rowToToken(row);
}

/** Every process drops its cached check of this token (token-cache.ts); call after the change has committed. */
export async function announceTokenChanged(deps: Deps, tokenId: number): Promise<void> {
  await deps.shared.invalidations.publish(tokenChanged(tokenId));
}

export async function deletePersonalAccessToken(
  deps: Deps,
  user: UserRow,
  tokenId: number,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<boolean> {
  const deleted = await deps.db.transaction().execute(async (trx) => {
    const row = await findTokenOfUser(trx, user.id, tokenId);
    if (!row || !(await deleteToken(trx, user.id, tokenId))) return false;
    await recordSecurityEvent(trx, { userId: user.id, kind: 'token.deleted', token: row, context, at: deps.clock.now() });
    return true;
  });
  if (deleted) await announceTokenChanged(deps, tokenId);
  return deleted;
}

/** Deletes the user's token with this note (compared as stored: trimmed); false when there is none. */
export async function revokePersonalAccessTokenByNote(
  deps: Deps,
  user: UserRow,
  note: string,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<boolean> {
  const row = await findTokenByNote(deps.db, user.id, note.trim());
  return row !== undefined && (await deletePersonalAccessToken(deps, user, row.id, context));
}

export type RegenerateTokenResult =
  | { ok: true; token: PersonalAccessToken; secret: string }
  | { ok: false; reason: 'not_found' | 'email_unverified' };

/** A new secret for the same note and scopes; the old secret stops working at once. */
export async function regeneratePersonalAccessToken(
  deps: Deps,
  user: UserRow,
  tokenId: number,
  expiresAt: Date | null,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<RegenerateTokenResult> {
  if (!isAllowedToCreateTokens(deps, user)) return { ok: false, reason: 'email_unverified' };
  const existing = await findTokenOfUser(deps.db, user.id, tokenId);
  if (!existing) return { ok: false, reason: 'not_found' };
  const secret = generateTokenSecret(deps.randomDigit);
  const now = deps.clock.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const updated = await updateTokenSecret(trx, existing.id, {
      tokenHash: hashToken(secret),
      expiresAt: expiresAt?.toISOString() ?? null,
      updatedAt: now.toISOString(),
    });
    await recordSecurityEvent(trx, { userId: user.id, kind: 'token.regenerated', token: updated, context, at: now });
    // A new secret is a new credential: organizations' SAML authorizations do not carry over (GitHub's rule).
    const dropped = await deleteCredentialAuthorizationsOfToken(trx, existing.id);
    for (const organization of await listOwnersByIds(trx, dropped.map((authorization) => authorization.organization_id))) {
      await recordSecurityEvent(trx, { userId: user.id, kind: 'token.sso_unauthorized', token: updated, organization, context, at: now });
    }
    return updated;
  });
  await announceTokenChanged(deps, existing.id);
  const token = rowToToken(row);
  await mailTokenAdded(deps, user, token, 'regenerated', context.pageLocale);
  return { ok: true, token, secret };
}

export interface TokenPrincipal {
  user: UserRow;
  token: PersonalAccessToken;
}

export type CheckTokenResult =
  | { ok: true; principal: TokenPrincipal }
  | { ok: false; reason: 'malformed' | 'unknown' | 'expired' | 'suspended' };

/**
 * Checks a presented secret. A bad checksum is refused without touching the database; a token checked within the
 * last second is answered from this process's cache (token-cache.ts: invalidated on every change, expiry checked on
 * each hit), else from one store query; a known token records its use (coalesced, see token-last-used.ts) and, given
 * `use`, where it came from (in the background, see token-uses.ts). A suspended owner's token is refused (the API
 * answers it as it answers an unknown one, "Bad credentials").
 */
export async function checkToken(deps: Deps, secret: string, use?: TokenUse): Promise<CheckTokenResult> {
  if (!isWellFormedToken(secret)) return { ok: false, reason: 'malformed' };
  const presentedHash = hashToken(secret);
  const now = deps.clock.now();
  const found = fromCache(deps, presentedHash, now.getTime()) ?? await readIntoCache(deps, presentedHash, now.getTime());
  return found ? acceptFound(deps, found, now, use) : { ok: false, reason: 'unknown' };
}

/** The cached check of this hash, if any; the one caller that finds it due for a refresh starts it (token-cache.ts). */
function fromCache(deps: Deps, tokenHash: string, now: number): TokenPrincipal | undefined {
  const found = deps.tokenCache.get(tokenHash, now);
  if (found && deps.tokenCache.claimRefresh(tokenHash, now)) {
    refreshInBackground(deps, 'token cache refresh', () => readIntoCache(deps, tokenHash, now));
  }
  return found;
}

/** A token with its owner, read from the store and cached (unless an invalidation overtook the read). */
async function readIntoCache(deps: Deps, tokenHash: string, readStartedAt: number): Promise<TokenPrincipal | undefined> {
  const generation = deps.tokenCache.generation();
  const row = await findTokenWithUserByHash(deps.db, tokenHash);
  // The look-up by hash is the comparison that matters: a timing difference in the index reveals something about
  // a SHA-256 of the secret, never the secret. The constant-time check guards against a store whose equality is
  // looser than byte-for-byte (a case-insensitive collation, say).
  if (!row || !isSameHash(row.token.token_hash, tokenHash)) return undefined;
  // Frozen: one cached principal serves many requests, so no handler may change it.
  const found = { token: Object.freeze(rowToToken(row.token)), user: Object.freeze(row.user) };
  deps.tokenCache.set(tokenHash, found, generation, readStartedAt);
  return found;
}

/**
 * checkToken's answer when the secret is of a token this process checked within the last second (the cache), else
 * undefined: no store query either way. The HTTP edge asks this first, so that its hottest path skips what only
 * guards the store (the failed-authentication count).
 */
export async function checkCachedToken(deps: Deps, secret: string, use?: TokenUse): Promise<CheckTokenResult | undefined> {
  // No checksum to verify: only hashes of tokens that passed a check are cached, and a SHA-256 has no second preimage.
  if (secret.length !== TOKEN_LENGTH) return undefined;
  const now = deps.clock.now();
  const found = fromCache(deps, hashToken(secret), now.getTime());
  return found && acceptFound(deps, found, now, use);
}

/** A promise only when last use is written now (about once a minute per token): the usual answer waits for nothing. */
function acceptFound(
  deps: Deps,
  found: TokenPrincipal,
  now: Date,
  use: TokenUse | undefined,
): CheckTokenResult | Promise<CheckTokenResult> {
  const { token, user } = found;
  // Cached entries carry the owner's record, dropped on userChanged when `tessera user suspend` runs anywhere.
  if (user.suspended_at !== null) return { ok: false, reason: 'suspended' };
  if (isTokenExpired(token, now)) return { ok: false, reason: 'expired' };
  const writing = deps.lastUsed.record(deps.db, token, now);
  if (use) deps.tokenUses.record(deps, token, user.id, use, now);
  const accepted: CheckTokenResult = { ok: true, principal: { user, token } };
  return writing ? writing.then(() => accepted) : accepted;
}
