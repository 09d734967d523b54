/**
 * A job: scheduled work that `tessera serve` runs on a timer (scheduler.ts) and `tessera jobs run` runs for cron.
 * Every job must be safe to run in several processes at once and again after the clock jumped: each step claims
 * its rows with a conditional UPDATE or DELETE (src/store/token-lifecycle-store.ts), and only the claimant acts.
 */
import { setImmediate } from 'node:timers/promises';
import type { Deps } from '../domain/deps.ts';

/** What a run did, counted by what (`removed`, `mailed`, …). */
export type JobReport = Record<string, number>;

export interface JobRunOptions {
  /** Rows a batch claims; each batch is one short transaction, so token checks never wait long behind it. */
  batchSize?: number;
  /** Called after each batch with the counts so far. */
  onProgress?: (report: JobReport) => void;
}

export interface Job {
  name: string;
  description: string;
  /** How often `tessera serve` runs it. */
  intervalMs: number;
  run(deps: Deps, options?: JobRunOptions): Promise<JobReport>;
}

export const DEFAULT_BATCH_SIZE = 100;

/** Sends a notice; a failure is counted and reported, never retried (the claim is made, so a retry could mail twice). */
export async function sendNotice(deps: Deps, report: JobReport, send: () => Promise<void>): Promise<void> {
  try {
    await send();
    report.mailed = (report.mailed ?? 0) + 1;
  } catch (error) {
    report.mail_failed = (report.mail_failed ?? 0) + 1;
    deps.reportError?.(error, 'could not send a token notice');
  }
}

export function count(report: JobReport, what: string, by: number): void {
  report[what] = (report[what] ?? 0) + by;
}

/**
 * Lets waiting requests go before the next batch. On SQLite the store answers without ever leaving the microtask
 * queue, so a job that ran its batches back to back would hold the event loop, and every token check with it, for
 * the whole run (bench/sweep measured seconds); one turn of the event loop per batch keeps each stall to one batch.
 */
export function betweenBatches(): Promise<void> {
  return setImmediate();
}
