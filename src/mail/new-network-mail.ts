/** The mail about a token used from a network it was not used from before: its words live here, not in the domain. */
import type { MailMessage } from '../domain/deps.ts';

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

/** Names the token by its note and links to its page; never the secret, which the server does not have. */
export function newNetworkMessage(use: NewNetworkUse): MailMessage {
  const userAgent = use.userAgent === '' ? 'no user agent' : use.userAgent;
  return {
    to: use.to,
    subject: '[Tessera] A personal access token was used from a new network',
    text: [
      `Hi @${use.username},`,
      '',
      `Your personal access token "${use.tokenNote}" was used from a new network: ${use.clientAddress}, ${userAgent}, ${use.at.toISOString()}.`,
      '',
      'If this was you, there is nothing to do. If not, delete or regenerate the token at once:',
      '',
      `${use.baseUrl}/settings/tokens/${use.tokenId}`,
      '',
      `You can turn these messages off on ${use.baseUrl}/settings/tokens.`,
    ].join('\n'),
  };
}
