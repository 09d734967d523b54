/**
 * Queries of the token lifecycle jobs (src/jobs/). Each job selects a batch of ids through a partial index
 * (keyset pagination: every batch costs the same), then claims them with a conditional UPDATE that repeats the
 * selection's condition: a row another process claimed first, or that a use made current again, is not changed,
 * and only the rows the UPDATE returns are mailed or logged. That is what makes two runs at once, or a run
 * repeated after the clock jumped back, change nothing twice.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from './database.ts';

/**
 * When a token was last active: its last use, or when it got its current secret (created, regenerated) or was
 * restored, whichever is later. Written exactly as the index `personal_access_tokens_activity` (migration
 * 2026-11-25T23-10-00): SQLite and PostgreSQL use an expression index only for the same expression.
 */
export const TOKEN_ACTIVITY = sql<string>`(case when last_used_at > updated_at then last_used_at else updated_at end)`;

export interface ClaimedToken {
  id: number;
  user_id: number;
  note: string;
  scopes: string;
  expires_at: string | null;
  activity: string;
}

export type KeysetCursor = { key: string; id: number } | undefined;

const claimedColumns = ['id', 'user_id', 'note', 'scopes', 'expires_at', TOKEN_ACTIVITY.as('activity')] as const;

/**
 * Past the cursor. The `>=` is the index range's lower bound on both stores (SQLite uses neither a row-value
 * comparison nor an OR as a bound on an expression index); the OR only skips the few rows at the cursor's own key.
 */
function after(key: Expression<string>, cursor: KeysetCursor) {
  return cursor ? sql<SqlBool>`(${key} >= ${cursor.key} and (${key} > ${cursor.key} or id > ${cursor.id}))` : sql<SqlBool>`1 = 1`;
}

// ----- expiry -----

/** Tokens whose expiry falls at or before `until` and whose expiry is not yet recorded; in expiry order. */
export function selectExpiringTokens(db: Db, until: string, cursor: KeysetCursor, limit: number) {
  return db.selectFrom('personal_access_tokens').select(['id', 'expires_at'])
    .where('expires_at', 'is not', null).where('expired_recorded_at', 'is', null).where('removed_at', 'is', null)
    .where('expires_at', '<=', until)
    .where(after(sql.ref('expires_at'), cursor))
    .orderBy('expires_at').orderBy('id').limit(limit);
}

export type ExpiryNotice = 'expiry_reminder_sent_at' | 'expiry_day_reminder_sent_at' | 'expired_recorded_at';

/**
 * Claims a notice for the tokens among `ids` whose expiry lies in (from, until] and that have not had it; marks the
 * earlier notices as done too (a late run sends the latest notice only). Returns the claimed rows.
 */
export async function claimExpiryNotice(
  db: Db,
  ids: number[],
  notice: ExpiryNotice,
  window: { from: string | null; until: string },
  now: string,
): Promise<ClaimedToken[]> {
  if (ids.length === 0) return [];
  const marks: Partial<Record<ExpiryNotice, unknown>> = { [notice]: now };
  if (notice !== 'expiry_reminder_sent_at') marks.expiry_reminder_sent_at = sql`coalesce(expiry_reminder_sent_at, ${now})`;
  if (notice === 'expired_recorded_at') marks.expiry_day_reminder_sent_at = sql`coalesce(expiry_day_reminder_sent_at, ${now})`;
  let query = db.updateTable('personal_access_tokens').set(marks as never)
    .where('id', 'in', ids).where(notice, 'is', null).where('removed_at', 'is', null)
    .where('expires_at', '<=', window.until);
  if (window.from !== null) query = query.where('expires_at', '>', window.from);
  return query.returning([...claimedColumns]).execute() as Promise<ClaimedToken[]>;
}

// ----- disuse -----

/** Live tokens last active at or before `cutoff`, in activity order. */
export function selectIdleTokens(db: Db, cutoff: string, cursor: KeysetCursor, limit: number) {
  return db.selectFrom('personal_access_tokens').select(['id', TOKEN_ACTIVITY.as('activity')])
    .where('removed_at', 'is', null).where(TOKEN_ACTIVITY, '<=', cutoff)
    .where(after(TOKEN_ACTIVITY, cursor))
    .orderBy(TOKEN_ACTIVITY).orderBy('id').limit(limit);
}

export type DisuseWarning = 'disuse_warned_30_for' | 'disuse_warned_7_for';

/** Claims a disuse warning for the idle tokens among `ids` not yet warned about their current idle period. */
export async function claimDisuseWarning(db: Db, ids: number[], warning: DisuseWarning, cutoff: string): Promise<ClaimedToken[]> {
  if (ids.length === 0) return [];
  // The 7-day warning also stands for the 30-day one: a token first seen 7 days before is not warned twice.
  const marks = warning === 'disuse_warned_7_for'
    ? { disuse_warned_7_for: TOKEN_ACTIVITY, disuse_warned_30_for: TOKEN_ACTIVITY }
    : { disuse_warned_30_for: TOKEN_ACTIVITY };
  return db.updateTable('personal_access_tokens').set(marks)
    .where('id', 'in', ids).where('removed_at', 'is', null).where(TOKEN_ACTIVITY, '<=', cutoff)
    .where((eb) => eb.or([eb(warning, 'is', null), eb(warning, '<', TOKEN_ACTIVITY)]))
    .returning([...claimedColumns]).execute() as Promise<ClaimedToken[]>;
}

/** Marks the idle tokens among `ids` removed; returns those this call removed. */
export async function markTokensRemoved(db: Db, ids: number[], cutoff: string, now: string): Promise<ClaimedToken[]> {
  if (ids.length === 0) return [];
  return db.updateTable('personal_access_tokens').set({ removed_at: now })
    .where('id', 'in', ids).where('removed_at', 'is', null).where(TOKEN_ACTIVITY, '<=', cutoff)
    .returning([...claimedColumns]).execute() as Promise<ClaimedToken[]>;
}

/** Erases up to `limit` tokens removed at or before `cutoff` (their hashes with them); returns how many. */
export async function deleteRemovedTokens(db: Db, cutoff: string, limit: number): Promise<number> {
  const due = db.selectFrom('personal_access_tokens').select('id')
    .where('removed_at', 'is not', null).where('removed_at', '<=', cutoff).orderBy('removed_at').orderBy('id').limit(limit);
  const result = await db.deleteFrom('personal_access_tokens').where('id', 'in', due)
    .where('removed_at', 'is not', null).where('removed_at', '<=', cutoff).executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ----- restore -----

export async function listRemovedTokensOfUser(db: Db, userId: number, removedAfter: string) {
  return db.selectFrom('personal_access_tokens').selectAll()
    .where('user_id', '=', userId).where('removed_at', 'is not', null).where('removed_at', '>', removedAfter)
    .orderBy('removed_at', 'desc').orderBy('id', 'desc').execute();
}

/** Brings back the user's token removed after `removedAfter`; its idle period starts again now. */
export async function unmarkTokenRemoved(db: Db, userId: number, tokenId: number, removedAfter: string, now: string) {
  return db.updateTable('personal_access_tokens').set({ removed_at: null, updated_at: now })
    .where('id', '=', tokenId).where('user_id', '=', userId)
    .where('removed_at', 'is not', null).where('removed_at', '>', removedAfter)
    .returningAll().executeTakeFirst();
}

// ----- sessions and links -----

export async function deleteExpiredWebSessions(db: Db, now: string, limit: number): Promise<number> {
  const due = db.selectFrom('web_sessions').select('id').where('expires_at', '<=', now).limit(limit);
  return Number((await db.deleteFrom('web_sessions').where('id', 'in', due).executeTakeFirst()).numDeletedRows);
}

export async function deleteExpiredEmailVerifications(db: Db, now: string, limit: number): Promise<number> {
  const due = db.selectFrom('email_verifications').select('id').where('expires_at', '<=', now).limit(limit);
  return Number((await db.deleteFrom('email_verifications').where('id', 'in', due).executeTakeFirst()).numDeletedRows);
}

export async function findUsersByIds(db: Db, ids: number[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
}
