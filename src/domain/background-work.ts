/**
 * Work done after the answer, so that the answer's timing cannot tell what the work was. A password reset request
 * for an account that exists writes a link and mails it (an SMTP round trip: tens to hundreds of milliseconds); one
 * for an address nobody has does nothing. Answering first and working after makes both answers equally quick
 * (OWASP's Forgot Password Cheat Sheet: "ensure that responses return in a consistent amount of time").
 *
 * A failure is reported (Deps.reportError), never thrown at a caller that has already answered. Without a runner
 * (the CLI, which answers nobody), the work runs before the caller goes on.
 */
import type { Deps } from './deps.ts';

export interface BackgroundWork {
  /** Starts `work` and returns at once. */
  start(what: string, work: () => Promise<void>): void;
  /** Resolves once everything started so far is done (closing the server awaits it; so do tests). */
  settled(): Promise<void>;
}

export function createBackgroundWork(report: (error: unknown, what: string) => void = () => {}): BackgroundWork {
  const running = new Set<Promise<void>>();
  return {
    start(what, work) {
      const run = work().catch((error: unknown) => report(error, what)).finally(() => running.delete(run));
      running.add(run);
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}

/** Runs `work` in the background when the deps have a runner, else at once. */
export async function afterAnswering(deps: Deps, what: string, work: () => Promise<void>): Promise<void> {
  if (deps.background) return deps.background.start(what, work);
  try {
    await work();
  } catch (error) {
    deps.reportError?.(error, what);
  }
}

/**
 * Reads a cached entry again after the answer (refresh-ahead: token-cache.ts, repository-counts.ts). A failure is
 * dropped, not reported: the entry then expires, and the next request reads the store itself and meets the failure
 * as any read does. Without a runner nothing is read, and the entry expires as it would have.
 */
export function refreshInBackground(deps: Deps, what: string, read: () => Promise<unknown>): void {
  deps.background?.start(what, () => read().then(() => {}, () => {}));
}
