/**
 * The words for what the domain says about a token in codes: a form's field errors (tokens.ts, token-expiration.ts),
 * a scope's description, and "Last used within the last week". Pages pass their language's `t`; the CLI passes
 * English's (`translatorFor('en').t`), so both read the same sentences from src/i18n/locales/<language>/tokens.json.
 */
import type { FieldErrors } from '../../domain/deps.ts';
import type { LastUsedBucket } from '../../domain/last-used-bucket.ts';
import type { Scope } from '../../domain/scopes.ts';
import { type ExpirationProblem, MAX_EXPIRATION_DAYS, MIN_EXPIRATION_DAYS } from '../../domain/token-expiration.ts';
import { MAX_NOTE_LENGTH, type TokenFieldProblems } from '../../domain/tokens.ts';
import type { Locale } from '../../i18n/locales.ts';
import type { Translate } from '../../i18n/translator.ts';

const NOTE_KEYS = {
  blank: 'tokens:errors.noteBlank',
  too_long: 'tokens:errors.noteTooLong',
  taken: 'tokens:errors.noteTaken',
  control_character: 'tokens:errors.noteControlCharacter',
  bidi_control: 'tokens:errors.noteBidiControl',
} as const satisfies Record<NonNullable<TokenFieldProblems['note']>, string>;

const EXPIRATION_KEYS = {
  days_out_of_range: 'tokens:errors.expirationDaysOutOfRange',
  malformed_date: 'tokens:errors.expirationMalformedDate',
  date_not_after_today: 'tokens:errors.expirationDateNotAfterToday',
} as const satisfies Record<ExpirationProblem, string>;

/** The token form's field errors, keyed by field (the form marks those fields invalid). */
export function describeTokenProblems(t: Translate, problems: TokenFieldProblems): FieldErrors {
  const errors: FieldErrors = {};
  if (problems.note) errors.note = problems.note === 'too_long' ? t(NOTE_KEYS.too_long, { count: MAX_NOTE_LENGTH }) : t(NOTE_KEYS[problems.note]);
  if (problems.scopes) errors.scopes = t('tokens:errors.unknownScopes', { count: problems.scopes.length, scopes: problems.scopes.join(', ') });
  if (problems.expiration) errors.expiration = t('tokens:errors.expirationNotInFuture');
  return errors;
}

export function describeExpirationProblem(t: Translate, problem: ExpirationProblem): string {
  return t(EXPIRATION_KEYS[problem], { min: MIN_EXPIRATION_DAYS, max: MAX_EXPIRATION_DAYS });
}

/**
 * What a scope allows, in the page's language: src/i18n/locales/<language>/scopes.json, keyed by the scope's name.
 * A name holds `:` (`read:org`), which i18next would read as a namespace separator: hence the namespace as an option.
 */
export function describeScope(t: Translate, scope: Scope): string {
  return t(scope, { ns: 'scopes', nsSeparator: false, keySeparator: false });
}

/** "Never used", "Last used within the last week", "… the last 3 months" (GitHub's words), with Russian plurals. */
export function describeLastUse(t: Translate, bucket: LastUsedBucket): string {
  if (bucket.kind === 'never') return t('tokens:lastUsed.never');
  return bucket.count === 1 ? t(`tokens:lastUsed.${bucket.unit}`) : t(`tokens:lastUsed.${bucket.unit}s`, { count: bucket.count });
}

/** "30 and 7 days" · "30 и 7 дней": a list of day counts, the unit agreeing with the last. */
export function describeDayList(t: Translate, locale: Locale, days: readonly number[]): string {
  const list = new Intl.ListFormat(locale, { type: 'conjunction' }).format(days.map(String));
  return t('tokens:dayList', { count: days.at(-1), days: list });
}

/** "Tokens not used for 365 days are removed; you are mailed 30 and 7 days before." (the warnings, earliest first). */
export function describeDisusePolicy(t: Translate, locale: Locale, unusedDays: number, warningDays: readonly number[]): string {
  if (warningDays.length === 0) return t('tokens:disuse.removed', { count: unusedDays });
  return t('tokens:disuse.removedAndMailed', { count: unusedDays, before: describeDayList(t, locale, warningDays) });
}
