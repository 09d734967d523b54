/**
 * Releases the address of every account that has not verified it UNVERIFIED_CLAIM_DAYS after signing up, so that
 * nobody keeps an address from its owner by signing up with it first. The account stays (its username, tokens and
 * repositories with it) and keeps showing the address, but no longer holds it: another account may sign up with
 * it, it no longer finds the account on the sign-in or password-reset pages, and the account's own links to it are
 * void. Its owner can verify it again later, if nobody took it meanwhile, or change to another.
 *
 * Batched through a partial index that a released account leaves, and each batch is claimed by an UPDATE that
 * repeats the selection's condition: runs in several processes at once, or again, release each address once.
 */
import { DAY_MS } from '../domain/deps.ts';
import { UNCLAIMED_PREFIX, UNVERIFIED_CLAIM_DAYS } from '../domain/email-address.ts';
import { userChanged } from '../domain/token-cache.ts';
import { releaseUnverifiedClaims, selectUnverifiedClaims } from '../store/unverified-claim-store.ts';
import { betweenBatches, DEFAULT_BATCH_SIZE, type Job, type JobReport, count } from './job.ts';

export const releaseUnverifiedEmailsJob: Job = {
  name: 'release-unverified-emails',
  description: `Release the address of accounts that did not verify it within ${UNVERIFIED_CLAIM_DAYS} days of signing up`,
  intervalMs: 60 * 60 * 1000,
  async run(deps, options = {}) {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    const now = deps.clock.now();
    const cutoff = new Date(now.getTime() - UNVERIFIED_CLAIM_DAYS * DAY_MS).toISOString();
    const report: JobReport = { released: 0 };
    for (;;) {
      const ids = (await selectUnverifiedClaims(deps.db, cutoff, batchSize).execute()).map((row) => row.id);
      const released = await releaseUnverifiedClaims(deps.db, ids, cutoff, UNCLAIMED_PREFIX, now.toISOString());
      for (const id of released) await deps.shared.invalidations.publish(userChanged(id));
      count(report, 'released', released.length);
      if (released.length > 0) options.onProgress?.(report);
      if (ids.length < batchSize) break;
      await betweenBatches();
    }
    return report;
  },
};
