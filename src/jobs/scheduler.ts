/**
 * Runs every job inside `tessera serve`: one timer per job, unref'd (it never keeps the process alive), the next
 * run scheduled when the previous one ends (so runs of a job never overlap within a process; across processes the
 * jobs' claims keep them apart). The first run waits FIRST_RUN_DELAY_MS plus a random part, so that servers started
 * together do not all sweep at the same moment. `close` stops the timers and waits for runs under way.
 */
import type { Deps } from '../domain/deps.ts';
import type { Job, JobReport } from './job.ts';
import { JOBS } from './registry.ts';

export const FIRST_RUN_DELAY_MS = 60_000;

export interface JobScheduler {
  close(): Promise<void>;
}

export function startJobScheduler(
  deps: Deps,
  events: { onRun?: (job: Job, report: JobReport) => void; onError?: (job: Job, error: unknown) => void } = {},
  jobs: readonly Job[] = JOBS,
): JobScheduler {
  let closed = false;
  const timers = new Map<Job, NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  const schedule = (job: Job, delayMs: number) => {
    if (closed) return;
    const timer = setTimeout(() => {
      const run = job.run(deps)
        .then((report) => events.onRun?.(job, report), (error: unknown) => events.onError?.(job, error))
        .finally(() => {
          running.delete(run);
          schedule(job, job.intervalMs);
        });
      running.add(run);
    }, delayMs);
    timer.unref();
    timers.set(job, timer);
  };
  for (const job of jobs) schedule(job, FIRST_RUN_DELAY_MS + Math.floor(Math.random() * FIRST_RUN_DELAY_MS));

  return {
    async close() {
      closed = true;
      for (const timer of timers.values()) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
