import type { FastifyReply } from 'fastify';
import { DOCUMENTATION_URL } from './github-json.ts';

/** An API error in GitHub's shape: `{"message": …, "documentation_url": …}` plus any extra fields. */
export function sendApiError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type('application/json; charset=utf-8')
    .send({ message, documentation_url: DOCUMENTATION_URL, ...extra });
}
