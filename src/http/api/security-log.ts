/**
 * `GET /user/security-log`: the authenticated user's security events, newest first, paged as GitHub pages (`page`,
 * `per_page` up to 100, a `Link` header). A Tessera addition: GitHub shows a user's security log only on a page.
 */
import type { FastifyInstance } from 'fastify';
import { listSecurityEvents, SECURITY_EVENT_KINDS, type SecurityEvent, type SecurityEventKind } from '../../domain/security-log.ts';
import { tokenPrincipalOf } from '../plugins/api-authentication.ts';
import type { AppDeps } from '../app-deps.ts';
import { isoSeconds } from './github-json.ts';
import { PAGE_QUERY_PROPERTIES, pageOf, setPageLinks, type PageQuery } from './pagination.ts';

interface SecurityLogQuery extends PageQuery {
  action?: SecurityEventKind;
}

export function securityEventJson(event: SecurityEvent) {
  return {
    id: event.id,
    action: event.kind,
    actor: event.actor,
    token_id: event.tokenId,
    token_note: event.tokenNote,
    organization: event.organizationLogin,
    client_address: event.clientAddress,
    user_agent: event.userAgent,
    created_at: isoSeconds(event.createdAt.toISOString()),
  };
}

export function registerSecurityLogRoutes(app: FastifyInstance, deps: AppDeps): void {
  // `read:user` (or `user`, which grants it): the log shows where and with what a user's account is used, which is
  // the private profile data that `read:user` guards. A token made for repositories alone (a CI job) has no business
  // reading it, so no scope at all would be too little; `user` alone would be too much, since reading changes nothing.
  app.get<{ Querystring: SecurityLogQuery }>('/user/security-log', {
    config: { requiresAuthentication: true, requiredScope: 'read:user' },
    schema: {
      querystring: {
        type: 'object',
        properties: {
          ...PAGE_QUERY_PROPERTIES,
          action: { type: 'string', enum: [...SECURITY_EVENT_KINDS] },
        },
      },
    },
  }, async (request, reply) => {
    const page = pageOf(request.query);
    const { events, hasMore } = await listSecurityEvents(deps, tokenPrincipalOf(request).user, { kind: request.query.action, ...page });
    setPageLinks(reply, deps.config.baseUrl, page, { hasMore });
    return events.map(securityEventJson);
  });
}
