import type { Deps } from '../domain/deps.ts';
import type { RateLimiter } from '../domain/rate-limits.ts';
import type { NewTokenFlash } from './web/new-token-flash.ts';

export interface RateLimits {
  authenticatedPerHour: number;
  anonymousPerHour: number;
  signInAttemptsPerHour: number;
}

/** Everything the HTTP edge needs: the domain's deps plus the edge's own per-process state. */
export interface AppDeps extends Deps {
  rateLimiter: RateLimiter;
  rateLimits: RateLimits;
  newTokenFlash: NewTokenFlash;
}
