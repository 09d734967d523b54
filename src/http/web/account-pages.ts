import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { authenticateWithPassword, resendVerificationEmail, signUp, verifyEmail } from '../../domain/accounts.ts';
import { endWebSession, startWebSession } from '../../domain/web-sessions.ts';
import { clientNetworkKey } from '../../domain/rate-limits.ts';
import { requireWebUser, sessionActivityOf } from '../plugins/web-session.ts';
import { field, safeReturnPath } from './form.ts';
import { formBody, pageQuery, TEXT } from './web-input.ts';
import { renderPage } from './render.ts';

export function registerAccountPages(app: FastifyInstance, deps: AppDeps): void {
  /** Counts a sign-in or sign-up attempt from the client's address; refuses it with a page once over the limit. */
  const limitAttempts = async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await deps.shared.rateLimiter.consume(`sign-in:${clientNetworkKey(request.ip)}`, deps.rateLimits.signInAttemptsPerHour, deps.clock.now());
    if (!state.exceeded) return;
    reply.header('Retry-After', Math.ceil((state.resetAt.getTime() - deps.clock.now().getTime()) / 1000));
    return renderPage(reply.code(429), 'error', {
      title: 'Too many attempts',
      message: `Too many sign-in and sign-up attempts from your address. Try again after ${state.resetAt.toISOString().slice(11, 16)} UTC.`,
    });
  };
  const csrf = { preHandler: app.csrfProtection, schema: { body: formBody() } };
  const limitedCsrf = (body: ReturnType<typeof formBody>) => ({ preHandler: [app.csrfProtection, limitAttempts], schema: { body } });

  // The layout's title is then just "Tessera".
  app.get('/', async (_request, reply) => renderPage(reply, 'home', {}));

  app.get('/signup', async (request, reply) => {
    if (request.webUser) return reply.redirect('/settings/tokens');
    return renderPage(reply, 'signup', { title: 'Sign up', values: {}, errors: {} });
  });

  app.post('/signup', limitedCsrf(formBody({ username: TEXT, email: TEXT, password: TEXT })), async (request, reply) => {
    const values = { username: field(request.body, 'username').trim(), email: field(request.body, 'email').trim() };
    const result = await signUp(deps, { ...values, password: field(request.body, 'password') });
    if (!result.ok) return renderPage(reply.code(422), 'signup', { title: 'Sign up', values, errors: result.errors });
    reply.setSessionCookie(await startWebSession(deps, result.user, sessionActivityOf(request)));
    return reply.redirect('/settings/tokens');
  });

  app.get<{ Querystring: { return_to?: string } }>('/login', { schema: { querystring: pageQuery({ return_to: TEXT }) } }, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.return_to ?? '', '/settings/tokens');
    if (request.webUser) return reply.redirect(returnTo);
    return renderPage(reply, 'login', { title: 'Sign in', returnTo });
  });

  app.post('/login', limitedCsrf(formBody({ login: TEXT, password: TEXT, return_to: TEXT })), async (request, reply) => {
    const login = field(request.body, 'login').trim();
    const returnTo = safeReturnPath(field(request.body, 'return_to'), '/settings/tokens');
    const user = await authenticateWithPassword(deps, login, field(request.body, 'password'));
    if (!user) {
      return renderPage(reply.code(401), 'login', { title: 'Sign in', login, returnTo, error: 'Incorrect username or password.' });
    }
    reply.setSessionCookie(await startWebSession(deps, user, sessionActivityOf(request)));
    return reply.redirect(returnTo);
  });

  app.post('/logout', csrf, async (request, reply) => {
    if (request.webSessionSecret) await endWebSession(deps, request.webSessionSecret);
    return reply.clearSessionCookie().redirect('/login');
  });

  app.get<{ Querystring: { token?: string } }>('/verify-email', { schema: { querystring: pageQuery({ token: TEXT }) } }, async (request, reply) => {
    const result = await verifyEmail(deps, (request.query.token ?? '').slice(0, 200));
    if (!result.ok) {
      return renderPage(reply.code(400), 'message', {
        title: 'This link does not work',
        message: result.reason === 'expired'
          ? 'This verification link has expired. Sign in and send yourself a new one from the token settings page.'
          : 'This verification link is not valid, or was already used. Sign in to see whether your address is verified.',
        link: { href: '/settings/tokens', text: 'Go to token settings' },
      });
    }
    return renderPage(reply, 'message', {
      title: 'Email verified',
      message: `Your email address ${result.user.email} is verified. You can now create personal access tokens.`,
      link: { href: '/settings/tokens', text: 'Go to personal access tokens' },
    });
  });

  app.post('/settings/emails/verification', csrf, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await resendVerificationEmail(deps, user);
    return reply.redirect(`/settings/tokens?notice=verification-${result === 'too_soon' ? 'too-soon' : 'sent'}`);
  });
}
