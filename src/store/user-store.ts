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

/** The account holding the address with this key (src/domain/email-address.ts emailKey). */
export async function findUserByEmailKey(db: Db, key: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_key', '=', key).executeTakeFirst();
}

/**
 * The user a sign-in names: by username, or by an address the account holds and has verified (an unverified
 * address would tell whoever signed up with it whether another account had it first).
 */
export async function findUserByLogin(db: Db, keys: { usernameKey: string; emailKey: string }): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll()
    .where((eb) => eb.or([
      eb('username_key', '=', keys.usernameKey),
      eb.and([eb('email_key', '=', keys.emailKey), eb('email_verified_at', 'is not', null)]),
    ]))
    .executeTakeFirst();
}

export async function updateUserProfile(db: Db, id: number, changes: { name?: string | null; updatedAt: string }) {
  const values: { updated_at: string; name?: string | null } = { updated_at: changes.updatedAt };
  if (changes.name !== undefined) values.name = changes.name;
  return db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/**
 * Makes `email` the account's verified address, only while its key is still `expectedKey` (the link's binding):
 * undefined when it is not. A unique violation means another account holds the address.
 */
export async function updateUserVerifiedEmail(
  db: Db,
  id: number,
  change: { email: string; emailKey: string; expectedKey: string; verifiedAt: string },
): Promise<UserRow | undefined> {
  return db.updateTable('users')
    .set({ email: change.email, email_key: change.emailKey, email_verified_at: change.verifiedAt, updated_at: change.verifiedAt })
    .where('id', '=', id).where('email_key', '=', change.expectedKey)
    .returningAll().executeTakeFirst();
}

export async function updateUserEmailKey(db: Db, id: number, emailKey: string, updatedAt: string): Promise<UserRow> {
  return db.updateTable('users').set({ email_key: emailKey, updated_at: updatedAt }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function updateUserPassword(db: Db, id: number, passwordHash: string, updatedAt: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, updated_at: updatedAt }).where('id', '=', id).execute();
}

export async function updateUserEmailVerifiedAt(db: Db, id: number, verifiedAt: string): Promise<void> {
  await db.updateTable('users').set({ email_verified_at: verifiedAt, updated_at: verifiedAt }).where('id', '=', id).execute();
}

/** Suspends (a time) or unsuspends (null); true when the state changed. */
export async function updateUserSuspended(db: Db, id: number, suspendedAt: string | null, updatedAt: string): Promise<boolean> {
  const result = await db.updateTable('users').set({ suspended_at: suspendedAt, updated_at: updatedAt })
    .where('id', '=', id).where('suspended_at', suspendedAt === null ? 'is not' : 'is', null).executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function updateUserLocale(db: Db, id: number, locale: string | null, updatedAt: string): Promise<void> {
  await db.updateTable('users').set({ locale, updated_at: updatedAt }).where('id', '=', id).execute();
}

export async function listUsersByIds(db: Db, ids: number[]): Promise<UserRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}

export async function updateUserNewNetworkNotifications(db: Db, id: number, enabled: boolean, updatedAt: string): Promise<void> {
  await db.updateTable('users').set({ notify_new_token_network: enabled ? 1 : 0, updated_at: updatedAt }).where('id', '=', id).execute();
}

export type UserListFilter = 'all' | 'verified' | 'unverified' | 'suspended';

/** One page of users by id after `afterId` (keyset: every page costs the same however far in). */
export async function listUsersPage(db: Db, options: { afterId: number; limit: number; filter: UserListFilter }): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll().where('id', '>', options.afterId);
  if (options.filter === 'verified') query = query.where('email_verified_at', 'is not', null);
  if (options.filter === 'unverified') query = query.where('email_verified_at', 'is', null);
  if (options.filter === 'suspended') query = query.where('suspended_at', 'is not', null);
  return query.orderBy('id').limit(options.limit).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number | string | bigint>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The largest id and the longest username, for lining up a listing that is written a page at a time. */
export async function findUserListWidths(db: Db): Promise<{ maxId: number; maxUsernameLength: number }> {
  const row = await db.selectFrom('users')
    .select((eb) => [eb.fn.max('id').as('max_id'), eb.fn.max(eb.fn<number>('length', ['username'])).as('max_length')])
    .executeTakeFirstOrThrow();
  return { maxId: Number(row.max_id ?? 0), maxUsernameLength: Number(row.max_length ?? 0) };
}
