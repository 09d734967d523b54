import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { rateLimitKey } from '../plugins/api-authentication.ts';

export function registerRateLimitRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/rate_limit', { config: { countsAgainstRateLimit: false } }, async (request) => {
    const { key, limit } = rateLimitKey(request, deps);
    const state = await deps.shared.rateLimiter.peek(key, limit, deps.clock.now());
    const core = {
      limit: state.limit,
      used: state.used,
      remaining: state.remaining,
      reset: Math.floor(state.resetAt.getTime() / 1000),
      resource: 'core',
    };
    return { resources: { core }, rate: core };
  });
}
