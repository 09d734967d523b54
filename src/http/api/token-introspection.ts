/**
 * The calling token about itself (`GET /personal_access_tokens/self`, named as GitLab names its own) and a dry run
 * of what it may do (`…/self/check`): each request is matched against the API's registered routes and their
 * declared requirements, the same configuration the authentication hook enforces. Neither needs a scope: a token
 * may always learn about itself, and the answer tells nothing its owner's other tokens could not.
 */
import type { FastifyInstance } from 'fastify';
import type { TokenPrincipal } from '../../domain/principal.ts';
import type { Scope } from '../../domain/scopes.ts';
import { checkTokenPermission, type PermissionCheck } from '../../domain/token-introspection.ts';
import type { PersonalAccessToken } from '../../domain/tokens.ts';
import { tokenPrincipalOf } from '../plugins/api-authentication.ts';
import type { AppDeps } from '../app-deps.ts';
import { isoSeconds } from './github-json.ts';
import { findApiRoute } from './route-matcher.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least scope a handler checks itself (it may need more, depending on the request); dry runs report it. */
    scopeCheckedByHandler?: Scope;
  }
}

export const MAX_CHECKED_REQUESTS = 100;

const methodSchema = { type: 'string', pattern: '^[A-Za-z]{1,10}$' } as const;
const pathSchema = { type: 'string', pattern: '^/', maxLength: 2000 } as const;

interface CheckedRequest {
  method: string;
  path: string;
}

export function tokenJson(token: PersonalAccessToken) {
  const time = (date: Date | null) => (date ? isoSeconds(date.toISOString()) : null);
  return {
    id: token.id,
    note: token.note,
    scopes: token.scopes,
    created_at: time(token.createdAt),
    // As of the check that admitted this request: this use is being recorded, not yet necessarily stored.
    last_used_at: time(token.lastUsedAt),
    expires_at: time(token.expiresAt),
  };
}

function describeCheck(check: PermissionCheck): string {
  if (check.allowed) return 'This token may make this request.';
  if (check.code === 'not_found') return 'No API endpoint answers this method and path.';
  return `This token lacks the '${check.scope}' scope; it needs ${check.acceptedScopes.map((scope) => `'${scope}'`).join(' or ')}.`;
}

export function registerTokenIntrospectionRoutes(app: FastifyInstance, _deps: AppDeps): void {
  const answer = (principal: TokenPrincipal, request: CheckedRequest) => {
    const route = findApiRoute(app.registeredRoutes, request.method, request.path);
    const check = checkTokenPermission(principal, route && route.config);
    return {
      method: request.method.toUpperCase(),
      path: request.path,
      allowed: check.allowed,
      reason: check.allowed ? null : check.code,
      required_scope: check.allowed || check.code !== 'missing_scope' ? null : check.scope,
      accepted_scopes: check.allowed || check.code !== 'missing_scope' ? [] : check.acceptedScopes,
      message: describeCheck(check),
    };
  };

  app.get('/personal_access_tokens/self', { config: { requiresAuthentication: true } }, async (request) => {
    return tokenJson(tokenPrincipalOf(request).token);
  });

  app.get<{ Querystring: CheckedRequest }>('/personal_access_tokens/self/check', {
    config: { requiresAuthentication: true },
    schema: {
      querystring: { type: 'object', required: ['method', 'path'], properties: { method: methodSchema, path: pathSchema } },
    },
  }, async (request) => answer(tokenPrincipalOf(request), request.query));

  app.post<{ Body: { requests: CheckedRequest[] } }>('/personal_access_tokens/self/check', {
    config: { requiresAuthentication: true },
    schema: {
      body: {
        type: 'object',
        required: ['requests'],
        properties: {
          requests: {
            type: 'array',
            minItems: 1,
            maxItems: MAX_CHECKED_REQUESTS,
            items: {
              type: 'object', required: ['method', 'path'], properties: { method: methodSchema, path: pathSchema },
            },
          },
        },
      },
    },
  }, async (request) => request.body.requests.map((checked) => answer(tokenPrincipalOf(request), checked)));
}
