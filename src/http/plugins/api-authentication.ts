/**
 * Authentication, scope headers and rate limits for every route under /api/v3.
 *
 * Each route says in its config whether it needs a credential and which scope it needs; this hook turns the
 * Authorization header into an actor (or none), answers 401 in GitHub's words, sets X-OAuth-Scopes,
 * X-Accepted-OAuth-Scopes and the X-RateLimit-* headers, and refuses what domain/authorization.ts refuses for the
 * route. Handlers only read `request.principal`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorizeRoute } from '../../domain/authorization.ts';
import { type Principal, type TokenPrincipal, userOf } from '../../domain/principal.ts';
import { scopesGranting, type Scope } from '../../domain/scopes.ts';
import type { PersonalAccessToken } from '../../domain/tokens.ts';
import { clientNetworkKey } from '../../domain/rate-limits.ts';
import type { RateLimitState } from '../../domain/shared-state.ts';
import type { AppDeps } from '../app-deps.ts';
import { authenticateRequest } from '../credentials.ts';
import { sendApiError } from '../api/api-error.ts';
import { isConditionalRequest } from './api-protocol.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is acting on /api/v3 and /api/graphql: a token's user, or anonymous (cookies are never read there). */
    principal: Principal;
    /** Set when counting this request waits until its status is known (a conditional GET that may end in 304). */
    deferredRateLimit: { key: string; limit: number } | undefined;
  }
  interface FastifyContextConfig {
    /** The route answers 401 without a credential. */
    requiresAuthentication?: boolean;
    /** The scope the route needs; its ancestors grant it too (they are listed in X-Accepted-OAuth-Scopes). */
    requiredScope?: Scope;
    /** GitHub hides some endpoints (404) rather than refusing them (403) when the scope is missing. */
    missingScopeStatus?: 403 | 404;
    /** GET /rate_limit reports the limit without counting against it. */
    countsAgainstRateLimit?: boolean;
  }
}

/** The token's principal on a route that requires authentication (the hook has answered 401 otherwise). */
export function tokenPrincipalOf(request: FastifyRequest): TokenPrincipal {
  const principal = request.principal;
  if (principal.kind !== 'token') throw new Error(`${request.routeOptions.url} must be registered with requiresAuthentication`);
  return principal;
}

export function setAcceptedScopes(reply: FastifyReply, scope: Scope | undefined): void {
  reply.header('X-Accepted-OAuth-Scopes', scope ? scopesGranting(scope).join(', ') : '');
}

/** `GitHub-Authentication-Token-Expiration: 2026-12-25 10:00:00 UTC`, and the same under Tessera's name. */
function setTokenExpiration(reply: FastifyReply, token: PersonalAccessToken): void {
  if (!token.expiresAt) return;
  const value = `${token.expiresAt.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
  reply.header('GitHub-Authentication-Token-Expiration', value);
  reply.header('Tessera-Authentication-Token-Expiration', value);
}

export function setRateLimitHeaders(reply: FastifyReply, state: RateLimitState): void {
  reply.header('X-RateLimit-Limit', state.limit);
  reply.header('X-RateLimit-Remaining', state.remaining);
  reply.header('X-RateLimit-Reset', Math.floor(state.resetAt.getTime() / 1000));
  reply.header('X-RateLimit-Used', state.used);
  reply.header('X-RateLimit-Resource', 'core');
}

/** What a request counts against: its user over all of their tokens (GitHub's rule), else its client network. */
export function rateLimitKey(request: { principal: Principal; ip: string }, deps: AppDeps): { key: string; limit: number } {
  const user = userOf(request.principal);
  return user
    ? { key: `user:${user.id}`, limit: deps.rateLimits.authenticatedPerHour }
    : { key: `ip:${clientNetworkKey(request.ip)}`, limit: deps.rateLimits.anonymousPerHour };
}

export function missingScopeMessage(scope: Scope): string {
  return `Your token has not been granted the required scopes to execute this query. It needs ${scopesGranting(scope).map((s) => `'${s}'`).join(' or ')}.`;
}

/** Counts a deferred request unless it was answered 304, and reports where the client stands either way. */
export async function settleDeferredRateLimit(request: FastifyRequest, reply: FastifyReply, deps: AppDeps): Promise<void> {
  const deferred = request.deferredRateLimit;
  if (!deferred || reply.statusCode === 304) return;
  request.deferredRateLimit = undefined;
  const state = await deps.shared.rateLimiter.consume(deferred.key, deferred.limit, deps.clock.now());
  if (deferred.limit > 0) setRateLimitHeaders(reply, state);
}

/** GitHub's words when a client has failed to authenticate too often (it answers 403 for a while). */
export const TOO_MANY_FAILURES_MESSAGE = 'Maximum number of login attempts exceeded. Please try again later.';

export function registerApiAuthentication(app: FastifyInstance, deps: AppDeps): void {
  app.decorateRequest('deferredRateLimit', undefined);

  app.addHook('onRequest', async (request, reply) => {
    const config = request.routeOptions.config;
    const authentication = await authenticateRequest(deps, request);
    if (!authentication.ok) {
      if (authentication.reason === 'too_many_failures') {
        reply.header('Retry-After', Math.max(1, Math.ceil((authentication.retryAt.getTime() - deps.clock.now().getTime()) / 1000)));
        return sendApiError(reply, 403, TOO_MANY_FAILURES_MESSAGE);
      }
      // GitHub counts a refused credential against the client's anonymous budget and says so in the headers.
      const { key, limit } = rateLimitKey(request, deps);
      const state = await deps.shared.rateLimiter.consume(key, limit, deps.clock.now());
      if (limit > 0) setRateLimitHeaders(reply, state);
      return sendApiError(reply, 401, authentication.reason === 'password'
        ? `Password authentication is not supported for the API. Use a personal access token instead: ${deps.config.baseUrl}/settings/tokens`
        : 'Bad credentials');
    }
    const principal = authentication.principal;
    request.principal = principal;
    if (principal.kind === 'anonymous') {
      if (config.requiresAuthentication) return sendApiError(reply, 401, 'Requires authentication');
    } else if (principal.kind === 'token') {
      reply.header('X-OAuth-Scopes', principal.token.scopes.join(', '));
      setTokenExpiration(reply, principal.token);
    }

    const { key, limit } = rateLimitKey(request, deps);
    const now = deps.clock.now();
    // A conditional GET may end in a 304, which GitHub does not count: it is counted in onSend once the status is
    // known (settleDeferredRateLimit). With nothing left, it is counted (and refused) now, like any other request.
    const counts = config.countsAgainstRateLimit !== false;
    const deferrable = counts && isConditionalRequest(request);
    let state = counts && !deferrable
      ? await deps.shared.rateLimiter.consume(key, limit, now)
      : await deps.shared.rateLimiter.peek(key, limit, now);
    if (deferrable && state.remaining > 0) request.deferredRateLimit = { key, limit };
    else if (deferrable) state = await deps.shared.rateLimiter.consume(key, limit, now);
    // A limit of 0 is no limit (TESSERA_API_RATE_LIMIT=0): there is nothing to report.
    if (limit > 0) setRateLimitHeaders(reply, state);
    // GET /rate_limit answers even when the limit is used up: that is when a client needs it.
    if (state.exceeded && config.countsAgainstRateLimit !== false) {
      reply.header('Retry-After', Math.max(1, Math.ceil((state.resetAt.getTime() - now.getTime()) / 1000)));
      const user = userOf(principal);
      const who = user ? `user ID ${user.id}` : request.ip;
      return sendApiError(reply, 403, `API rate limit exceeded for ${who}.`);
    }

    if (principal.kind !== 'anonymous') setAcceptedScopes(reply, config.requiredScope);
    const decision = authorizeRoute(principal, config);
    if (!decision.ok && decision.code === 'missing_scope') {
      const status = config.missingScopeStatus ?? 403;
      return sendApiError(reply, status, status === 404 ? 'Not Found' : missingScopeMessage(decision.scope));
    }
  });
}
