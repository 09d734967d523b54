/**
 * Browser sessions. The cookie holds a 256-bit random secret; the database holds its SHA-256, the user and the
 * expiry (WEB_SESSION_LIFETIME_MS). Signing out deletes the row, so a copied cookie stops working.
 */
import { randomBytes } from 'node:crypto';
import { DAY_MS, type Deps } from './deps.ts';
import { hashToken } from './token-format.ts';
import type { UserRow } from '../store/database.ts';
import { deleteWebSession, findWebSession, insertWebSession } from '../store/session-store.ts';
import { findUserById } from '../store/user-store.ts';

export const WEB_SESSION_LIFETIME_MS = 14 * DAY_MS;

export async function startWebSession(deps: Deps, user: UserRow): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await insertWebSession(deps.db, {
    tokenHash: hashToken(secret),
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + WEB_SESSION_LIFETIME_MS).toISOString(),
  });
  return secret;
}

export async function resolveWebSession(deps: Deps, secret: string): Promise<UserRow | undefined> {
  if (secret.length > 100) return undefined;
  const session = await findWebSession(deps.db, hashToken(secret));
  if (!session || deps.clock.now().toISOString() >= session.expires_at) return undefined;
  return findUserById(deps.db, session.user_id);
}

export async function endWebSession(deps: Deps, secret: string): Promise<void> {
  await deleteWebSession(deps.db, hashToken(secret));
}
