import type { Transaction } from 'kysely';
import type { Database, Db } from './database.ts';

/** Runs `work` in the caller's transaction, or in a new one when the caller has none. */
export function inTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
