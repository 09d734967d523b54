/**
 * Queries of the unverified-address release (src/jobs/release-unverified-emails.ts), through the partial index
 * users_unverified_claims (migration 2026-11-26T01-00-00): the condition below is the index's, word for word, as
 * SQLite and PostgreSQL use a partial index only for a query that repeats its condition.
 */
import { sql } from 'kysely';
import type { Db } from './database.ts';

const HOLDS_UNVERIFIED_ADDRESS = sql<boolean>`email_verified_at is null and email_key not like 'unclaimed:%'`;

/** Unverified accounts that hold their address and signed up at or before `cutoff`, oldest first (a query to run). */
export function selectUnverifiedClaims(db: Db, cutoff: string, limit: number) {
  return db.selectFrom('users').select('id').where(HOLDS_UNVERIFIED_ADDRESS).where('created_at', '<=', cutoff)
    .orderBy('created_at').orderBy('id').limit(limit);
}

/**
 * Gives up the address of each of these accounts still due (unverified, holding it, old enough): the key becomes
 * `<prefix><id>`. Returns the ids released; one verified or released meanwhile is left alone.
 */
export async function releaseUnverifiedClaims(db: Db, ids: number[], cutoff: string, prefix: string, updatedAt: string): Promise<number[]> {
  if (ids.length === 0) return [];
  const rows = await db.updateTable('users')
    .set({ email_key: sql<string>`cast(${prefix} as text) || cast(id as text)`, updated_at: updatedAt })
    .where('id', 'in', ids).where(HOLDS_UNVERIFIED_ADDRESS).where('created_at', '<=', cutoff)
    .returning('id').execute();
  return rows.map((row) => row.id);
}
