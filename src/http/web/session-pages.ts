/** The user's signed-in browsers, and revoking one (see domain/web-sessions.ts). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { listWebSessions, revokeWebSession } from '../../domain/web-sessions.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { requestChangeContext } from '../change-context.ts';
import { pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { formBody, pageQuery } from './web-input.ts';

const sessionIdParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 } },
  required: ['id'],
} as const;

export function registerSessionPages(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { notice?: 'revoked' } }>('/settings/sessions', {
    schema: { querystring: pageQuery({ notice: { type: 'string', enum: ['revoked'] } }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const { t } = pageText(request);
    return renderPage(reply, 'sessions', {
      title: t('account:sessions.title'),
      sessions: await listWebSessions(deps, user, request.webSessionSecret),
      notice: request.query.notice === 'revoked' ? t('account:sessions.revoked') : undefined,
    });
  });

  app.post<{ Params: { id: number } }>('/settings/sessions/:id/revoke', { preHandler: app.csrfProtection, schema: { params: sessionIdParams, body: formBody() } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await revokeWebSession(deps, user, request.params.id, request.webSessionSecret, requestChangeContext(request));
    if (!result.ok) return reply.callNotFound();
    if (result.wasCurrent) return reply.clearSessionCookie().redirect('/login');
    return reply.redirect('/settings/sessions?notice=revoked');
  });
}
