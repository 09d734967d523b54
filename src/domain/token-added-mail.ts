/**
 * "A new personal access token was added to your account": sent by createPersonalAccessToken and
 * regeneratePersonalAccessToken after their transaction commits, so a rolled-back change mails nothing. Sent from
 * the request rather than from a job reading the security log: the owner hears at once, and a second mail channel
 * to keep in step is not needed. A mail that fails is reported, never turned into a failed creation: the token
 * exists and its secret was shown once.
 */
import type { Deps } from './deps.ts';
import type { Locale } from '../i18n/locales.ts';
import type { UserRow } from '../store/database.ts';
import { mailLocale } from '../mail/mail-locale.ts';
import { tokenAddedMessage } from '../mail/token-messages.ts';
import type { PersonalAccessToken } from './tokens.ts';

export async function mailTokenAdded(
  deps: Deps, user: UserRow, token: PersonalAccessToken, how: 'created' | 'regenerated', pageLocale?: Locale,
): Promise<void> {
  try {
    await deps.mailer.send(tokenAddedMessage(mailLocale(deps.config, user, pageLocale), deps.config.baseUrl, user, token, how));
  } catch (error) {
    deps.reportError?.(error, 'could not mail the owner about a new token');
  }
}
