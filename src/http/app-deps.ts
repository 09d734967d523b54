import type { Deps } from '../domain/deps.ts';
import type { MaintenanceScheduler } from '../git/maintenance-scheduler.ts';
import type { NewTokenFlash } from './web/new-token-flash.ts';

/** Requests an hour; 0 turns a limit off. */
export interface RateLimits {
  authenticatedPerHour: number;
  anonymousPerHour: number;
  signInAttemptsPerHour: number;
  failedAuthenticationsPerHour: number;
}

/** Everything the HTTP edge needs: the domain's deps plus the edge's own settings and state. */
export interface AppDeps extends Deps {
  rateLimits: RateLimits;
  newTokenFlash: NewTokenFlash;
  /** Proxies whose X-Forwarded-For/-Proto are believed (TESSERA_TRUST_PROXY). */
  trustProxy: string[];
  /** Repacks and prunes repositories in the background after pushes. */
  repositoryMaintenance: MaintenanceScheduler;
}
