/**
 * Removal after a long time unused (TESSERA_UNUSED_TOKEN_DAYS; by default 365 in the cloud edition and 0, never, in
 * the others: src/domain/editions.ts): a token whose last
 * activity (last use, or getting its secret or being restored, whichever is later: TOKEN_ACTIVITY) is that many days
 * old is marked removed, logged as 'token.removed_unused' in the same transaction, dropped from every process's
 * cache, and its owner mailed which tokens and why. Warnings go out 30 and 7 days before; a use in between moves
 * the activity time and so keeps the token. Removed tokens are erased (the row and its hash deleted) once their
 * RESTORE_WINDOW_DAYS have passed.
 *
 * Each batch is selected through an index (personal_access_tokens_activity, _removed) and changed in one short
 * transaction whose UPDATE repeats the selection's condition: a token used, or claimed by another run, after it
 * was selected is left alone.
 */
import { DAY_MS, type Deps } from '../domain/deps.ts';
import { SYSTEM_CONTEXT, recordSecurityEvent } from '../domain/security-log.ts';
import { RESTORE_WINDOW_DAYS } from '../domain/token-restore.ts';
import { announceTokenChanged } from '../domain/tokens.ts';
import { mailLocale } from '../mail/mail-locale.ts';
import { disuseWarningMessage, tokensRemovedMessage } from '../mail/token-messages.ts';
import type { UserRow } from '../store/database.ts';
import {
  type ClaimedToken, type DisuseWarning, type KeysetCursor, claimDisuseWarning, deleteRemovedTokens, findUsersByIds,
  markTokensRemoved, selectIdleTokens,
} from '../store/token-lifecycle-store.ts';
import { betweenBatches, DEFAULT_BATCH_SIZE, type Job, type JobReport, count, sendNotice } from './job.ts';

/** Days before removal that a warning is mailed; a warning as long as the threshold itself is skipped. */
export const DISUSE_WARNING_DAYS: Array<{ days: number; column: DisuseWarning }> = [
  { days: 7, column: 'disuse_warned_7_for' },
  { days: 30, column: 'disuse_warned_30_for' },
];

/** The warnings a threshold leaves room for (a warning as long as the threshold itself is skipped). */
export function disuseWarningsFor(unusedDays: number): typeof DISUSE_WARNING_DAYS {
  return DISUSE_WARNING_DAYS.filter((warning) => warning.days < unusedDays);
}

/** Days before removal that warnings go out at this threshold, the earliest warning first (30, 7), for the pages. */
export function disuseWarningDays(unusedDays: number): number[] {
  return disuseWarningsFor(unusedDays).map((warning) => warning.days).sort((a, b) => b - a);
}

const asMailed = (row: ClaimedToken) => ({ id: row.id, note: row.note, scopes: row.scopes === '' ? [] : row.scopes.split(' ') });

async function usersOf(deps: Deps, rows: ClaimedToken[]): Promise<Map<number, UserRow>> {
  return new Map((await findUsersByIds(deps.db, [...new Set(rows.map((row) => row.user_id))])).map((user) => [user.id, user]));
}

/** Runs `step` on each batch of idle tokens (activity at or before `cutoff`) until none is left. */
async function forEachIdleBatch(deps: Deps, cutoff: string, batchSize: number, step: (ids: number[]) => Promise<void>): Promise<void> {
  let cursor: KeysetCursor;
  for (;;) {
    const batch = await selectIdleTokens(deps.db, cutoff, cursor, batchSize).execute();
    if (batch.length === 0) return;
    cursor = { key: batch.at(-1)!.activity, id: batch.at(-1)!.id };
    await step(batch.map((row) => row.id));
    if (batch.length < batchSize) return;
    await betweenBatches();
  }
}

export const disuseSweepJob: Job = {
  name: 'disuse-sweep',
  description: 'Warn about, remove, and finally erase tokens unused for TESSERA_UNUSED_TOKEN_DAYS days',
  intervalMs: 60 * 60 * 1000,
  async run(deps, options = {}) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const unusedDays = deps.config.unusedTokenDays;
    const now = deps.clock.now();
    const daysAgo = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
    const report: JobReport = { removed: 0, warned: 0, erased: 0 };
    const progress = () => options.onProgress?.(report);

    if (unusedDays > 0) {
      const cutoff = daysAgo(unusedDays);
      await forEachIdleBatch(deps, cutoff, batchSize, async (ids) => {
        const removed = await deps.db.transaction().execute(async (trx) => {
          const claimed = await markTokensRemoved(trx, ids, cutoff, now.toISOString());
          for (const token of claimed) {
            await recordSecurityEvent(trx, { userId: token.user_id, kind: 'token.removed_unused', token, context: SYSTEM_CONTEXT, at: now });
          }
          return claimed;
        });
        for (const token of removed) await announceTokenChanged(deps, token.id);
        count(report, 'removed', removed.length);
        await mailRemovals(deps, report, removed, unusedDays, now);
        progress();
      });
      for (const warning of disuseWarningsFor(unusedDays)) {
        const warnCutoff = daysAgo(unusedDays - warning.days);
        await forEachIdleBatch(deps, warnCutoff, batchSize, async (ids) => {
          const warned = await claimDisuseWarning(deps.db, ids, warning.column, warnCutoff);
          count(report, 'warned', warned.length);
          const users = await usersOf(deps, warned);
          for (const row of warned) {
            const user = users.get(row.user_id);
            const removalAt = new Date(new Date(row.activity).getTime() + unusedDays * DAY_MS);
            if (user) {
              await sendNotice(deps, report, () => deps.mailer.send(
                disuseWarningMessage(mailLocale(deps.config, user), deps.config.baseUrl, user, asMailed(row), { unusedDays, removalAt })));
            }
          }
          progress();
        });
      }
    }

    // Erasing runs even with removal turned off: tokens removed before keep no hash beyond their window.
    for (;;) {
      const erased = await deleteRemovedTokens(deps.db, daysAgo(RESTORE_WINDOW_DAYS), batchSize);
      count(report, 'erased', erased);
      if (erased > 0) progress();
      if (erased < batchSize) break;
      await betweenBatches();
    }
    return report;
  },
};

/** One mail per owner per batch, naming every token of theirs the batch removed. */
async function mailRemovals(deps: Deps, report: JobReport, removed: ClaimedToken[], unusedDays: number, now: Date): Promise<void> {
  const users = await usersOf(deps, removed);
  const restorableUntil = new Date(now.getTime() + RESTORE_WINDOW_DAYS * DAY_MS);
  for (const [userId, user] of users) {
    const tokens = removed.filter((row) => row.user_id === userId).map(asMailed);
    await sendNotice(deps, report, () => deps.mailer.send(
      tokensRemovedMessage(mailLocale(deps.config, user), deps.config.baseUrl, user, tokens, { unusedDays, restorableUntil })));
  }
}
