import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { signInWithPassword, signUp } from '../../domain/accounts.ts';
import { resendVerificationEmail, verifyEmail } from '../../domain/email-verification.ts';
import { endWebSession, startWebSession } from '../../domain/web-sessions.ts';
import { clientNetworkKey } from '../../domain/rate-limits.ts';
import { pageChangeContext } from '../change-context.ts';
import { requireWebUser, sessionActivityOf } from '../plugins/web-session.ts';
import { describeSignUpProblems } from './account-sentences.ts';
import { field, safeReturnPath } from './form.ts';
import { formBody, keyOf, pageQuery, TEXT } from './web-input.ts';
import { localeOf, noticeText, pageText } from './page-locale.ts';
import { renderPage } from './render.ts';

/** Notices the sign-in page shows after another page sent the browser there: `?notice=` → its key in account.json. */
const LOGIN_NOTICES: Record<string, string> = {
  'password-reset': 'account:login.notices.passwordReset',
  'email-verified': 'account:login.notices.emailVerified',
};

/**
 * Counts an attempt from the client's address under `what` (sign-in and sign-up share one count, password reset
 * requests have their own); refuses it with a page once over the limit. The limit is the client's, never the
 * account's, so the page says nothing about any account.
 */
export function attemptLimiter(deps: AppDeps, what: 'sign-in' | 'password-reset') {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await deps.shared.rateLimiter.consume(`${what}:${clientNetworkKey(request.ip)}`, deps.rateLimits.signInAttemptsPerHour, deps.clock.now());
    if (!state.exceeded) return;
    reply.header('Retry-After', Math.ceil((state.resetAt.getTime() - deps.clock.now().getTime()) / 1000));
    const { t } = pageText(request);
    return renderPage(reply.code(429), 'error', {
      title: t('account:attempts.title'),
      message: t(what === 'sign-in' ? 'account:attempts.signIn' : 'account:attempts.passwordReset', { time: state.resetAt.toISOString().slice(11, 16) }),
    });
  };
}

export function registerAccountPages(app: FastifyInstance, deps: AppDeps): void {
  const limitAttempts = attemptLimiter(deps, 'sign-in');
  const csrf = { preHandler: app.csrfProtection, schema: { body: formBody() } };
  const limitedCsrf = (body: ReturnType<typeof formBody>) => ({ preHandler: [app.csrfProtection, limitAttempts], schema: { body } });

  // The layout's title is then just "Tessera".
  app.get('/', async (_request, reply) => renderPage(reply, 'home', {}));

  app.get('/signup', async (request, reply) => {
    if (request.webUser) return reply.redirect('/settings/tokens');
    return renderPage(reply, 'signup', { title: pageText(request).t('account:signup.title'), values: {}, errors: {} });
  });

  app.post('/signup', limitedCsrf(formBody({ username: TEXT, email: TEXT, password: TEXT })), async (request, reply) => {
    const values = { username: field(request.body, 'username').trim(), email: field(request.body, 'email').trim() };
    // An address another account holds is not said here: the account is made without it, and the mail says so.
    const result = await signUp(deps, { ...values, password: field(request.body, 'password') }, { whenEmailTaken: 'conceal', pageLocale: localeOf(request) });
    if (!result.ok) {
      const { t } = pageText(request);
      const errors = describeSignUpProblems(t, result.problems, values.username);
      return renderPage(reply.code(422), 'signup', { title: t('account:signup.title'), values, errors });
    }
    reply.setSessionCookie(await startWebSession(deps, result.user, sessionActivityOf(request)));
    return reply.redirect('/settings/tokens');
  });

  app.get<{ Querystring: { return_to?: string; notice?: string } }>('/login', {
    schema: { querystring: pageQuery({ return_to: TEXT, notice: keyOf(LOGIN_NOTICES) }) },
  }, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.return_to ?? '', '/settings/tokens');
    if (request.webUser) return reply.redirect(returnTo);
    const { t } = pageText(request);
    return renderPage(reply, 'login', { title: t('account:login.title'), returnTo, notice: noticeText(t, LOGIN_NOTICES, request.query.notice) });
  });

  app.post('/login', limitedCsrf(formBody({ login: TEXT, password: TEXT, return_to: TEXT })), async (request, reply) => {
    const login = field(request.body, 'login').trim();
    const returnTo = safeReturnPath(field(request.body, 'return_to'), '/settings/tokens');
    const result = await signInWithPassword(deps, login, field(request.body, 'password'));
    if (!result.ok) {
      const { t } = pageText(request);
      const error = t(result.reason === 'suspended' ? 'account:login.errors.suspended' : 'account:login.errors.incorrect');
      return renderPage(reply.code(result.reason === 'suspended' ? 403 : 401), 'login', { title: t('account:login.title'), login, returnTo, error });
    }
    reply.setSessionCookie(await startWebSession(deps, result.user, sessionActivityOf(request)));
    return reply.redirect(returnTo);
  });

  app.post('/logout', csrf, async (request, reply) => {
    if (request.webSessionSecret) await endWebSession(deps, request.webSessionSecret);
    return reply.clearSessionCookie().redirect('/login');
  });

  app.get<{ Querystring: { token?: string } }>('/verify-email', { schema: { querystring: pageQuery({ token: TEXT }) } }, async (request, reply) => {
    const result = await verifyEmail(deps, (request.query.token ?? '').slice(0, 200), pageChangeContext(request));
    const { t } = pageText(request);
    const next = request.webUser
      ? { href: '/settings/account', text: t('account:verifyEmail.goToSettings') }
      : { href: '/login?notice=email-verified', text: t('account:verifyEmail.signIn') };
    if (!result.ok) {
      return renderPage(reply.code(400), 'message', {
        title: t('account:verifyEmail.failureTitle'), message: t(`account:verifyEmail.failures.${result.reason}`), link: next,
      });
    }
    const unlocked = deps.config.edition.requireVerifiedEmail ? 'account:verifyEmail.verifiedTokens' : 'account:verifyEmail.verifiedRepositories';
    return renderPage(reply, 'message', {
      title: t(result.changedFrom === null ? 'account:verifyEmail.verifiedTitle' : 'account:verifyEmail.changedTitle'),
      message: result.changedFrom === null
        ? t(unlocked, { email: result.user.email })
        : t('account:verifyEmail.changed', { email: result.user.email, previous: result.changedFrom }),
      link: request.webUser ? { href: '/settings/tokens', text: t('account:verifyEmail.goToTokens') } : next,
    });
  });

  app.post('/settings/emails/verification', { preHandler: app.csrfProtection, schema: { body: formBody({ from: TEXT }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await resendVerificationEmail(deps, user, localeOf(request));
    const page = field(request.body, 'from') === 'account' ? '/settings/account' : '/settings/tokens';
    return reply.redirect(`${page}?notice=verification-${result === 'too_soon' ? 'too-soon' : 'sent'}`);
  });
}
