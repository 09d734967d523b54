import type { Insertable } from 'kysely';
import type { Db, SecurityEventRow, SecurityEventsTable } from './database.ts';

export async function insertSecurityEvent(db: Db, event: Insertable<SecurityEventsTable>): Promise<void> {
  await db.insertInto('security_events').values(event).execute();
}

/** A user's events, newest first, optionally of one kind; `limit + 1` rows are read so the caller knows if more follow. */
export async function listSecurityEventsOfUser(
  db: Db,
  userId: number,
  options: { kind?: string | undefined; offset: number; limit: number },
): Promise<SecurityEventRow[]> {
  let query = db.selectFrom('security_events').selectAll().where('user_id', '=', userId);
  if (options.kind !== undefined) query = query.where('kind', '=', options.kind);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').offset(options.offset).limit(options.limit).execute();
}
