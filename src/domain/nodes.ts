/**
  * Users by database id, for GraphQL's `node(id:)` (repositories: repository-access.ts findRepositoryByIdFor).
 */
import type { Deps } from './deps.ts';
import type { UserRow } from '../store/database.ts';
import { findUserById } from '../store/user-store.ts';

export function findUserByDatabaseId(deps: Deps, id: number): Promise<UserRow | undefined> {
  return findUserById(deps.db, id);
}
