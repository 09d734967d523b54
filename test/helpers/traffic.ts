/**
 * Steady traffic from a few workers while a test breaks something underneath (a store restart, Redis killed), with
 * every answer recorded. A test waits for what it needs to have seen (`until`), driven by each answer as it
 * arrives, never by the clock; the deadline only turns "never happened" into a failure that says what was missed.
 */
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';

export interface TrafficResult {
  /** What was asked, e.g. "A POST /user/repos r-3". */
  what: string;
  kind: string;
  status: number;
  retryAfter: string | null;
  /** performance.now() when the answer came. */
  at: number;
  /** Anything the worker wants to check afterwards (a repository name, a token note). */
  detail?: string;
}

export type TrafficWorker = (iteration: number) => Promise<Omit<TrafficResult, 'at'>>;

/**
 * Between two requests of one worker: traffic at a steady rate of a few dozen requests a second, so a
 * short outage sees many requests without flooding the two shared cores. This paces load; it waits for nothing.
 */
const PACE_MS = 50;

export class Traffic {
  readonly results: TrafficResult[] = [];
  #running = true;
  readonly #loops: Promise<void>[];
  #waiters: Array<() => void> = [];

  /** Stops with the test `t`, however it ends, so that no worker outlives it. */
  constructor(t: { after(fn: () => Promise<unknown>): void }, workers: TrafficWorker[]) {
    t.after(() => this.stop());
    this.#loops = workers.map(async (worker) => {
      for (let iteration = 0; this.#running; iteration += 1) {
        const result = await worker(iteration).catch((error: unknown) => ({
          what: `worker ${iteration}`, kind: 'error', status: 0, retryAfter: null, detail: String(error),
        }));
        this.results.push({ ...result, at: performance.now() });
        for (const wake of this.#waiters) wake();
        await delay(PACE_MS);
      }
    });
  }

  /** Resolves once `check(results)` holds after some answer; fails after `ms` saying `what` it waited for. */
  until(what: string, ms: number, check: (results: TrafficResult[]) => boolean): Promise<void> {
    if (check(this.results)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        if (!check(this.results)) return;
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        resolve();
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((waiter) => waiter !== wake);
        const last = this.results.slice(-5).map((result) => `${result.what} → ${result.status}`).join('; ');
        reject(new Error(`traffic: ${what} did not happen within ${ms} ms (last: ${last})`));
      }, ms);
      this.#waiters.push(wake);
    });
  }

  /** Stops after each worker's request in flight; resolves once all have. */
  async stop(): Promise<TrafficResult[]> {
    this.#running = false;
    await Promise.all(this.#loops);
    return this.results;
  }
}

/** Polls `check` until it holds, for what no event announces (another process's state); fails after `ms`. */
export async function within(ms: number, what: string, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) assert.fail(`${what}: not within ${ms} ms`);
    await delay(20); // Between two polls; the deadline above is what the test asserts.
  }
}
