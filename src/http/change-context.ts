import type { FastifyRequest } from 'fastify';
import type { ChangeContext } from '../domain/security-log.ts';
import { localeOf } from './web/page-locale.ts';

/** Who changed something through this request, and from where, for the security log. */
export function requestChangeContext(request: FastifyRequest, actor: ChangeContext['actor'] = 'owner'): ChangeContext {
  const userAgent = request.headers['user-agent'];
  return { actor, clientAddress: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}

/** A change made on a page: as requestChangeContext, and mail it causes speaks the page's language. */
export function pageChangeContext(request: FastifyRequest): ChangeContext {
  return { ...requestChangeContext(request), pageLocale: localeOf(request) };
}
