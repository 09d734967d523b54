import { type Kysely, sql } from 'kysely';

/**
 * Token lifecycle (src/jobs/): a removed state that keeps the hash for restoring, and one column per notice so that
 * each is sent once whichever process sends it (a conditional UPDATE claims it first).
 *
 * - removed_at: removed for disuse; the token fails authentication, its note stays taken, and its owner may restore
 *   it until the disuse sweep erases the row.
 * - expiry_reminder_sent_at / expiry_day_reminder_sent_at / expired_recorded_at: the reminder 7 days before expiry,
 *   the one on the day, and the 'token.expired' security event. Regenerating a token (a new expiry) clears them.
 * - disuse_warned_30_for / disuse_warned_7_for: the activity time (see TOKEN_ACTIVITY) a disuse warning was about; a
 *   use moves the activity time, so the next idle year warns again without the use path writing anything more.
 *
 * Indexes: each job reads its batches through one partial index, so the work is proportional to the tokens due,
 * not to the table. The activity index is on the same expression the queries use (src/store/token-lifecycle-store.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of [
    'removed_at', 'expiry_reminder_sent_at', 'expiry_day_reminder_sent_at', 'expired_recorded_at',
    'disuse_warned_30_for', 'disuse_warned_7_for',
  ]) {
    await db.schema.alterTable('personal_access_tokens').addColumn(column, 'text').execute();
  }
  await db.schema.createIndex('personal_access_tokens_expiry_pending').on('personal_access_tokens')
    .columns(['expires_at', 'id'])
    .where(sql.raw<boolean>('expires_at is not null and expired_recorded_at is null and removed_at is null')).execute();
  // Frozen copy of TOKEN_ACTIVITY as it was when this migration landed: a migration never changes.
  await sql`create index personal_access_tokens_activity on personal_access_tokens
    ((case when last_used_at > updated_at then last_used_at else updated_at end), id) where removed_at is null`.execute(db);
  await db.schema.createIndex('personal_access_tokens_removed').on('personal_access_tokens')
    .columns(['removed_at', 'id']).where(sql.raw<boolean>('removed_at is not null')).execute();
  await db.schema.createIndex('web_sessions_expires').on('web_sessions').column('expires_at').execute();
  await db.schema.createIndex('email_verifications_expires').on('email_verifications').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const index of ['email_verifications_expires', 'web_sessions_expires', 'personal_access_tokens_removed',
    'personal_access_tokens_activity', 'personal_access_tokens_expiry_pending']) {
    await db.schema.dropIndex(index).execute();
  }
  for (const column of [
    'disuse_warned_7_for', 'disuse_warned_30_for', 'expired_recorded_at', 'expiry_day_reminder_sent_at',
    'expiry_reminder_sent_at', 'removed_at',
  ]) {
    await db.schema.alterTable('personal_access_tokens').dropColumn(column).execute();
  }
}
