/** Owners: the users and organizations that logins name (one namespace, as on GitHub). */
import type { OwnerRow } from '../store/database.ts';
import { findOwnerByLogin } from '../store/owner-store.ts';
import type { Deps } from './deps.ts';

/** A user or an organization by login, in any letter case. */
export function findOwner(deps: Deps, login: string): Promise<OwnerRow | undefined> {
  return findOwnerByLogin(deps.db, login);
}
