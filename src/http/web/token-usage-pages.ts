/** A token's own page (what it is, and where it was used from) and the setting for mail about new networks. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { lastUsedBucket } from '../../domain/last-used-bucket.ts';
import { findPersonalAccessToken, isTokenExpired } from '../../domain/tokens.ts';
import { listRecentTokenUsesOf, setNewNetworkNotifications } from '../../domain/token-uses.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { fieldList } from './form.ts';
import { renderPage } from './render.ts';
import { pageText } from './page-locale.ts';
import { describeLastUse } from './token-sentences.ts';
import { formBody, TEXT_LIST } from './web-input.ts';
import { tokenIdParams } from './token-pages.ts';

export function registerTokenUsagePages(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { id: number } }>('/settings/tokens/:id', { schema: { params: tokenIdParams } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const token = await findPersonalAccessToken(deps, user, request.params.id);
    if (!token) return reply.callNotFound();
    const now = deps.clock.now();
    const { t } = pageText(request);
    return renderPage(reply, 'token', {
      title: token.note,
      token,
      uses: await listRecentTokenUsesOf(deps, token.id),
      lastUsed: describeLastUse(t, lastUsedBucket(token.lastUsedAt, now)),
      expired: isTokenExpired(token, now),
    });
  });

  app.post('/settings/tokens/notifications', { preHandler: app.csrfProtection, schema: { body: formBody({ notify_new_network: TEXT_LIST }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    // The form sends a hidden "off" and, when ticked, the checkbox's "on" after it.
    await setNewNetworkNotifications(deps, user, fieldList(request.body, 'notify_new_network').includes('on'));
    return reply.redirect('/settings/tokens?notice=notifications-saved');
  });
}
