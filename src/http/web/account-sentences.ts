/**
 * The account domain's codes in English, for the pages and the CLI: sign-up problems and password verdicts (the
 * estimator's feedback comes as zxcvbn-ts translation keys, said here with its own English translations).
 */
import { translations } from '@zxcvbn-ts/language-en';
import type { FieldErrors } from '../../domain/deps.ts';
import type { SignUpProblems } from '../../domain/accounts.ts';
import type { PasswordVerdict } from '../../domain/password-strength.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../../domain/passwords.ts';

const WARNINGS: Record<string, string> = translations.warnings;
const SUGGESTIONS: Record<string, string> = translations.suggestions;

const said = (table: Record<string, string>, key: string) => (Object.hasOwn(table, key) ? table[key] : undefined);

/** Why a password was refused, with the estimator's reasons when it has some. */
export function describePasswordProblem(verdict: Exclude<PasswordVerdict, { ok: true }>, subject = 'Password'): string {
  if (verdict.code === 'too_short') return `${subject} is too short (minimum is ${MIN_PASSWORD_LENGTH} characters).`;
  if (verdict.code === 'too_long') return `${subject} is too long (maximum is ${MAX_PASSWORD_LENGTH} characters).`;
  const reasons = [
    verdict.warning === null ? undefined : said(WARNINGS, verdict.warning),
    ...verdict.suggestions.map((key) => said(SUGGESTIONS, key)),
  ].filter((reason): reason is string => reason !== undefined);
  if (reasons.length === 0) reasons.push(SUGGESTIONS.anotherWord!);
  return `${subject} is too easy to guess. ${reasons.join(' ')}`;
}

export function describeSignUpProblems(problems: SignUpProblems, username: string): FieldErrors {
  const errors: FieldErrors = {};
  if (problems.username === 'invalid') {
    errors.username = 'Username may only contain letters, digits and single hyphens, cannot begin or end with a hyphen, and is at most 39 characters.';
  } else if (problems.username) errors.username = `Username ${username} is not available.`;
  if (problems.email === 'invalid') errors.email = 'Enter a valid email address.';
  else if (problems.email === 'taken') errors.email = 'Email is already in use by another account.';
  if (problems.password) errors.password = describePasswordProblem(problems.password);
  return errors;
}
