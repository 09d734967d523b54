/**
 * Browser sessions. The cookie holds a 256-bit random secret; the database holds its SHA-256, the user, the expiry
 * (WEB_SESSION_LIFETIME_MS), and for the sessions page when and from where it was last active (written at most once
 * per WEB_SESSION_ACTIVITY_INTERVAL_MS, so page views cost no write). Signing out or revoking deletes the row, so a
 * copied cookie stops working.
 */
import { randomBytes } from 'node:crypto';
import { DAY_MS, type Deps } from './deps.ts';
import { hashToken } from './token-format.ts';
import { cleanUserAgent } from './token-uses.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from './security-log.ts';
import type { UserRow, WebSessionRow } from '../store/database.ts';
import {
  deleteWebSession, deleteWebSessionOfUser, findWebSession, findWebSessionOfUser, insertWebSession,
  listLiveWebSessionsOfUser, updateWebSessionActivity,
} from '../store/session-store.ts';
import { findUserById } from '../store/user-store.ts';

export const WEB_SESSION_LIFETIME_MS = 14 * DAY_MS;
export const WEB_SESSION_ACTIVITY_INTERVAL_MS = 60_000;

/** Where a request came from: the client's address and user agent. */
export interface SessionActivity {
  clientAddress: string;
  userAgent: string | undefined;
}

export async function startWebSession(deps: Deps, user: UserRow, activity?: SessionActivity): Promise<string> {
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await insertWebSession(deps.db, {
    tokenHash: hashToken(secret),
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + WEB_SESSION_LIFETIME_MS).toISOString(),
    lastActiveAt: activity ? now.toISOString() : null,
    clientAddress: activity?.clientAddress ?? null,
    userAgent: activity ? cleanUserAgent(activity.userAgent) : null,
  });
  return secret;
}

/** The session's user; given `activity`, also notes it as the session's latest (at most once a minute). */
export async function resolveWebSession(deps: Deps, secret: string, activity?: SessionActivity): Promise<UserRow | undefined> {
  if (secret.length > 100) return undefined;
  const session = await findWebSession(deps.db, hashToken(secret));
  const now = deps.clock.now();
  if (!session || now.toISOString() >= session.expires_at) return undefined;
  if (activity && isActivityDue(session, now)) {
    // Conditional, so that several processes serving one browser's requests write once per interval.
    await updateWebSessionActivity(deps.db, session.id, {
      lastActiveAt: now.toISOString(),
      unlessSince: new Date(now.getTime() - WEB_SESSION_ACTIVITY_INTERVAL_MS + 1).toISOString(),
      clientAddress: activity.clientAddress,
      userAgent: cleanUserAgent(activity.userAgent),
    });
  }
  const user = await findUserById(deps.db, session.user_id);
  // Suspending ends the user's sessions; this refuses one that a sign-in racing the suspension started.
  return user && user.suspended_at === null ? user : undefined;
}

function isActivityDue(session: WebSessionRow, now: Date): boolean {
  if (!session.last_active_at) return true;
  const age = now.getTime() - Date.parse(session.last_active_at);
  // A clock that went backwards leaves the stored time alone rather than writing on every request.
  return age >= WEB_SESSION_ACTIVITY_INTERVAL_MS;
}

export async function endWebSession(deps: Deps, secret: string): Promise<void> {
  await deleteWebSession(deps.db, hashToken(secret));
}

export interface WebSessionSummary {
  id: number;
  createdAt: Date;
  /** The creation time for a session not yet seen active since the column existed. */
  lastActiveAt: Date;
  clientAddress: string | null;
  userAgent: string | null;
  /** The browser asking. */
  current: boolean;
}

/** The user's sessions that still work, most recently active first. */
export async function listWebSessions(deps: Deps, user: UserRow, currentSecret: string | undefined): Promise<WebSessionSummary[]> {
  const currentHash = currentSecret ? hashToken(currentSecret) : undefined;
  const rows = await listLiveWebSessionsOfUser(deps.db, user.id, deps.clock.now().toISOString());
  return rows.map((row) => ({
    id: row.id,
    createdAt: new Date(row.created_at),
    lastActiveAt: new Date(row.last_active_at ?? row.created_at),
    clientAddress: row.client_address,
    userAgent: row.user_agent,
    current: row.token_hash === currentHash,
  })).sort((a, b) => b.lastActiveAt.getTime() - a.lastActiveAt.getTime() || b.id - a.id);
}

export type RevokeWebSessionResult = { ok: true; wasCurrent: boolean } | { ok: false; reason: 'not_found' };

/** Ends one of the user's own sessions (another user's is not found), recorded in the security log with the change. */
export async function revokeWebSession(
  deps: Deps,
  user: UserRow,
  sessionId: number,
  currentSecret: string | undefined,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<RevokeWebSessionResult> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx): Promise<RevokeWebSessionResult> => {
    const session = await findWebSessionOfUser(trx, user.id, sessionId);
    if (!session || !(await deleteWebSessionOfUser(trx, user.id, sessionId))) return { ok: false, reason: 'not_found' };
    await recordSecurityEvent(trx, { userId: user.id, kind: 'session.revoked', context, at: now });
    return { ok: true, wasCurrent: currentSecret !== undefined && session.token_hash === hashToken(currentSecret) };
  });
}
