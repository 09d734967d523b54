/**
 * The account domain's codes in the reader's language, for the pages and the CLI (which passes English): sign-up
 * problems and password verdicts. The estimator's feedback comes as zxcvbn-ts translation keys; their sentences are
 * in locales/<language>/account.json under passwordFeedback (the English ones are zxcvbn-ts's own).
 */
import { translations } from '@zxcvbn-ts/language-en';
import type { FieldErrors } from '../../domain/deps.ts';
import type { SignUpProblems } from '../../domain/accounts.ts';
import type { PasswordVerdict } from '../../domain/password-strength.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../domain/passwords.ts';
import type { Translate } from '../../i18n/translator.ts';

/** The keys zxcvbn-ts may give: only these are looked up (a key is data from the estimator, not from the locale files). */
export const PASSWORD_FEEDBACK_KEYS = {
  warnings: new Set(Object.keys(translations.warnings)),
  suggestions: new Set(Object.keys(translations.suggestions)),
};

const feedback = (t: Translate, group: keyof typeof PASSWORD_FEEDBACK_KEYS, key: string) =>
  (PASSWORD_FEEDBACK_KEYS[group].has(key) ? t(`account:passwordFeedback.${group}.${key}`) : undefined);

/** Why a password was refused, with the estimator's reasons when it has some. */
export function describePasswordProblem(
  t: Translate,
  verdict: Exclude<PasswordVerdict, { ok: true }>,
  subject: 'password' | 'newPassword' = 'password',
): string {
  const subjectText = t(`account:passwordProblem.subject.${subject}`);
  if (verdict.code === 'too_short') return t('account:passwordProblem.tooShort', { subject: subjectText, count: MIN_PASSWORD_LENGTH });
  if (verdict.code === 'too_long') return t('account:passwordProblem.tooLong', { subject: subjectText, count: MAX_PASSWORD_LENGTH });
  const reasons = [
    verdict.warning === null ? undefined : feedback(t, 'warnings', verdict.warning),
    ...verdict.suggestions.map((key) => feedback(t, 'suggestions', key)),
  ].filter((reason): reason is string => reason !== undefined);
  if (reasons.length === 0) reasons.push(t('account:passwordFeedback.suggestions.anotherWord'));
  return t('account:passwordProblem.tooWeak', { subject: subjectText, reasons: reasons.join(' ') });
}

export function describeSignUpProblems(t: Translate, problems: SignUpProblems, username: string): FieldErrors {
  const errors: FieldErrors = {};
  if (problems.username === 'invalid') errors.username = t('account:signup.errors.usernameInvalid');
  else if (problems.username) errors.username = t('account:signup.errors.usernameTaken', { username });
  if (problems.email === 'invalid') errors.email = t('account:signup.errors.emailInvalid');
  else if (problems.email === 'taken') errors.email = t('account:signup.errors.emailTaken');
  if (problems.password) errors.password = describePasswordProblem(t, problems.password);
  return errors;
}
