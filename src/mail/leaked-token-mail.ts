/**
 * The mail that tells owners their tokens were revoked as leaked: one message per owner per submission, in the
 * owner's language, naming each token by its note (never its secret) and pointing at the page where a new one is made.
 */
import type { Deps, MailMessage } from '../domain/deps.ts';
import type { RevokedToken } from '../domain/token-revocation.ts';
import type { Locale } from '../i18n/locales.ts';
import { translatorFor } from '../i18n/translator.ts';
import type { UserRow } from '../store/database.ts';
import { mailLocale } from './mail-locale.ts';

export function leakedTokensMessage(locale: Locale, owner: UserRow, notes: readonly string[], baseUrl: string): MailMessage {
  const { t } = translatorFor(locale);
  return {
    to: owner.email,
    subject: notes.length === 1 ? t('mail:leaked.subjectOne') : t('mail:leaked.subjectMany', { count: notes.length }),
    text: [
      t('mail:hi', { username: owner.username }),
      '',
      ...notes.map((note) => t('mail:leaked.revoked', { note })),
      '',
      t('mail:leaked.explanation'),
      '',
      t('mail:leaked.newToken', { url: `${baseUrl}/settings/tokens` }),
      t('mail:leaked.securityLog', { url: `${baseUrl}/settings/security-log` }),
      '',
      t('mail:leaked.keepSecret'),
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
    deps.mailer.send(leakedTokensMessage(mailLocale(deps.config, owner), owner, notes, deps.config.baseUrl))));
  return results.filter((result) => result.status === 'rejected').length;
}
