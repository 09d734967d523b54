/**
 * Who asks, for GraphQL: the same credential → principal path as REST and Git (credentials.ts), so a token gets the same
 * user and scopes whichever API it calls and however it is sent. GitHub's GraphQL API answers nobody anonymously.
 * Requests count against a `graphql` window of their own (GitHub's separate resource), in points.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clientNetworkKey } from '../../domain/rate-limits.ts';
import type { TokenPrincipal } from '../../domain/principal.ts';
import type { RateLimitState } from '../../domain/shared-state.ts';
import type { AppDeps } from '../app-deps.ts';
import { authenticateRequest } from '../credentials.ts';
import { sendCredentialError } from '../api/api-error.ts';
import { TOO_MANY_FAILURES_MESSAGE } from '../plugins/api-authentication.ts';

export function setGraphQLRateLimitHeaders(reply: FastifyReply, state: RateLimitState, resource: 'graphql' | 'core'): void {
  reply.header('X-RateLimit-Limit', state.limit);
  reply.header('X-RateLimit-Remaining', state.remaining);
  reply.header('X-RateLimit-Reset', Math.floor(state.resetAt.getTime() / 1000));
  reply.header('X-RateLimit-Used', state.used);
  reply.header('X-RateLimit-Resource', resource);
}

export const graphqlRateLimitKey = (user: { id: number }) => `graphql:user:${user.id}`;

/** The token's principal, or undefined once the reply has been sent (401 or 403 in GitHub's words). */
export async function authenticateGraphQLRequest(deps: AppDeps, request: FastifyRequest, reply: FastifyReply): Promise<TokenPrincipal | undefined> {
  const authentication = await authenticateRequest(deps, request);
  if (!authentication.ok && authentication.reason === 'too_many_failures') {
    reply.header('Retry-After', Math.max(1, Math.ceil((authentication.retryAt.getTime() - deps.clock.now().getTime()) / 1000)));
    await sendCredentialError(reply, 403, TOO_MANY_FAILURES_MESSAGE, 'stopsWorking');
    return undefined;
  }
  if (!authentication.ok || authentication.principal.kind !== 'token') {
    // As on REST, a refused or missing credential counts against the client network's anonymous budget.
    const limit = deps.rateLimits.anonymousPerHour;
    const state = await deps.shared.rateLimiter.consume(`ip:${clientNetworkKey(request.ip)}`, limit, deps.clock.now());
    if (limit > 0) setGraphQLRateLimitHeaders(reply, state, 'core');
    if (authentication.ok) {
      await sendCredentialError(reply, 401, 'This endpoint requires you to be authenticated.', 'api');
    } else {
      await (authentication.reason === 'password'
        ? sendCredentialError(reply, 401, `Password authentication is not supported for the API. Use a personal access token instead: ${deps.config.baseUrl}/settings/tokens`, 'api')
        : sendCredentialError(reply, 401, 'Bad credentials', 'stopsWorking'));
    }
    return undefined;
  }
  const principal = authentication.principal;
  reply.header('X-OAuth-Scopes', principal.token.scopes.join(', '));
  const expiresAt = principal.token.expiresAt;
  if (expiresAt) {
    // As on REST: `2026-12-25 10:00:00 UTC`, so a client warns before its token stops working.
    const value = `${expiresAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
    reply.header('GitHub-Authentication-Token-Expiration', value);
    reply.header('Tessera-Authentication-Token-Expiration', value);
  }
  // GitHub checks scopes per field, so the endpoint as a whole accepts any.
  reply.header('X-Accepted-OAuth-Scopes', '');
  return principal;
}
