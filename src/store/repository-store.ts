import type { Insertable } from 'kysely';
import type { Db, RepositoriesTable, RepositoryRow } from './database.ts';

export async function insertRepository(db: Db, repository: Insertable<RepositoriesTable>): Promise<RepositoryRow> {
  return db.insertInto('repositories').values(repository).returningAll().executeTakeFirstOrThrow();
}

export async function findRepository(db: Db, ownerId: number, name: string): Promise<RepositoryRow | undefined> {
  return db.selectFrom('repositories').selectAll()
    .where('owner_id', '=', ownerId).where('name_key', '=', name.toLowerCase()).executeTakeFirst();
}

export async function listRepositoriesOfOwner(
  db: Db,
  ownerId: number,
  options: { includePrivate: boolean },
): Promise<RepositoryRow[]> {
  let query = db.selectFrom('repositories').selectAll().where('owner_id', '=', ownerId);
  if (!options.includePrivate) query = query.where('private', '=', 0);
  return query.orderBy('name_key').execute();
}

export async function deleteRepository(db: Db, repositoryId: number): Promise<void> {
  await db.deleteFrom('repositories').where('id', '=', repositoryId).execute();
}
