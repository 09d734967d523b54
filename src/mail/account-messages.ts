/**
 * The mail about an account itself (its address, its password), in plain-text English: the sentences live here, the
 * domain functions that send them pass only facts. Links carry one-time secrets; nothing else secret is ever sent.
 */
import type { MailMessage } from '../domain/deps.ts';

const SIGNATURE = ['', 'Thanks,', 'The Tessera team'];

/** A link to verify an address: the one mailed at sign-up, or the one that confirms a new address. */
export function verificationMessage(
  facts: { to: string; username: string; link: string; purpose: 'sign_up' | 'change'; currentEmail: string; unlocks: 'tokens' | 'repositories' },
): MailMessage {
  const change = facts.purpose === 'change';
  return {
    to: facts.to,
    subject: change ? '[Tessera] Please confirm your new email address' : '[Tessera] Please verify your email address',
    text: [
      `Hi @${facts.username},`,
      '',
      change
        ? `You asked to use this address for your Tessera account instead of ${facts.currentEmail}. Confirm it by opening this link within 24 hours:`
        : `Please verify your email address so that you can create ${facts.unlocks === 'tokens' ? 'personal access tokens' : 'repositories'}.\nOpen this link within 24 hours:`,
      '',
      facts.link,
      '',
      change
        ? 'Until you open it, your account keeps its current address. If you did not ask for this, you can ignore this email.'
        : 'If you did not sign up for Tessera, you can ignore this email.',
    ].join('\n'),
  };
}

/**
 * Sent instead of a verification link when the address already belongs to another account: the person who typed
 * it learns nothing on the page, and the owner of the address learns that someone tried.
 */
export function addressInUseMessage(
  facts: { to: string; username: string; holder: string; purpose: 'sign_up' | 'change'; baseUrl: string },
): MailMessage {
  return {
    to: facts.to,
    subject: '[Tessera] This email address already has an account',
    text: [
      'Hi,',
      '',
      facts.purpose === 'sign_up'
        ? `Someone, perhaps you, signed up for Tessera as @${facts.username} with this email address.`
        : `Someone, perhaps you, asked to use this email address for the Tessera account @${facts.username}.`,
      `This address already belongs to the account @${facts.holder}, so it was not given to @${facts.username}.`,
      '',
      `If @${facts.holder} is yours and you forgot its password, reset it here:`,
      '',
      `${facts.baseUrl}/forgot-password`,
      '',
      'If you did not do this, you can ignore this email: nothing changed.',
      ...SIGNATURE,
    ].join('\n'),
  };
}

export function passwordResetMessage(facts: { to: string; username: string; link: string }): MailMessage {
  return {
    to: facts.to,
    subject: '[Tessera] Reset your password',
    text: [
      `Hi @${facts.username},`,
      '',
      'We heard that you lost your Tessera password. Sorry about that! You can choose a new one with this link,',
      'within one hour; it works once:',
      '',
      facts.link,
      '',
      'If you did not ask for this, you can ignore this email: your password stays as it is.',
      ...SIGNATURE,
    ].join('\n'),
  };
}

export function passwordChangedMessage(facts: { to: string; username: string; how: 'changed' | 'reset' | 'admin'; baseUrl: string }): MailMessage {
  const what = { changed: 'was changed', reset: 'was reset with a link mailed to this address', admin: 'was set by an administrator' }[facts.how];
  return {
    to: facts.to,
    subject: '[Tessera] Your password was changed',
    text: [
      `Hi @${facts.username},`,
      '',
      `The password of your Tessera account ${what}. ${facts.how === 'changed' ? 'Your other browsers were signed out.' : 'Every browser was signed out.'}`,
      '',
      'If this was not you, reset your password at once and check your personal access tokens and security log:',
      '',
      `${facts.baseUrl}/forgot-password`,
      `${facts.baseUrl}/settings/security-log`,
      ...SIGNATURE,
    ].join('\n'),
  };
}

/** To the address an account had, once another one took its place. */
export function emailChangedMessage(facts: { to: string; username: string; newEmail: string; baseUrl: string }): MailMessage {
  return {
    to: facts.to,
    subject: '[Tessera] Your email address was changed',
    text: [
      `Hi @${facts.username},`,
      '',
      `The email address of your Tessera account was changed from ${facts.to} to ${facts.newEmail}.`,
      'Mail about your account, password resets included, now goes to the new address.',
      '',
      'If this was not you, sign in, change your password and the address back, and check your security log:',
      '',
      `${facts.baseUrl}/settings/account`,
      ...SIGNATURE,
    ].join('\n'),
  };
}
