/**
 * Rate-limit windows in this process's memory. Bounded: windows sit in a Map in the order they started (a window
 * that restarts is moved to the end), so the expired ones are always at the front and are dropped from there, a few
 * at a time, as new windows open; never a scan of the whole map. Past MAX_WINDOWS live windows the oldest is dropped
 * (it forgets a count rather than let a flood of distinct addresses grow memory without end).
 */
import { RATE_LIMIT_WINDOW_MS, rateLimitState, type RateLimiter } from '../domain/shared-state.ts';

interface Window {
  startedAt: number;
  used: number;
}

/** About 100 bytes a window: ~20 MB at the cap, while 200,000 clients an hour is far beyond one install's traffic. */
export const MAX_WINDOWS = 200_000;

export function createMemoryRateLimiter(maxWindows = MAX_WINDOWS): RateLimiter & { size(): number } {
  const windows = new Map<string, Window>();

  function current(key: string, now: number): Window | undefined {
    const window = windows.get(key);
    return window && now - window.startedAt < RATE_LIMIT_WINDOW_MS && now >= window.startedAt ? window : undefined;
  }

  /** Drops expired windows from the front (the oldest) and, past the cap, the oldest live ones. */
  function evict(now: number): void {
    for (const [key, window] of windows) {
      if (windows.size <= maxWindows && now - window.startedAt < RATE_LIMIT_WINDOW_MS) return;
      windows.delete(key);
    }
  }

  return {
    async consume(key, limit, now) {
      const at = now.getTime();
      if (limit === 0) return rateLimitState(0, at, 0);
      let window = current(key, at);
      if (!window) {
        windows.delete(key);
        window = { startedAt: at, used: 0 };
        windows.set(key, window);
        evict(at);
      }
      window.used += 1;
      return rateLimitState(window.used, window.startedAt, limit);
    },
    async peek(key, limit, now) {
      const at = now.getTime();
      const window = limit === 0 ? undefined : current(key, at);
      return rateLimitState(window?.used ?? 0, window?.startedAt ?? at, limit);
    },
    size: () => windows.size,
  };
}
