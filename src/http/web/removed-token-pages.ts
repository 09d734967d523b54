/** Restoring a token the disuse sweep removed (src/domain/token-restore.ts), from the "Removed tokens" part of /settings/tokens. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { restoreRemovedToken } from '../../domain/token-restore.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { requestChangeContext } from '../change-context.ts';
import { formBody } from './web-input.ts';

const tokenIdParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 } },
  required: ['id'],
} as const;

export function registerRemovedTokenPages(app: FastifyInstance, deps: AppDeps): void {
  app.post<{ Params: { id: number } }>('/settings/tokens/:id/restore', { preHandler: app.csrfProtection, schema: { params: tokenIdParams, body: formBody() } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await restoreRemovedToken(deps, user, request.params.id, requestChangeContext(request));
    // Another tab restored it, or its window closed: either way the list now tells the truth.
    return reply.redirect(`/settings/tokens?notice=${result.ok ? 'restored' : 'restore-expired'}`);
  });
}
