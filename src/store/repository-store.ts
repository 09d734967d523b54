import type { Insertable } from 'kysely';
import type { Db, RepositoriesTable, RepositoryRow, RepositoryState } from './database.ts';

export async function insertRepository(db: Db, repository: Insertable<RepositoriesTable>): Promise<RepositoryRow> {
  return db.insertInto('repositories').values(repository).returningAll().executeTakeFirstOrThrow();
}

/** A ready repository by owner and name (any letter case). */
export async function findRepository(db: Db, ownerId: number, name: string): Promise<RepositoryRow | undefined> {
  return db.selectFrom('repositories').selectAll()
    .where('owner_id', '=', ownerId).where('name_key', '=', name.toLowerCase()).where('state', '=', 'ready')
    .executeTakeFirst();
}

export async function findRepositoryById(db: Db, id: number): Promise<RepositoryRow | undefined> {
  return db.selectFrom('repositories').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listRepositoriesOfOwner(
  db: Db,
  ownerId: number,
  options: { includePrivate: boolean },
): Promise<RepositoryRow[]> {
  let query = db.selectFrom('repositories').selectAll().where('owner_id', '=', ownerId).where('state', '=', 'ready');
  if (!options.includePrivate) query = query.where('private', '=', 0);
  return query.orderBy('name_key').execute();
}

/** Every ready repository, in id order (for `tessera repo maintain --all`). */
export async function listReadyRepositories(db: Db): Promise<RepositoryRow[]> {
  return db.selectFrom('repositories').selectAll().where('state', '=', 'ready').orderBy('id').execute();
}

/** Repositories an owner has or is making, in any state: what the quota counts. */
export async function countRepositoriesOfOwner(db: Db, ownerId: number): Promise<number> {
  const row = await db.selectFrom('repositories').select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function listRepositoriesInState(db: Db, state: RepositoryState): Promise<RepositoryRow[]> {
  return db.selectFrom('repositories').selectAll().where('state', '=', state).orderBy('id').execute();
}

export async function listRepositoryIds(db: Db): Promise<Array<{ id: number; owner_id: number }>> {
  return db.selectFrom('repositories').select(['id', 'owner_id']).execute();
}

/** Moves a repository from one state to another; false when it was not in `from` (or is gone). */
export async function updateRepositoryState(db: Db, id: number, from: readonly RepositoryState[], to: RepositoryState): Promise<boolean> {
  const result = await db.updateTable('repositories').set({ state: to, instance: null })
    .where('id', '=', id).where('state', 'in', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteRepository(db: Db, repositoryId: number): Promise<void> {
  await db.deleteFrom('repositories').where('id', '=', repositoryId).execute();
}

/** An owner's ready repositories, public and private, for the counts GitHub puts in a user's JSON. */
export async function countRepositoriesByVisibility(db: Db, ownerId: number): Promise<{ public: number; private: number }> {
  const rows = await db.selectFrom('repositories').select(['private', (eb) => eb.fn.countAll<string | number>().as('count')])
    .where('owner_id', '=', ownerId).where('state', '=', 'ready').groupBy('private').execute();
  const count = (flag: number) => Number(rows.find((row) => Number(row.private) === flag)?.count ?? 0);
  return { public: count(0), private: count(1) };
}
