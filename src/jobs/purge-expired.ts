/** Deletes expired web sessions, email-verification and password-reset links, in batches (all are refused once expired anyway). */
import { deleteExpiredPasswordResets } from '../store/password-reset-store.ts';
import { deleteExpiredEmailVerifications, deleteExpiredWebSessions } from '../store/token-lifecycle-store.ts';
import { betweenBatches, DEFAULT_BATCH_SIZE, type Job, type JobReport, count } from './job.ts';

export const purgeExpiredJob: Job = {
  name: 'purge-expired',
  description: 'Delete expired web sessions, email-verification and password-reset links',
  intervalMs: 60 * 60 * 1000,
  async run(deps, options = {}) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const now = deps.clock.now().toISOString();
    const report: JobReport = { sessions: 0, verification_links: 0, password_reset_links: 0 };
    const purges = [
      ['sessions', deleteExpiredWebSessions], ['verification_links', deleteExpiredEmailVerifications], ['password_reset_links', deleteExpiredPasswordResets],
    ] as const;
    for (const [what, purge] of purges) {
      for (;;) {
        const deleted = await purge(deps.db, now, batchSize);
        count(report, what, deleted);
        if (deleted > 0) options.onProgress?.(report);
        if (deleted < batchSize) break;
        await betweenBatches();
      }
    }
    return report;
  },
};
