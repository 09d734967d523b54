/** `/settings/security-log`: the signed-in user's security events, newest first, paged, filterable by kind. */
import type { FastifyInstance } from 'fastify';
import { listSecurityEvents, SECURITY_EVENT_KINDS, type SecurityEventKind } from '../../domain/security-log.ts';
import type { AppDeps } from '../app-deps.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { formatsFor } from '../../i18n/formats.ts';
import { pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { describeActor, describeSecurityEvent, securityEventKindLabel } from './security-event-sentences.ts';

export const EVENTS_PER_PAGE = 30;
const MAX_PAGE = 100_000;

export function registerSecurityLogPage(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: { kind?: SecurityEventKind | ''; page?: number } }>('/settings/security-log', {
    schema: {
      querystring: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: ['', ...SECURITY_EVENT_KINDS] },
          page: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
        },
      },
    },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const kind = request.query.kind || undefined;
    const page = request.query.page ?? 1;
    const { events, hasMore } = await listSecurityEvents(deps, user, { kind, page, perPage: EVENTS_PER_PAGE });
    const pageUrl = (target: number) => `/settings/security-log?${new URLSearchParams({ ...(kind && { kind }), page: String(target) })}`;
    const { locale, t } = pageText(request);
    const formats = formatsFor(locale);
    return renderPage(reply, 'security-log', {
      title: t('security:log.title'),
      kind,
      kinds: SECURITY_EVENT_KINDS.map((value) => ({ value, label: securityEventKindLabel(t, value) })),
      events: events.map((event) => ({
        kind: event.kind,
        sentence: describeSecurityEvent(t, event),
        actor: describeActor(t, event.actor),
        clientAddress: event.clientAddress,
        userAgent: event.userAgent,
        time: event.createdAt.toISOString(),
        when: formats.time(event.createdAt),
      })),
      previousUrl: page > 1 ? pageUrl(page - 1) : undefined,
      nextUrl: hasMore ? pageUrl(page + 1) : undefined,
    });
  });
}
