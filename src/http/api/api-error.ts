import type { FastifyReply } from 'fastify';
import { documentationUrl } from './operation-docs.ts';

/**
 * An API error in GitHub's shape: `{"message": …, "documentation_url": …}` plus any extra fields; the URL is the
 * operation's section of Tessera's own reference (operation-docs.ts).
 */
export function sendApiError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type('application/json; charset=utf-8')
    .send({ message, documentation_url: documentationUrl(reply), ...extra });
}
