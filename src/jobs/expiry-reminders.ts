/**
 * Expiry notices: a reminder 7 days before a token expires, another in its last day, and the 'token.expired'
 * security event once it has expired. Candidates come through the index personal_access_tokens_expiry_pending
 * (tokens with an expiry not yet recorded), so a run reads only tokens expiring within the week or just expired.
 * A run that comes late sends only the latest notice due (the claim marks the earlier ones as done).
 */
import { DAY_MS, type Deps } from '../domain/deps.ts';
import { SYSTEM_CONTEXT, recordSecurityEvent } from '../domain/security-log.ts';
import { mailLocale } from '../mail/mail-locale.ts';
import { expiryReminderMessage } from '../mail/token-messages.ts';
import {
  type ClaimedToken, claimExpiryNotice, type KeysetCursor, findUsersByIds, selectExpiringTokens,
} from '../store/token-lifecycle-store.ts';
import { betweenBatches, DEFAULT_BATCH_SIZE, type Job, type JobReport, count, sendNotice } from './job.ts';

/** Days before expiry of the first reminder. */
export const EXPIRY_REMINDER_DAYS = 7;

const scopesOf = (row: ClaimedToken) => (row.scopes === '' ? [] : row.scopes.split(' '));

export const expiryRemindersJob: Job = {
  name: 'expiry-reminders',
  description: 'Mail a reminder 7 days before a token expires and on the day; record expired tokens in the security log',
  intervalMs: 60 * 60 * 1000,
  async run(deps, options = {}) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const now = deps.clock.now();
    const at = (days: number) => new Date(now.getTime() + days * DAY_MS).toISOString();
    const report: JobReport = { expired: 0, reminded: 0 };
    let cursor: KeysetCursor;
    for (;;) {
      const batch = await selectExpiringTokens(deps.db, at(EXPIRY_REMINDER_DAYS), cursor, batchSize).execute();
      if (batch.length === 0) break;
      await betweenBatches();
      const last = batch.at(-1)!;
      cursor = { key: last.expires_at!, id: last.id };
      const ids = batch.map((row) => row.id);
      const expired = await deps.db.transaction().execute(async (trx) => {
        const claimed = await claimExpiryNotice(trx, ids, 'expired_recorded_at', { from: null, until: at(0) }, at(0));
        for (const token of claimed) {
          await recordSecurityEvent(trx, { userId: token.user_id, kind: 'token.expired', token, context: SYSTEM_CONTEXT, at: now });
        }
        return claimed;
      });
      count(report, 'expired', expired.length);
      const lastDay = await claimExpiryNotice(deps.db, ids, 'expiry_day_reminder_sent_at', { from: at(0), until: at(1) }, at(0));
      const week = await claimExpiryNotice(deps.db, ids, 'expiry_reminder_sent_at', { from: at(1), until: at(EXPIRY_REMINDER_DAYS) }, at(0));
      await mailReminders(deps, report, [...lastDay.map((row) => ({ row, when: 'day' as const })), ...week.map((row) => ({ row, when: 'week' as const }))]);
      options.onProgress?.(report);
      if (batch.length < batchSize) break;
    }
    return report;
  },
};

async function mailReminders(deps: Deps, report: JobReport, due: Array<{ row: ClaimedToken; when: 'week' | 'day' }>): Promise<void> {
  const users = new Map((await findUsersByIds(deps.db, [...new Set(due.map(({ row }) => row.user_id))])).map((user) => [user.id, user]));
  for (const { row, when } of due) {
    const user = users.get(row.user_id);
    if (!user) continue;
    const token = { id: row.id, note: row.note, scopes: scopesOf(row) };
    await sendNotice(deps, report, () => deps.mailer.send(
      expiryReminderMessage(mailLocale(deps.config, user), deps.config.baseUrl, user, token, new Date(row.expires_at!), when)));
    count(report, 'reminded', 1);
  }
}
