import type { Insertable } from 'kysely';
import type { Db, PersonalAccessTokensTable, TokenRow } from './database.ts';

export async function insertToken(db: Db, token: Insertable<PersonalAccessTokensTable>): Promise<TokenRow> {
  return db.insertInto('personal_access_tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  return db.selectFrom('personal_access_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function findTokenOfUser(db: Db, userId: number, tokenId: number): Promise<TokenRow | undefined> {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).where('id', '=', tokenId).executeTakeFirst();
}

export async function findTokenByNote(db: Db, userId: number, note: string): Promise<TokenRow | undefined> {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).where('note', '=', note).executeTakeFirst();
}

export async function listTokensOfUser(db: Db, userId: number): Promise<TokenRow[]> {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function deleteToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const result = await db.deleteFrom('personal_access_tokens')
    .where('user_id', '=', userId).where('id', '=', tokenId).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function updateTokenSecret(
  db: Db,
  tokenId: number,
  changes: { tokenHash: string; expiresAt: string | null; updatedAt: string },
): Promise<TokenRow> {
  return db.updateTable('personal_access_tokens')
    .set({ token_hash: changes.tokenHash, expires_at: changes.expiresAt, updated_at: changes.updatedAt, last_used_at: null })
    .where('id', '=', tokenId).returningAll().executeTakeFirstOrThrow();
}

export async function updateTokenLastUsed(db: Db, tokenId: number, lastUsedAt: string): Promise<void> {
  await db.updateTable('personal_access_tokens').set({ last_used_at: lastUsedAt })
    .where('id', '=', tokenId).execute();
}
