/**
 * The account settings page (`/settings/account`): the email address (verified or not, a change waiting for its
 * link), the password, and the language of the interface. Each form posts to its own route and comes back here.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { isEmailVerified } from '../../domain/accounts.ts';
import { ACCOUNT_LOCALES, changePassword, setAccountLocale } from '../../domain/account-settings.ts';
import { DAY_MS, type FieldErrors } from '../../domain/deps.ts';
import { MAX_EMAIL_LENGTH, UNVERIFIED_CLAIM_DAYS } from '../../domain/email-address.ts';
import { findPendingEmailChange, requestEmailChange } from '../../domain/email-verification.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/passwords.ts';
import type { UserRow } from '../../store/database.ts';
import { requestChangeContext } from '../change-context.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { describePasswordProblem } from './account-sentences.ts';
import { renderPage } from './render.ts';
import { formBody, keyOf, lookUp, pageQuery } from './web-input.ts';
import { TIME_FORMAT } from './token-pages.ts';

const NOTICES: Record<string, string> = {
  'email-change-sent': 'We sent a confirmation link to the new address. Your address changes when you open it, within 24 hours.',
  'password-changed': 'Your password was changed. Every other browser signed in to your account was signed out.',
  'language-saved': 'Saved your language.',
  'verification-sent': 'We sent a new verification link to your email address.',
  'verification-too-soon': 'We sent you a verification link a few minutes ago. Check your mail (and spam folder), or try again in five minutes.',
};

/** Language choices: each language named in itself, as language pickers do. '' follows the browser. */
const LANGUAGES = [
  { value: '', label: 'Browser default' },
  { value: 'en', label: 'English' },
  { value: 'ru', label: 'Русский' },
] as const;

const PASSWORD = { type: 'string', maxLength: MAX_PASSWORD_LENGTH * 4 } as const;
const emailBody = formBody({ email: { type: 'string', maxLength: MAX_EMAIL_LENGTH * 4 }, current_password: PASSWORD }, ['email', 'current_password']);
const passwordBody = formBody(
  { current_password: PASSWORD, new_password: PASSWORD, new_password_confirmation: PASSWORD },
  ['current_password', 'new_password', 'new_password_confirmation'],
);
const languageBody = formBody({ locale: { type: 'string', enum: ['', ...ACCOUNT_LOCALES] } }, ['locale']);
const noticeQuery = pageQuery({ notice: keyOf(NOTICES) });

const EMAIL_CHANGE_ERRORS = {
  password_incorrect: 'Your current password is not correct.',
  email_invalid: 'Enter a valid email address.',
  email_unchanged: 'That is already your email address.',
  too_many: 'You asked for too many address changes this hour. Try again later.',
} as const;

interface FormState {
  emailErrors?: FieldErrors;
  emailValue?: string;
  passwordErrors?: FieldErrors;
}

export function registerAccountSettingsPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = app.csrfProtection;

  async function renderAccountPage(reply: FastifyReply, user: UserRow, notice: string | undefined, state: FormState = {}) {
    const now = deps.clock.now();
    const pending = await findPendingEmailChange(deps, user);
    return renderPage(reply, 'account', {
      title: 'Account',
      notice,
      emailVerified: isEmailVerified(user),
      // Said alike of every unverified account of that age, whether its address was released yet or was never its own.
      claimLapsed: now.getTime() - Date.parse(user.created_at) >= UNVERIFIED_CLAIM_DAYS * DAY_MS,
      claimDays: UNVERIFIED_CLAIM_DAYS,
      pendingEmail: pending && { email: pending.email, requestedAt: TIME_FORMAT.format(new Date(pending.created_at)) },
      languages: LANGUAGES,
      locale: user.locale ?? '',
      emailErrors: state.emailErrors ?? {},
      emailValue: state.emailValue ?? '',
      passwordErrors: state.passwordErrors ?? {},
    });
  }

  app.get<{ Querystring: { notice?: string } }>('/settings/account', { schema: { querystring: noticeQuery } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    return renderAccountPage(reply, user, lookUp(NOTICES, request.query.notice));
  });

  app.post<{ Body: { email: string; current_password: string } }>('/settings/account/email', {
    preHandler: csrf, schema: { body: emailBody },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const email = request.body.email.trim();
    const result = await requestEmailChange(deps, user, { newEmail: email, currentPassword: request.body.current_password });
    if (result.ok) return reply.redirect('/settings/account?notice=email-change-sent');
    const field = result.code === 'password_incorrect' ? 'current_password' : 'email';
    return renderAccountPage(reply.code(result.code === 'too_many' ? 429 : 422), user, undefined, {
      emailErrors: { [field]: EMAIL_CHANGE_ERRORS[result.code] }, emailValue: email,
    });
  });

  app.post<{ Body: { current_password: string; new_password: string; new_password_confirmation: string } }>('/settings/account/password', {
    preHandler: csrf, schema: { body: passwordBody },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await changePassword(deps, user, {
      current: request.body.current_password, next: request.body.new_password, confirmation: request.body.new_password_confirmation,
    }, request.webSessionSecret, requestChangeContext(request));
    if (result.ok) return reply.redirect('/settings/account?notice=password-changed');
    const passwordErrors: FieldErrors = result.code === 'current_incorrect'
      ? { current_password: 'Your current password is not correct.' }
      : result.code === 'confirmation_mismatch'
        ? { new_password_confirmation: 'The new password and its confirmation do not match.' }
        : { new_password: describePasswordProblem(result.verdict, 'New password') };
    return renderAccountPage(reply.code(422), user, undefined, { passwordErrors });
  });

  app.post<{ Body: { locale: '' | (typeof ACCOUNT_LOCALES)[number] } }>('/settings/account/language', {
    preHandler: csrf, schema: { body: languageBody },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    await setAccountLocale(deps, user, request.body.locale === '' ? null : request.body.locale);
    return reply.redirect('/settings/account?notice=language-saved');
  });
}
