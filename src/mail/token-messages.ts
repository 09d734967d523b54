/**
 * The mail Tessera sends about personal access tokens, in plain text in the recipient's language
 * (locales/<language>/mail.json): the jobs and domain functions that send them pass only facts and a language. A
 * token is named by its note and scopes, never its secret. Times are the language's (i18n/formats.ts), in UTC.
 */
import type { MailMessage } from '../domain/deps.ts';
import { formatsFor } from '../i18n/formats.ts';
import type { Locale } from '../i18n/locales.ts';
import { type Translate, translatorFor } from '../i18n/translator.ts';
import { signature } from './account-messages.ts';

export interface MailedUser {
  username: string;
  email: string;
}

export interface MailedToken {
  id: number;
  note: string;
  scopes: string[];
}

const scopesOf = (t: Translate, token: MailedToken) => (token.scopes.length > 0 ? token.scopes.join(', ') : t('mail:noScopes'));
const tokensPage = (baseUrl: string) => `${baseUrl}/settings/tokens`;
const regenerateLink = (baseUrl: string, token: MailedToken) => `${baseUrl}/settings/tokens/${token.id}/regenerate`;

export function tokenAddedMessage(locale: Locale, baseUrl: string, user: MailedUser, token: MailedToken, how: 'created' | 'regenerated'): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: user.email,
    subject: t('mail:tokenAdded.subject'),
    text: [
      t('mail:hey', { username: user.username }),
      '',
      t(`mail:tokenAdded.${how}`, { note: token.note, scopes: scopesOf(t, token) }),
      t('mail:tokenAdded.visit'),
      '',
      tokensPage(baseUrl),
      '',
      t('mail:tokenAdded.notYou'),
      ...signature(t),
    ].join('\n'),
  };
}

export function expiryReminderMessage(
  locale: Locale,
  baseUrl: string,
  user: MailedUser,
  token: MailedToken,
  expiresAt: Date,
  when: 'week' | 'day',
): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: user.email,
    subject: t(when === 'week' ? 'mail:expiry.subjectWeek' : 'mail:expiry.subjectDay', { note: token.note }),
    text: [
      t('mail:hey', { username: user.username }),
      '',
      t('mail:expiry.expiresOn', { note: token.note, scopes: scopesOf(t, token), time: formatsFor(locale).time(expiresAt) }),
      t('mail:expiry.regenerate'),
      '',
      regenerateLink(baseUrl, token),
      '',
      t('mail:expiry.afterwards'),
      ...signature(t),
    ].join('\n'),
  };
}

export function disuseWarningMessage(
  locale: Locale,
  baseUrl: string,
  user: MailedUser,
  token: MailedToken,
  facts: { unusedDays: number; removalAt: Date },
): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: user.email,
    subject: t('mail:disuse.subject', { note: token.note }),
    text: [
      t('mail:hey', { username: user.username }),
      '',
      t('mail:disuse.notUsed', { note: token.note, scopes: scopesOf(t, token) }),
      t('mail:disuse.removal', { count: facts.unusedDays, time: formatsFor(locale).time(facts.removalAt) }),
      t('mail:disuse.keep'),
      '',
      tokensPage(baseUrl),
      ...signature(t),
    ].join('\n'),
  };
}

export function tokensRemovedMessage(
  locale: Locale,
  baseUrl: string,
  user: MailedUser,
  tokens: MailedToken[],
  facts: { unusedDays: number; restorableUntil: Date },
): MailMessage {
  const { t } = translatorFor(locale);
  const one = tokens.length === 1;
  return {
    to: user.email,
    subject: one
      ? t('mail:removed.subjectOne', { note: tokens[0]!.note })
      : t('mail:removed.subjectMany', { count: tokens.length }),
    text: [
      t('mail:hey', { username: user.username }),
      '',
      t(one ? 'mail:removed.leadOne' : 'mail:removed.leadMany', { count: facts.unusedDays }),
      '',
      ...tokens.map((token) => t('mail:removed.token', { note: token.note, scopes: scopesOf(t, token) })),
      '',
      t(one ? 'mail:removed.restoreOne' : 'mail:removed.restoreMany', { time: formatsFor(locale).time(facts.restorableUntil) }),
      '',
      tokensPage(baseUrl),
      ...signature(t),
    ].join('\n'),
  };
}
