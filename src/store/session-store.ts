import type { Db, EmailVerificationRow, WebSessionRow } from './database.ts';

export async function insertWebSession(
  db: Db,
  session: {
    tokenHash: string; userId: number; createdAt: string; expiresAt: string;
    lastActiveAt: string | null; clientAddress: string | null; userAgent: string | null;
  },
): Promise<void> {
  await db.insertInto('web_sessions').values({
    token_hash: session.tokenHash, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt,
    last_active_at: session.lastActiveAt, client_address: session.clientAddress, user_agent: session.userAgent,
  }).execute();
}

/** Notes a session's latest activity unless one at or after `unlessSince` is already stored (another process's). */
export async function updateWebSessionActivity(
  db: Db,
  sessionId: number,
  activity: { lastActiveAt: string; unlessSince: string; clientAddress: string; userAgent: string },
): Promise<void> {
  await db.updateTable('web_sessions')
    .set({ last_active_at: activity.lastActiveAt, client_address: activity.clientAddress, user_agent: activity.userAgent })
    .where('id', '=', sessionId)
    .where((eb) => eb.or([eb('last_active_at', 'is', null), eb('last_active_at', '<', activity.unlessSince)]))
    .execute();
}

export async function listLiveWebSessionsOfUser(db: Db, userId: number, now: string): Promise<WebSessionRow[]> {
  return db.selectFrom('web_sessions').selectAll().where('user_id', '=', userId).where('expires_at', '>', now).execute();
}

export async function findWebSessionOfUser(db: Db, userId: number, sessionId: number): Promise<WebSessionRow | undefined> {
  return db.selectFrom('web_sessions').selectAll().where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
}

export async function deleteWebSessionOfUser(db: Db, userId: number, sessionId: number): Promise<boolean> {
  const result = await db.deleteFrom('web_sessions').where('user_id', '=', userId).where('id', '=', sessionId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function findWebSession(db: Db, tokenHash: string) {
  return db.selectFrom('web_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteWebSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Ends the user's sessions but the one with `keepTokenHash` (the browser asking, when there is one); says how many. */
export async function deleteWebSessionsOfUser(db: Db, userId: number, keepTokenHash?: string): Promise<number> {
  let query = db.deleteFrom('web_sessions').where('user_id', '=', userId);
  if (keepTokenHash !== undefined) query = query.where('token_hash', '!=', keepTokenHash);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

export async function insertEmailVerification(
  db: Db,
  verification: { tokenHash: string; userId: number; email: string; replacesKey: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db.insertInto('email_verifications').values({
    token_hash: verification.tokenHash, user_id: verification.userId, email: verification.email,
    replaces_key: verification.replacesKey, created_at: verification.createdAt, expires_at: verification.expiresAt,
  }).execute();
}

export async function findEmailVerification(db: Db, tokenHash: string): Promise<EmailVerificationRow | undefined> {
  return db.selectFrom('email_verifications').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteEmailVerificationsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('email_verifications').where('user_id', '=', userId).execute();
}

/** The newest link of the user that is still open (a pending change of address, or the sign-up link). */
export async function findLatestEmailVerification(db: Db, userId: number, now: string): Promise<EmailVerificationRow | undefined> {
  return db.selectFrom('email_verifications').selectAll()
    .where('user_id', '=', userId).where('expires_at', '>', now).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
}
