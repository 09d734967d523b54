import type { Deps } from '../domain/deps.ts';
import type { MaintenanceScheduler } from '../git/maintenance-scheduler.ts';
import type { GitProcessGate } from './git/git-process-gate.ts';
import type { NewTokenFlash } from './web/new-token-flash.ts';

/** Requests an hour; 0 turns a limit off. */
export interface RateLimits {
  authenticatedPerHour: number;
  /** GraphQL points an hour per user. */
  graphqlPointsPerHour: number;
  anonymousPerHour: number;
  signInAttemptsPerHour: number;
  failedAuthenticationsPerHour: number;
}

/** Limits on Git over HTTPS beyond the rate limits (TESSERA_GIT_*); 0 means no limit. */
export interface GitLimits {
  maxPushBytes: number;
  /** A request body that sends nothing for this long is cut off and its git process ended. */
  idleTimeoutMs: number;
}

/** The HTTP server's timeouts in milliseconds (TESSERA_*_TIMEOUT_MS); 0 turns one off. */
export interface ServerTimeouts {
  idleMs: number;
  headersMs: number;
  requestMs: number;
  keepAliveMs: number;
}

/** Everything the HTTP edge needs: the domain's deps plus the edge's own settings and state. */
export interface AppDeps extends Deps {
  rateLimits: RateLimits;
  newTokenFlash: NewTokenFlash;
  /** Proxies whose X-Forwarded-For/-Proto are believed (TESSERA_TRUST_PROXY). */
  trustProxy: string[];
  /** Repacks and prunes repositories in the background after pushes. */
  repositoryMaintenance: MaintenanceScheduler;
  git: GitLimits;
  /** This process's git processes, capped in all and per client network. */
  gitProcesses: GitProcessGate;
  serverTimeouts: ServerTimeouts;
}
