import { disuseSweepJob } from './disuse-sweep.ts';
import { expiryRemindersJob } from './expiry-reminders.ts';
import type { Job } from './job.ts';
import { purgeExpiredJob } from './purge-expired.ts';
import { releaseUnverifiedEmailsJob } from './release-unverified-emails.ts';

/** Every job, in the order `tessera jobs run` runs them. */
export const JOBS: readonly Job[] = [expiryRemindersJob, disuseSweepJob, purgeExpiredJob, releaseUnverifiedEmailsJob];

export function findJob(name: string): Job | undefined {
  return JOBS.find((job) => job.name === name);
}
