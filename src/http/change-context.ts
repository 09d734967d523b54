import type { FastifyRequest } from 'fastify';
import type { ChangeContext } from '../domain/security-log.ts';

/** Who changed something through this request, and from where, for the security log. */
export function requestChangeContext(request: FastifyRequest, actor: ChangeContext['actor'] = 'owner'): ChangeContext {
  const userAgent = request.headers['user-agent'];
  return { actor, clientAddress: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}
