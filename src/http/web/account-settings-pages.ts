/**
 * The account settings page (`/settings/account`): the email address (verified or not, a change waiting for its
 * link), the password, and the language of the interface. Each form posts to its own route and comes back here.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { isEmailVerified } from '../../domain/accounts.ts';
import { changePassword, setAccountLocale } from '../../domain/account-settings.ts';
import { LANGUAGE_NAMES, type Locale, LOCALES } from '../../i18n/locales.ts';
import { DAY_MS, type FieldErrors } from '../../domain/deps.ts';
import { MAX_EMAIL_LENGTH, UNVERIFIED_CLAIM_DAYS } from '../../domain/email-address.ts';
import { findPendingEmailChange, requestEmailChange } from '../../domain/email-verification.ts';
import { MAX_PASSWORD_LENGTH } from '../../domain/passwords.ts';
import type { UserRow } from '../../store/database.ts';
import { pageChangeContext } from '../change-context.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { describePasswordProblem } from './account-sentences.ts';
import { formatsFor } from '../../i18n/formats.ts';
import { localeOf, noticeText, pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { formBody, keyOf, pageQuery } from './web-input.ts';

/** `?notice=` → its sentence's key in account.json. */
const NOTICES: Record<string, string> = Object.fromEntries(
  ['email-change-sent', 'password-changed', 'language-saved', 'verification-sent', 'verification-too-soon']
    .map((notice) => [notice, `account:settings.notices.${notice}`]),
);

const PASSWORD = { type: 'string', maxLength: MAX_PASSWORD_LENGTH * 4 } as const;
const emailBody = formBody({ email: { type: 'string', maxLength: MAX_EMAIL_LENGTH * 4 }, current_password: PASSWORD }, ['email', 'current_password']);
const passwordBody = formBody(
  { current_password: PASSWORD, new_password: PASSWORD, new_password_confirmation: PASSWORD },
  ['current_password', 'new_password', 'new_password_confirmation'],
);
const languageBody = formBody({ locale: { type: 'string', enum: ['', ...LOCALES] } }, ['locale']);
const noticeQuery = pageQuery({ notice: keyOf(NOTICES) });

/** The domain's refusals of an address change → their keys in account.json (`too_many` would read as a plural form). */
const EMAIL_CHANGE_ERRORS = {
  password_incorrect: 'account:settings.email.errors.passwordIncorrect',
  email_invalid: 'account:settings.email.errors.emailInvalid',
  email_unchanged: 'account:settings.email.errors.emailUnchanged',
  too_many: 'account:settings.email.errors.tooMany',
} as const;

interface FormState {
  emailErrors?: FieldErrors;
  emailValue?: string;
  passwordErrors?: FieldErrors;
}

export function registerAccountSettingsPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = app.csrfProtection;

  /** `notice`: the page's `?notice=`, a key of NOTICES. */
  async function renderAccountPage(reply: FastifyReply, user: UserRow, notice: string | undefined, state: FormState = {}) {
    const now = deps.clock.now();
    const pending = await findPendingEmailChange(deps, user);
    const { locale, t } = pageText(reply.request);
    return renderPage(reply, 'account', {
      title: t('account:settings.title'),
      notice: noticeText(t, NOTICES, notice),
      emailVerified: isEmailVerified(user),
      // Said alike of every unverified account of that age, whether its address was released yet or was never its own.
      claimLapsed: now.getTime() - Date.parse(user.created_at) >= UNVERIFIED_CLAIM_DAYS * DAY_MS,
      claimDays: UNVERIFIED_CLAIM_DAYS,
      pendingEmail: pending && { email: pending.email, requestedAt: formatsFor(locale).exact(new Date(pending.created_at)) },
      languages: [{ value: '', label: t('account:settings.language.browserDefault') }, ...LOCALES.map((value) => ({ value, label: LANGUAGE_NAMES[value] }))],
      accountLocale: user.locale ?? '',
      emailErrors: state.emailErrors ?? {},
      emailValue: state.emailValue ?? '',
      passwordErrors: state.passwordErrors ?? {},
    });
  }

  app.get<{ Querystring: { notice?: string } }>('/settings/account', { schema: { querystring: noticeQuery } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    return renderAccountPage(reply, user, request.query.notice);
  });

  app.post<{ Body: { email: string; current_password: string } }>('/settings/account/email', {
    preHandler: csrf, schema: { body: emailBody },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const email = request.body.email.trim();
    const result = await requestEmailChange(deps, user, { newEmail: email, currentPassword: request.body.current_password }, localeOf(request));
    if (result.ok) return reply.redirect('/settings/account?notice=email-change-sent');
    const field = result.code === 'password_incorrect' ? 'current_password' : 'email';
    return renderAccountPage(reply.code(result.code === 'too_many' ? 429 : 422), user, undefined, {
      emailErrors: { [field]: pageText(request).t(EMAIL_CHANGE_ERRORS[result.code]) }, emailValue: email,
    });
  });

  app.post<{ Body: { current_password: string; new_password: string; new_password_confirmation: string } }>('/settings/account/password', {
    preHandler: csrf, schema: { body: passwordBody },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const result = await changePassword(deps, user, {
      current: request.body.current_password, next: request.body.new_password, confirmation: request.body.new_password_confirmation,
    }, request.webSessionSecret, pageChangeContext(request));
    if (result.ok) return reply.redirect('/settings/account?notice=password-changed');
    const { t } = pageText(request);
    const passwordErrors: FieldErrors = result.code === 'current_incorrect'
      ? { current_password: t('account:settings.password.errors.currentIncorrect') }
      : result.code === 'confirmation_mismatch'
        ? { new_password_confirmation: t('account:settings.password.errors.mismatch') }
        : { new_password: describePasswordProblem(t, result.verdict, 'newPassword') };
    return renderAccountPage(reply.code(422), user, undefined, { passwordErrors });
  });

  app.post<{ Body: { locale: '' | Locale } }>('/settings/account/language', {
    preHandler: csrf, schema: { body: languageBody },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    await setAccountLocale(deps, user, request.body.locale === '' ? null : request.body.locale);
    return reply.redirect('/settings/account?notice=language-saved');
  });
}
