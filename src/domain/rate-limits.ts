/**
 * API rate limits in fixed one-hour windows, as GitHub counts them: 5,000 requests an hour per token, 60 an hour
 * per IP address for anonymous calls. The counter lives in this process (a shared counter comes with the scale-out
 * store); a window starts with its first request and resets an hour later.
 */
export const RATE_LIMIT_WINDOW_MS = 60 * 60 * 1000;
export const AUTHENTICATED_LIMIT_PER_HOUR = 5000;
export const ANONYMOUS_LIMIT_PER_HOUR = 60;
/** Sign-in and sign-up attempts per IP address: each costs an Argon2 hash, and each is a password guess. */
export const SIGN_IN_ATTEMPTS_PER_HOUR = 60;

export interface RateLimitState {
  limit: number;
  used: number;
  remaining: number;
  /** When the window resets. */
  resetAt: Date;
  exceeded: boolean;
}

export interface RateLimiter {
  /** Counts one request against `key` and says where it stands. */
  consume(key: string, limit: number, now: Date): RateLimitState;
  /** Where `key` stands, without counting (for GET /rate_limit). */
  peek(key: string, limit: number, now: Date): RateLimitState;
}

interface Window {
  startedAt: number;
  used: number;
}

/** Windows that are over are dropped once their number passes this, so idle keys do not pile up. */
const SWEEP_THRESHOLD = 10_000;

export function createMemoryRateLimiter(): RateLimiter {
  const windows = new Map<string, Window>();

  function current(key: string, now: number): Window | undefined {
    const window = windows.get(key);
    return window && now - window.startedAt < RATE_LIMIT_WINDOW_MS ? window : undefined;
  }

  function state(window: Window | undefined, limit: number, now: number): RateLimitState {
    const used = window?.used ?? 0;
    return {
      limit,
      used: Math.min(used, limit),
      remaining: Math.max(limit - used, 0),
      resetAt: new Date((window?.startedAt ?? now) + RATE_LIMIT_WINDOW_MS),
      exceeded: used > limit,
    };
  }

  function sweep(now: number): void {
    if (windows.size < SWEEP_THRESHOLD) return;
    for (const [key, window] of windows) if (now - window.startedAt >= RATE_LIMIT_WINDOW_MS) windows.delete(key);
  }

  return {
    consume(key, limit, now) {
      const at = now.getTime();
      let window = current(key, at);
      if (!window) {
        sweep(at);
        window = { startedAt: at, used: 0 };
        windows.set(key, window);
      }
      window.used += 1;
      return state(window, limit, at);
    },
    peek(key, limit, now) {
      return state(current(key, now.getTime()), limit, now.getTime());
    },
  };
}
