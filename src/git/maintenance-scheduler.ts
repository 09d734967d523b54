/**
 * Runs repository maintenance in the background after pushes: debounced per repository (a burst of pushes costs
 * one run, DELAY after the last), never two runs of one repository at once (a push during a run schedules one
 * more after it), and errors reported, never thrown at the push that triggered them.
 */
export type MaintenanceOutcome = { ok: true } | { ok: false; error: unknown };

export interface MaintenanceScheduler {
  /** Asks for maintenance of the repository at `path`; resolves when a run that started after this call ends. */
  schedule(path: string): Promise<MaintenanceOutcome>;
  /** Drops waiting runs (a run under way finishes on its own). */
  close(): void;
}

interface Entry {
  timer?: NodeJS.Timeout;
  running?: Promise<void>;
  rerun: boolean;
  waiting: Array<(outcome: MaintenanceOutcome) => void>;
}

export function createMaintenanceScheduler(options: {
  delayMs: number;
  maintain: (path: string) => Promise<void>;
  onError?: (error: unknown, path: string) => void;
}): MaintenanceScheduler {
  const entries = new Map<string, Entry>();

  function start(path: string, entry: Entry): void {
    entry.timer = undefined;
    if (entry.running) {
      entry.rerun = true;
      return;
    }
    const waiting = entry.waiting.splice(0);
    entry.running = options.maintain(path).then(
      () => ({ ok: true }) as const,
      (error: unknown) => {
        options.onError?.(error, path);
        return { ok: false, error } as const;
      },
    ).then((outcome) => {
      entry.running = undefined;
      for (const resolve of waiting) resolve(outcome);
      if (entry.rerun) {
        entry.rerun = false;
        start(path, entry);
      } else if (!entry.timer && entry.waiting.length === 0) {
        entries.delete(path);
      }
    });
  }

  return {
    schedule(path) {
      let entry = entries.get(path);
      if (!entry) entries.set(path, (entry = { rerun: false, waiting: [] }));
      clearTimeout(entry.timer);
      const scheduled = entry;
      scheduled.timer = setTimeout(() => start(path, scheduled), options.delayMs);
      scheduled.timer.unref();
      return new Promise((resolve) => scheduled.waiting.push(resolve));
    },
    close() {
      for (const entry of entries.values()) clearTimeout(entry.timer);
      entries.clear();
    },
  };
}
