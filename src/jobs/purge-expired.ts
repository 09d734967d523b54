/** Deletes expired web sessions and email-verification links, in batches (both are refused once expired anyway). */
import { deleteExpiredEmailVerifications, deleteExpiredWebSessions } from '../store/token-lifecycle-store.ts';
import { betweenBatches, DEFAULT_BATCH_SIZE, type Job, type JobReport, count } from './job.ts';

export const purgeExpiredJob: Job = {
  name: 'purge-expired',
  description: 'Delete expired web sessions and email-verification links',
  intervalMs: 60 * 60 * 1000,
  async run(deps, options = {}) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const now = deps.clock.now().toISOString();
    const report: JobReport = { sessions: 0, verification_links: 0 };
    for (const [what, purge] of [['sessions', deleteExpiredWebSessions], ['verification_links', deleteExpiredEmailVerifications]] as const) {
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
