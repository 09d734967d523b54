/**
 * "Forgot your password?" (src/domain/password-reset.ts): asking for a link, and choosing a new password with it.
 * The answer to a request is one page, whatever account the login names or does not name.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { MAX_EMAIL_LENGTH } from '../../domain/email-address.ts';
import { checkPasswordResetLink, requestPasswordReset, resetPassword } from '../../domain/password-reset.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/passwords.ts';
import { requestChangeContext } from '../change-context.ts';
import { attemptLimiter } from './account-pages.ts';
import { describePasswordProblem } from './account-sentences.ts';
import { localeOf, pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { formBody, pageQuery } from './web-input.ts';

const RESET_SECRET = { type: 'string', maxLength: 200 } as const;
const PASSWORD = { type: 'string', maxLength: MAX_PASSWORD_LENGTH * 4 } as const;
const forgotBody = formBody({ login: { type: 'string', maxLength: MAX_EMAIL_LENGTH } }, ['login']);
const resetQuery = pageQuery({ token: RESET_SECRET });
const resetBody = formBody({ token: RESET_SECRET, password: PASSWORD, password_confirmation: PASSWORD }, ['token', 'password', 'password_confirmation']);

export function registerPasswordResetPages(app: FastifyInstance, deps: AppDeps): void {
  const limitRequests = attemptLimiter(deps, 'password-reset');

  const renderLinkFailure = (reply: Parameters<typeof renderPage>[0], reason: 'expired' | 'invalid') => {
    const { t } = pageText(reply.request);
    return renderPage(reply.code(400), 'message', {
      title: t('account:resetPassword.linkFailureTitle'),
      message: t(`account:resetPassword.linkFailures.${reason}`),
      link: { href: '/forgot-password', text: t('account:resetPassword.askForNewLink') },
    });
  };

  app.get('/forgot-password', async (request, reply) => renderPage(reply, 'forgot-password', {
    title: pageText(request).t('account:forgotPassword.title'), errors: {},
  }));

  app.post<{ Body: { login: string } }>('/forgot-password', {
    preHandler: [app.csrfProtection, limitRequests], schema: { body: forgotBody },
  }, async (request, reply) => {
    const login = request.body.login.trim();
    const { t } = pageText(request);
    if (login === '') {
      return renderPage(reply.code(422), 'forgot-password', {
        title: t('account:forgotPassword.title'), errors: { login: t('account:forgotPassword.loginMissing') },
      });
    }
    await requestPasswordReset(deps, login, localeOf(request));
    return renderPage(reply, 'message', {
      title: t('account:forgotPassword.sentTitle'),
      message: t('account:forgotPassword.sent'),
      link: { href: '/login', text: t('account:forgotPassword.back') },
    });
  });

  app.get<{ Querystring: { token?: string } }>('/reset-password', { schema: { querystring: resetQuery } }, async (request, reply) => {
    const token = request.query.token ?? '';
    const check = await checkPasswordResetLink(deps, token);
    if (!check.ok) return renderLinkFailure(reply, check.reason);
    return renderPage(reply, 'reset-password', { title: pageText(request).t('account:resetPassword.title'), username: check.user.username, token, errors: {} });
  });

  app.post<{ Body: { token: string; password: string; password_confirmation: string } }>('/reset-password', {
    preHandler: app.csrfProtection, schema: { body: resetBody },
  }, async (request, reply) => {
    const { token, password } = request.body;
    const check = await checkPasswordResetLink(deps, token);
    if (!check.ok) return renderLinkFailure(reply, check.reason);
    const { t } = pageText(request);
    const again = (error: string) => renderPage(reply.code(422), 'reset-password', {
      title: t('account:resetPassword.title'), username: check.user.username, token, errors: { password: error },
    });
    if (password !== request.body.password_confirmation) return again(t('account:resetPassword.mismatch'));
    const result = await resetPassword(deps, token, password, requestChangeContext(request));
    if (!result.ok) return result.reason === 'weak_password' ? again(describePasswordProblem(t, result.verdict)) : renderLinkFailure(reply, result.reason);
    // Every session of the account ended; this browser's cookie may be one of them.
    if (request.webUser?.id === result.user.id) reply.clearSessionCookie();
    return reply.redirect('/login?notice=password-reset');
  });
}
