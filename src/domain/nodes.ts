/**
 * Records by database id, for GraphQL's `node(id:)`: a user, or a repository the actor may read (a private one it
 * may not read is absent, as everywhere else).
 */
import type { Deps } from './deps.ts';
import { canReadRepository, type Actor, type LocatedRepository } from './repositories.ts';
import type { UserRow } from '../store/database.ts';
import { findRepositoryById } from '../store/repository-store.ts';
import { findUserById } from '../store/user-store.ts';

export function findUserByDatabaseId(deps: Deps, id: number): Promise<UserRow | undefined> {
  return findUserById(deps.db, id);
}

export async function findReadableRepositoryById(deps: Deps, actor: Actor | undefined, id: number): Promise<LocatedRepository | undefined> {
  const repository = await findRepositoryById(deps.db, id);
  if (!repository || repository.state !== 'ready' || !canReadRepository(actor, repository)) return undefined;
  const owner = await findUserById(deps.db, repository.owner_id);
  return owner && { owner, repository };
}
