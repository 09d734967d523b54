/**
 * The mail about a token used from a network it was not used from before, in the recipient's language: its words
 * live in locales/<language>/mail.json, not in the domain.
 */
import type { MailMessage } from '../domain/deps.ts';
import type { Locale } from '../i18n/locales.ts';
import { translatorFor } from '../i18n/translator.ts';

export interface NewNetworkUse {
  to: string;
  username: string;
  tokenId: number;
  tokenNote: string;
  clientAddress: string;
  /** '' when the client sent none. */
  userAgent: string;
  at: Date;
  baseUrl: string;
}

/**
 * Names the token by its note and links to its page; never the secret, which the server does not have. The time is
 * given exactly, as an ISO 8601 timestamp (UTC), in every language: it is matched against logs.
 */
export function newNetworkMessage(locale: Locale, use: NewNetworkUse): MailMessage {
  const { t } = translatorFor(locale);
  const userAgent = use.userAgent === '' ? t('mail:newNetwork.noUserAgent') : use.userAgent;
  return {
    to: use.to,
    subject: t('mail:newNetwork.subject'),
    text: [
      t('mail:hi', { username: use.username }),
      '',
      t('mail:newNetwork.used', { note: use.tokenNote, address: use.clientAddress, userAgent, time: use.at.toISOString() }),
      '',
      t('mail:newNetwork.ifYou'),
      '',
      `${use.baseUrl}/settings/tokens/${use.tokenId}`,
      '',
      t('mail:newNetwork.turnOff', { url: `${use.baseUrl}/settings/tokens` }),
    ].join('\n'),
  };
}
