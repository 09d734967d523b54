/**
 * The mail that tells owners their tokens were revoked as leaked: one message per owner per submission, naming each
 * token by its note (never its secret) and pointing at the page where a new one is made.
 */
import type { Deps, MailMessage } from '../domain/deps.ts';
import type { RevokedToken } from '../domain/token-revocation.ts';
import type { UserRow } from '../store/database.ts';

export function leakedTokensMessage(owner: UserRow, notes: readonly string[], baseUrl: string): MailMessage {
  const sentences = notes.map((note) => `Your personal access token “${note}” was revoked because it was found in a public place.`);
  return {
    to: owner.email,
    subject: notes.length === 1
      ? '[Tessera] A personal access token was revoked because it was found in a public place'
      : `[Tessera] ${notes.length} personal access tokens were revoked because they were found in a public place`,
    text: [
      `Hi @${owner.username},`,
      '',
      ...sentences,
      '',
      'Someone reported it to Tessera, and it no longer works. Anything that used it will need a new token,',
      'and whatever it could reach may have been seen or changed by others: check your repositories.',
      '',
      `Make a new token at ${baseUrl}/settings/tokens`,
      `See what happened in your security log: ${baseUrl}/settings/security-log`,
      '',
      'Treat your tokens like passwords and keep them secret.',
    ].join('\n'),
  };
}

/** Mails each owner once; a failed send does not stop the others. Says how many could not be sent. */
export async function mailLeakedTokenOwners(deps: Pick<Deps, 'mailer' | 'config'>, revoked: readonly RevokedToken[]): Promise<number> {
  const byOwner = new Map<number, { owner: UserRow; notes: string[] }>();
  for (const { owner, note } of revoked) {
    const entry = byOwner.get(owner.id) ?? { owner, notes: [] };
    entry.notes.push(note);
    byOwner.set(owner.id, entry);
  }
  const results = await Promise.allSettled([...byOwner.values()].map(({ owner, notes }) =>
    deps.mailer.send(leakedTokensMessage(owner, notes, deps.config.baseUrl))));
  return results.filter((result) => result.status === 'rejected').length;
}
