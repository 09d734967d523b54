import type { FastifyInstance } from 'fastify';
import { userOf } from '../../domain/principal.ts';
import type { RateLimitState } from '../../domain/shared-state.ts';
import type { AppDeps } from '../app-deps.ts';
import { graphqlRateLimitKey } from '../graphql/authentication.ts';
import { rateLimitKey } from '../plugins/api-authentication.ts';

function resource(state: RateLimitState, name: string) {
  return { limit: state.limit, used: state.used, remaining: state.remaining, reset: Math.floor(state.resetAt.getTime() / 1000), resource: name };
}

export function registerRateLimitRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/rate_limit', { config: { countsAgainstRateLimit: false } }, async (request) => {
    const { key, limit } = rateLimitKey(request, deps);
    const now = deps.clock.now();
    const state = await deps.shared.rateLimiter.peek(key, limit, now);
    const core = resource(state, 'core');
    // GraphQL has its own budget of points per user (graphql/authentication.ts); without a token GraphQL answers
    // nothing, so its budget is 0, as GitHub reports it. Search is not cheaper here than any other call: it is
    // reported with the core budget's figures, so a client that reads `resources.search` sees the truth.
    const user = userOf(request.principal);
    const graphql = user
      ? resource(await deps.shared.rateLimiter.peek(graphqlRateLimitKey(user), deps.rateLimits.graphqlPointsPerHour, now), 'graphql')
      : { limit: 0, used: 0, remaining: 0, reset: core.reset, resource: 'graphql' };
    return {
      resources: { core, search: { ...core, resource: 'search' }, graphql, code_search: { ...core, resource: 'code_search' } },
      rate: core,
    };
  });
}
