import type { Db } from './database.ts';

export async function insertWebSession(
  db: Db,
  session: { tokenHash: string; userId: number; createdAt: string; expiresAt: string },
): Promise<void> {
  await db.insertInto('web_sessions').values({
    token_hash: session.tokenHash, user_id: session.userId, created_at: session.createdAt, expires_at: session.expiresAt,
  }).execute();
}

export async function findWebSession(db: Db, tokenHash: string) {
  return db.selectFrom('web_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteWebSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('web_sessions').where('token_hash', '=', tokenHash).execute();
}

export async function insertEmailVerification(
  db: Db,
  verification: { tokenHash: string; userId: number; createdAt: string; expiresAt: string },
): Promise<void> {
  await db.insertInto('email_verifications').values({
    token_hash: verification.tokenHash, user_id: verification.userId,
    created_at: verification.createdAt, expires_at: verification.expiresAt,
  }).execute();
}

export async function findEmailVerification(db: Db, tokenHash: string) {
  return db.selectFrom('email_verifications').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function deleteEmailVerificationsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('email_verifications').where('user_id', '=', userId).execute();
}

export async function findLatestEmailVerificationTime(db: Db, userId: number): Promise<string | undefined> {
  const row = await db.selectFrom('email_verifications').select('created_at')
    .where('user_id', '=', userId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  return row?.created_at;
}
