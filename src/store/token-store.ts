import type { Insertable } from 'kysely';
import type { Db, PersonalAccessTokensTable, TokenRow, UserRow } from './database.ts';

export async function insertToken(db: Db, token: Insertable<PersonalAccessTokensTable>): Promise<TokenRow> {
  return db.insertInto('personal_access_tokens').values(token).returningAll().executeTakeFirstOrThrow();
}

/** Lifecycle state (src/jobs/); a removed token (removed_at set) is found by none of the queries below but its owner's restore. */
const LIFECYCLE_COLUMNS = [
  'removed_at', 'expiry_reminder_sent_at', 'expiry_day_reminder_sent_at', 'expired_recorded_at', 'disuse_warned_30_for', 'disuse_warned_7_for',
] as const;

export async function findTokenByHash(db: Db, tokenHash: string): Promise<TokenRow | undefined> {
  return db.selectFrom('personal_access_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

/** A token with its owner, in one query: the authentication path's only read. */
export async function findTokenWithUserByHash(db: Db, tokenHash: string): Promise<{ token: TokenRow; user: UserRow } | undefined> {
  const row = await db.selectFrom('personal_access_tokens as t').innerJoin('users as u', 'u.id', 't.user_id')
    .select([
      't.id', 't.user_id', 't.note', 't.token_hash', 't.scopes', 't.created_at', 't.updated_at', 't.expires_at', 't.last_used_at',
      ...LIFECYCLE_COLUMNS.map((column) => `t.${column}` as const),
      'u.username', 'u.username_key', 'u.email', 'u.email_key', 'u.name', 'u.password_hash', 'u.email_verified_at',
      'u.created_at as user_created_at', 'u.updated_at as user_updated_at', 'u.notify_new_token_network', 'u.locale',
      'u.suspended_at',
    ])
    .where('t.token_hash', '=', tokenHash).where('t.removed_at', 'is', null).executeTakeFirst();
  if (!row) return undefined;
  return {
    token: {
      id: row.id, user_id: row.user_id, note: row.note, token_hash: row.token_hash, scopes: row.scopes,
      created_at: row.created_at, updated_at: row.updated_at, expires_at: row.expires_at, last_used_at: row.last_used_at,
      removed_at: row.removed_at, expiry_reminder_sent_at: row.expiry_reminder_sent_at,
      expiry_day_reminder_sent_at: row.expiry_day_reminder_sent_at, expired_recorded_at: row.expired_recorded_at,
      disuse_warned_30_for: row.disuse_warned_30_for, disuse_warned_7_for: row.disuse_warned_7_for,
    },
    user: {
      id: row.user_id, username: row.username, username_key: row.username_key, email: row.email, email_key: row.email_key,
      name: row.name, password_hash: row.password_hash, email_verified_at: row.email_verified_at,
      created_at: row.user_created_at, updated_at: row.user_updated_at, notify_new_token_network: row.notify_new_token_network,
      locale: row.locale, suspended_at: row.suspended_at,
    },
  };
}

/** The tokens with these hashes and their owners, in one query (a batch of leaked secrets being revoked). */
export async function findTokensWithOwnersByHashes(db: Db, tokenHashes: readonly string[]): Promise<Array<{ token: TokenRow; user: UserRow }>> {
  if (tokenHashes.length === 0) return [];
  const tokens = await db.selectFrom('personal_access_tokens').selectAll().where('token_hash', 'in', tokenHashes).execute();
  if (tokens.length === 0) return [];
  const users = await db.selectFrom('users').selectAll().where('id', 'in', [...new Set(tokens.map((token) => token.user_id))]).execute();
  const userById = new Map(users.map((user) => [user.id, user]));
  return tokens.flatMap((token) => {
    const user = userById.get(token.user_id);
    return user ? [{ token, user }] : [];
  });
}

/** Deletes the token only while it still has this hash: a secret regenerated meanwhile is not the leaked one. */
export async function deleteTokenWithHash(db: Db, tokenId: number, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('personal_access_tokens')
    .where('id', '=', tokenId).where('token_hash', '=', tokenHash).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function findTokenOfUser(db: Db, userId: number, tokenId: number): Promise<TokenRow | undefined> {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).where('id', '=', tokenId).where('removed_at', 'is', null).executeTakeFirst();
}

export async function findTokenByNote(db: Db, userId: number, note: string): Promise<TokenRow | undefined> {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).where('note', '=', note).where('removed_at', 'is', null).executeTakeFirst();
}

export async function listTokensOfUser(db: Db, userId: number): Promise<TokenRow[]> {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).where('removed_at', 'is', null).orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
}

export async function deleteToken(db: Db, userId: number, tokenId: number): Promise<boolean> {
  const result = await db.deleteFrom('personal_access_tokens')
    .where('user_id', '=', userId).where('id', '=', tokenId).where('removed_at', 'is', null).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export async function updateTokenSecret(
  db: Db,
  tokenId: number,
  changes: { tokenHash: string; expiresAt: string | null; updatedAt: string },
): Promise<TokenRow> {
  return db.updateTable('personal_access_tokens')
    .set({
      token_hash: changes.tokenHash, expires_at: changes.expiresAt, updated_at: changes.updatedAt, last_used_at: null,
      // A new expiry: its reminders and its expiry event are still to come.
      expiry_reminder_sent_at: null, expiry_day_reminder_sent_at: null, expired_recorded_at: null,
    })
    .where('id', '=', tokenId).returningAll().executeTakeFirstOrThrow();
}

/**
 * Records a use unless one at or after `unlessSince` is already stored (another process wrote it): true when a
 * row changed. The condition makes concurrent writers from several processes cost one write per interval.
 */
export async function updateTokenLastUsed(db: Db, tokenId: number, lastUsedAt: string, unlessSince: string): Promise<boolean> {
  const result = await db.updateTable('personal_access_tokens').set({ last_used_at: lastUsedAt })
    .where('id', '=', tokenId)
    .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', unlessSince)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
