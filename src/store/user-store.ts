import type { Db, NewUserRow, UserRow } from './database.ts';
import { insertOwner } from './owner-store.ts';
import { inTransaction } from './transaction.ts';

/** A user and its owner row (the login namespace it shares with organizations), together or not at all. */
export async function insertUser(db: Db, user: NewUserRow): Promise<UserRow> {
  return inTransaction(db, async (trx) => {
    const owner = await insertOwner(trx, { login: user.username, kind: 'user', created_at: user.created_at });
    return trx.insertInto('users').values({ ...user, id: owner.id }).returningAll().executeTakeFirstOrThrow();
  });
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function findUserByUsername(db: Db, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username_key', '=', username.toLowerCase()).executeTakeFirst();
}

export async function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const key = login.toLowerCase();
  return db.selectFrom('users').selectAll()
    .where((eb) => eb.or([eb('username_key', '=', key), eb('email_key', '=', key)]))
    .executeTakeFirst();
}

export async function updateUserProfile(db: Db, id: number, changes: { name?: string | null; updatedAt: string }) {
  const values: { updated_at: string; name?: string | null } = { updated_at: changes.updatedAt };
  if (changes.name !== undefined) values.name = changes.name;
  return db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function updateUserEmailVerified(db: Db, id: number, verifiedAt: string): Promise<void> {
  await db.updateTable('users').set({ email_verified_at: verifiedAt, updated_at: verifiedAt })
    .where('id', '=', id).execute();
}

export async function listUsersByIds(db: Db, ids: number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

export async function updateUserNewNetworkNotifications(db: Db, id: number, enabled: boolean, updatedAt: string): Promise<void> {
  await db.updateTable('users').set({ notify_new_token_network: enabled ? 1 : 0, updated_at: updatedAt }).where('id', '=', id).execute();
}
