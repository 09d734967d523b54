/**
 * The mail Tessera sends about personal access tokens, in plain-text English: the sentences live here, the jobs
 * and domain functions that send them pass only facts. A token is named by its note and scopes, never its secret.
 */
import type { MailMessage } from '../domain/deps.ts';

export interface MailedUser {
  username: string;
  email: string;
}

export interface MailedToken {
  id: number;
  note: string;
  scopes: string[];
}

const DATE = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
const formatTime = (date: Date) => `${DATE.format(date)} UTC`;
const scopesOf = (token: MailedToken) => (token.scopes.length > 0 ? token.scopes.join(', ') : 'no scopes');
const tokensPage = (baseUrl: string) => `${baseUrl}/settings/tokens`;
const regenerateLink = (baseUrl: string, token: MailedToken) => `${baseUrl}/settings/tokens/${token.id}/regenerate`;

const SIGNATURE = ['', 'Thanks,', 'The Tessera team'];

export function tokenAddedMessage(baseUrl: string, user: MailedUser, token: MailedToken, how: 'created' | 'regenerated'): MailMessage {
  return {
    to: user.email,
    subject: '[Tessera] A new personal access token was added to your account',
    text: [
      `Hey @${user.username}!`,
      '',
      `A personal access token ("${token.note}", ${scopesOf(token)}) was ${how === 'created' ? 'recently added to' : 'regenerated for'} your account.`,
      'Visit your personal access tokens to see it or delete it:',
      '',
      tokensPage(baseUrl),
      '',
      'If this was not you, delete the token there at once and change your password.',
      ...SIGNATURE,
    ].join('\n'),
  };
}

export function expiryReminderMessage(
  baseUrl: string,
  user: MailedUser,
  token: MailedToken,
  expiresAt: Date,
  when: 'week' | 'day',
): MailMessage {
  return {
    to: user.email,
    subject: when === 'week'
      ? `[Tessera] Your personal access token "${token.note}" expires in 7 days`
      : `[Tessera] Your personal access token "${token.note}" expires today`,
    text: [
      `Hey @${user.username}!`,
      '',
      `Your personal access token "${token.note}" (${scopesOf(token)}) expires on ${formatTime(expiresAt)}.`,
      'To keep using it, regenerate it with the same note and scopes:',
      '',
      regenerateLink(baseUrl, token),
      '',
      'Anything that uses the token needs the new one after you regenerate it.',
      ...SIGNATURE,
    ].join('\n'),
  };
}

export function disuseWarningMessage(
  baseUrl: string,
  user: MailedUser,
  token: MailedToken,
  facts: { unusedDays: number; removalAt: Date },
): MailMessage {
  return {
    to: user.email,
    subject: `[Tessera] Your personal access token "${token.note}" will be removed because it is not used`,
    text: [
      `Hey @${user.username}!`,
      '',
      `Your personal access token "${token.note}" (${scopesOf(token)}) has not been used for a long time.`,
      `Tokens unused for ${facts.unusedDays} days are removed; this one will be removed on ${formatTime(facts.removalAt)}.`,
      'Using it once (an API call or a Git fetch) keeps it. If you no longer need it, there is nothing to do.',
      '',
      tokensPage(baseUrl),
      ...SIGNATURE,
    ].join('\n'),
  };
}

export function tokensRemovedMessage(
  baseUrl: string,
  user: MailedUser,
  tokens: MailedToken[],
  facts: { unusedDays: number; restorableUntil: Date },
): MailMessage {
  const one = tokens.length === 1;
  return {
    to: user.email,
    subject: one
      ? `[Tessera] Your personal access token "${tokens[0]!.note}" was removed because it was not used`
      : `[Tessera] ${tokens.length} of your personal access tokens were removed because they were not used`,
    text: [
      `Hey @${user.username}!`,
      '',
      `${one ? 'This personal access token was' : 'These personal access tokens were'} not used for ${facts.unusedDays} days and ${one ? 'has' : 'have'} been removed:`,
      '',
      ...tokens.map((token) => `- "${token.note}" (${scopesOf(token)})`),
      '',
      `Until ${formatTime(facts.restorableUntil)} you can restore ${one ? 'it' : 'them'} (the same token, scopes and note) under "Removed tokens":`,
      '',
      tokensPage(baseUrl),
      ...SIGNATURE,
    ].join('\n'),
  };
}
