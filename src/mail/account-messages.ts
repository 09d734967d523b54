/**
 * The mail about an account itself (its address, its password), in plain text in the recipient's language
 * (locales/<language>/mail.json): the domain functions that send them pass only facts and a language. Links carry
 * one-time secrets; nothing else secret is ever sent.
 */
import type { MailMessage } from '../domain/deps.ts';
import type { Locale } from '../i18n/locales.ts';
import { type Translate, translatorFor } from '../i18n/translator.ts';

export const signature = (t: Translate) => ['', t('mail:thanks'), t('mail:team')];

/** A link to verify an address: the one mailed at sign-up, or the one that confirms a new address. */
export function verificationMessage(
  locale: Locale,
  facts: { to: string; username: string; link: string; purpose: 'sign_up' | 'change'; currentEmail: string; unlocks: 'tokens' | 'repositories' },
): MailMessage {
  const { t } = translatorFor(locale);
  const change = facts.purpose === 'change';
  return {
    to: facts.to,
    subject: t(change ? 'mail:verification.subjectChange' : 'mail:verification.subjectSignUp'),
    text: [
      t('mail:hi', { username: facts.username }),
      '',
      change
        ? t('mail:verification.change', { currentEmail: facts.currentEmail })
        : t(facts.unlocks === 'tokens' ? 'mail:verification.signUpTokens' : 'mail:verification.signUpRepositories'),
      '',
      facts.link,
      '',
      t(change ? 'mail:verification.changeIgnore' : 'mail:verification.signUpIgnore'),
    ].join('\n'),
  };
}

/**
 * Sent instead of a verification link when the address already belongs to another account: the person who typed
 * it learns nothing on the page, and the owner of the address learns that someone tried.
 */
export function addressInUseMessage(
  locale: Locale,
  facts: { to: string; username: string; holder: string; purpose: 'sign_up' | 'change'; baseUrl: string },
): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: facts.to,
    subject: t('mail:addressInUse.subject'),
    text: [
      t('mail:hiSomeone'),
      '',
      t(facts.purpose === 'sign_up' ? 'mail:addressInUse.signUp' : 'mail:addressInUse.change', { username: facts.username }),
      t('mail:addressInUse.taken', { holder: facts.holder, username: facts.username }),
      '',
      t('mail:addressInUse.reset', { holder: facts.holder }),
      '',
      `${facts.baseUrl}/forgot-password`,
      '',
      t('mail:addressInUse.ignore'),
      ...signature(t),
    ].join('\n'),
  };
}

export function passwordResetMessage(locale: Locale, facts: { to: string; username: string; link: string }): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: facts.to,
    subject: t('mail:passwordReset.subject'),
    text: [
      t('mail:hi', { username: facts.username }),
      '',
      t('mail:passwordReset.lead'),
      '',
      facts.link,
      '',
      t('mail:passwordReset.ignore'),
      ...signature(t),
    ].join('\n'),
  };
}

export function passwordChangedMessage(
  locale: Locale,
  facts: { to: string; username: string; how: 'changed' | 'reset' | 'admin'; baseUrl: string },
): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: facts.to,
    subject: t('mail:passwordChanged.subject'),
    text: [
      t('mail:hi', { username: facts.username }),
      '',
      t(`mail:passwordChanged.${facts.how}`),
      '',
      t('mail:passwordChanged.notYou'),
      '',
      `${facts.baseUrl}/forgot-password`,
      `${facts.baseUrl}/settings/security-log`,
      ...signature(t),
    ].join('\n'),
  };
}

/** To the address an account had, once another one took its place. */
export function emailChangedMessage(locale: Locale, facts: { to: string; username: string; newEmail: string; baseUrl: string }): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: facts.to,
    subject: t('mail:emailChanged.subject'),
    text: [
      t('mail:hi', { username: facts.username }),
      '',
      t('mail:emailChanged.lead', { oldEmail: facts.to, newEmail: facts.newEmail }),
      '',
      t('mail:emailChanged.notYou'),
      '',
      `${facts.baseUrl}/settings/account`,
      ...signature(t),
    ].join('\n'),
  };
}
