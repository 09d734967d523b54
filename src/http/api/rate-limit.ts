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
    // Tessera counts every API call against one budget; GitHub's other resources are reported with that budget's
    // figures (GraphQL and search are no cheaper here), so a client that reads `resources.search` sees the truth.
    const resource = (name: string) => ({ ...core, resource: name });
    return {
      resources: { core, search: resource('search'), graphql: resource('graphql'), code_search: resource('code_search') },
      rate: core,
    };
  });
}
