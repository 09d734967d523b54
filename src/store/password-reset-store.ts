import type { Db, PasswordResetRow } from './database.ts';

export async function insertPasswordReset(
  db: Db,
  reset: { tokenHash: string; userId: number; emailKey: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db.insertInto('password_resets').values({
    token_hash: reset.tokenHash, user_id: reset.userId, email_key: reset.emailKey, created_at: reset.createdAt, expires_at: reset.expiresAt,
  }).execute();
}

export async function findPasswordReset(db: Db, tokenHash: string): Promise<PasswordResetRow | undefined> {
  return db.selectFrom('password_resets').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** Removes the link if it is still there: true for the one caller that removed it (a link works once). */
export async function deletePasswordReset(db: Db, id: number): Promise<boolean> {
  const result = await db.deleteFrom('password_resets').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function deletePasswordResetsOfUser(db: Db, userId: number): Promise<void> {
  await db.deleteFrom('password_resets').where('user_id', '=', userId).execute();
}

export async function deleteExpiredPasswordResets(db: Db, now: string, limit: number): Promise<number> {
  const due = db.selectFrom('password_resets').select('id').where('expires_at', '<=', now).limit(limit);
  return Number((await db.deleteFrom('password_resets').where('id', 'in', due).executeTakeFirst()).numDeletedRows);
}
