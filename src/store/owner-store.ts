import type { Db, OwnerKind, OwnerRow } from './database.ts';

export async function insertOwner(db: Db, owner: { login: string; kind: OwnerKind; created_at: string }): Promise<OwnerRow> {
  return db.insertInto('owners').values({ ...owner, login_key: owner.login.toLowerCase() }).returningAll().executeTakeFirstOrThrow();
}

/** A user or an organization by login, whatever the case it is typed in. */
export async function findOwnerByLogin(db: Db, login: string): Promise<OwnerRow | undefined> {
  return db.selectFrom('owners').selectAll().where('login_key', '=', login.toLowerCase()).executeTakeFirst();
}

export async function findOwnerById(db: Db, id: number): Promise<OwnerRow | undefined> {
  return db.selectFrom('owners').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listOwnersByIds(db: Db, ids: readonly number[]): Promise<OwnerRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('owners').selectAll().where('id', 'in', [...ids]).execute();
}
