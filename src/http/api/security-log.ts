/**
 * `GET /user/security-log`: the authenticated user's security events, newest first, paged as GitHub pages (`page`,
 * `per_page` up to 100, a `Link` header). A Tessera addition: GitHub shows a user's security log only on a page.
 */
import type { FastifyInstance } from 'fastify';
import { listSecurityEvents, SECURITY_EVENT_KINDS, type SecurityEvent, type SecurityEventKind } from '../../domain/security-log.ts';
import type { AppDeps } from '../app-deps.ts';
import { API_PREFIX, isoSeconds } from './github-json.ts';

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;
/** Far beyond any real log; keeps the offset a small number. */
const MAX_PAGE = 100_000;

interface SecurityLogQuery {
  page?: number;
  per_page?: number;
  action?: SecurityEventKind;
}

export function securityEventJson(event: SecurityEvent) {
  return {
    id: event.id,
    action: event.kind,
    actor: event.actor,
    token_id: event.tokenId,
    token_note: event.tokenNote,
    client_address: event.clientAddress,
    user_agent: event.userAgent,
    created_at: isoSeconds(event.createdAt.toISOString()),
  };
}

/** GitHub's `Link` header: `<url>; rel="prev", <url>; rel="next", <url>; rel="first"` (no `last`: only "more" is known). */
export function pageLinks(baseUrl: string, query: { page: number; perPage: number; action?: string | undefined }, hasMore: boolean): string {
  const url = (page: number) => {
    const params = new URLSearchParams({ ...(query.action && { action: query.action }), per_page: String(query.perPage), page: String(page) });
    return `<${baseUrl}${API_PREFIX}/user/security-log?${params}>`;
  };
  const links: string[] = [];
  if (query.page > 1) links.push(`${url(query.page - 1)}; rel="prev"`);
  if (hasMore) links.push(`${url(query.page + 1)}; rel="next"`);
  if (query.page > 1) links.push(`${url(1)}; rel="first"`);
  return links.join(', ');
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
          page: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
          per_page: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE },
          action: { type: 'string', enum: [...SECURITY_EVENT_KINDS] },
        },
      },
    },
  }, async (request, reply) => {
    const page = request.query.page ?? 1;
    const perPage = request.query.per_page ?? DEFAULT_PER_PAGE;
    const action = request.query.action;
    const { events, hasMore } = await listSecurityEvents(deps, request.actor!.user, { kind: action, page, perPage });
    const link = pageLinks(deps.config.baseUrl, { page, perPage, action }, hasMore);
    if (link !== '') reply.header('Link', link);
    return events.map(securityEventJson);
  });
}
