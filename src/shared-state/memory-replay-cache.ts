/**
 * Claimed keys in this process's memory, each until its expiry. Only keys of accepted SAML assertions are claimed
 * (after their signature was verified), so the map grows with real sign-ins, not with what anyone posts; expired keys
 * are swept whenever the map has doubled since the last sweep, so a sweep costs O(1) per claim on average.
 */
import type { ReplayCache } from '../domain/shared-state.ts';

export function createMemoryReplayCache(): ReplayCache & { size(): number } {
  const expiries = new Map<string, number>();
  let sweepAt = 1024;

  function sweep(now: number): void {
    for (const [key, expiresAt] of expiries) if (expiresAt <= now) expiries.delete(key);
    sweepAt = Math.max(1024, expiries.size * 2);
  }

  return {
    async claim(key, ttlMs, now) {
      const at = now.getTime();
      const expiresAt = expiries.get(key);
      if (expiresAt !== undefined && expiresAt > at) return false;
      expiries.set(key, at + ttlMs);
      if (expiries.size >= sweepAt) sweep(at);
      return true;
    },
    size: () => expiries.size,
  };
}
