import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { signInWithPassword, signUp } from '../../domain/accounts.ts';
import { resendVerificationEmail, verifyEmail } from '../../domain/email-verification.ts';
import { endWebSession, startWebSession } from '../../domain/web-sessions.ts';
import { clientNetworkKey } from '../../domain/rate-limits.ts';
import { requestChangeContext } from '../change-context.ts';
import { requireWebUser, sessionActivityOf } from '../plugins/web-session.ts';
import { describeSignUpProblems } from './account-sentences.ts';
import { field, safeReturnPath } from './form.ts';
import { formBody, keyOf, lookUp, pageQuery, TEXT } from './web-input.ts';
import { renderPage } from './render.ts';

/** Notices the sign-in page shows after another page sent the browser there. */
const LOGIN_NOTICES: Record<string, string> = {
  'password-reset': 'Your password was changed and every browser signed out. Sign in with your new password.',
  'email-verified': 'Your email address is verified. Sign in to continue.',
};

const VERIFY_FAILURES = {
  expired: 'This verification link has expired. Sign in and send yourself a new one from your account settings.',
  invalid: 'This verification link is not valid, was already used, or is for an address your account no longer asks for. Sign in to see your address.',
  address_taken: 'This address now belongs to another account, so it cannot be yours. Sign in and choose another one in your account settings.',
} as const;

/**
 * Counts an attempt from the client's address under `what` (sign-in and sign-up share one count, password reset
 * requests have their own); refuses it with a page once over the limit. The limit is the client's, never the
 * account's, so the page says nothing about any account.
 */
export function attemptLimiter(deps: AppDeps, what: string, description: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const state = await deps.shared.rateLimiter.consume(`${what}:${clientNetworkKey(request.ip)}`, deps.rateLimits.signInAttemptsPerHour, deps.clock.now());
    if (!state.exceeded) return;
    reply.header('Retry-After', Math.ceil((state.resetAt.getTime() - deps.clock.now().getTime()) / 1000));
    return renderPage(reply.code(429), 'error', {
      title: 'Too many attempts',
      message: `Too many ${description} from your address. Try again after ${state.resetAt.toISOString().slice(11, 16)} UTC.`,
    });
  };
}

export function registerAccountPages(app: FastifyInstance, deps: AppDeps): void {
  const limitAttempts = attemptLimiter(deps, 'sign-in', 'sign-in and sign-up attempts');
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
    // An address another account holds is not said here: the account is made without it, and the mail says so.
    const result = await signUp(deps, { ...values, password: field(request.body, 'password') }, { whenEmailTaken: 'conceal' });
    if (!result.ok) {
      return renderPage(reply.code(422), 'signup', { title: 'Sign up', values, errors: describeSignUpProblems(result.problems, values.username) });
    }
    reply.setSessionCookie(await startWebSession(deps, result.user, sessionActivityOf(request)));
    return reply.redirect('/settings/tokens');
  });

  app.get<{ Querystring: { return_to?: string; notice?: string } }>('/login', {
    schema: { querystring: pageQuery({ return_to: TEXT, notice: keyOf(LOGIN_NOTICES) }) },
  }, async (request, reply) => {
    const returnTo = safeReturnPath(request.query.return_to ?? '', '/settings/tokens');
    if (request.webUser) return reply.redirect(returnTo);
    return renderPage(reply, 'login', { title: 'Sign in', returnTo, notice: lookUp(LOGIN_NOTICES, request.query.notice) });
  });

  app.post('/login', limitedCsrf(formBody({ login: TEXT, password: TEXT, return_to: TEXT })), async (request, reply) => {
    const login = field(request.body, 'login').trim();
    const returnTo = safeReturnPath(field(request.body, 'return_to'), '/settings/tokens');
    const result = await signInWithPassword(deps, login, field(request.body, 'password'));
    if (!result.ok) {
      const error = result.reason === 'suspended'
        ? 'Your account is suspended. Ask your Tessera administrator to lift the suspension.'
        : 'Incorrect username or password.';
      return renderPage(reply.code(result.reason === 'suspended' ? 403 : 401), 'login', { title: 'Sign in', login, returnTo, error });
    }
    reply.setSessionCookie(await startWebSession(deps, result.user, sessionActivityOf(request)));
    return reply.redirect(returnTo);
  });

  app.post('/logout', csrf, async (request, reply) => {
    if (request.webSessionSecret) await endWebSession(deps, request.webSessionSecret);
    return reply.clearSessionCookie().redirect('/login');
  });

  app.get<{ Querystring: { token?: string } }>('/verify-email', { schema: { querystring: pageQuery({ token: TEXT }) } }, async (request, reply) => {
    const result = await verifyEmail(deps, (request.query.token ?? '').slice(0, 200), requestChangeContext(request));
    const next = request.webUser
      ? { href: '/settings/account', text: 'Go to your account settings' }
      : { href: '/login?notice=email-verified', text: 'Sign in' };
    if (!result.ok) {
      return renderPage(reply.code(400), 'message', { title: 'This link does not work', message: VERIFY_FAILURES[result.reason], link: next });
    }
    return renderPage(reply, 'message', {
      title: result.changedFrom === null ? 'Email verified' : 'Email address changed',
      message: result.changedFrom === null
        ? `Your email address ${result.user.email} is verified. You can now create ${deps.config.edition.requireVerifiedEmail ? 'personal access tokens' : 'repositories'}.`
        : `Your account's email address is now ${result.user.email} instead of ${result.changedFrom}.`,
      link: request.webUser ? { href: '/settings/tokens', text: 'Go to personal access tokens' } : next,
    });
  });

  app.post('/settings/emails/verification', { preHandler: app.csrfProtection, schema: { body: formBody({ from: TEXT }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await resendVerificationEmail(deps, user);
    const page = field(request.body, 'from') === 'account' ? '/settings/account' : '/settings/tokens';
    return reply.redirect(`${page}?notice=verification-${result === 'too_soon' ? 'too-soon' : 'sent'}`);
  });
}
