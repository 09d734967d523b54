/**
 * What a signed-in user changes about their own account: the password and the language. (The address is
 * email-verification.ts's: it changes only once the new one is verified.)
 *
 * Changing the password asks for the current one (a browser left signed in is not enough), ends every other session
 * of the user, voids their password reset links, and is written to the security log in the same transaction; the
 * account's address is told. Tokens keep working, as on GitHub: they are credentials of their own, listed and
 * revocable on the tokens page.
 */
import type { Deps } from './deps.ts';
import { holdsEmailAddress } from './email-address.ts';
import { checkNewPassword, type PasswordVerdict } from './password-strength.ts';
import { hashPassword, isPasswordCorrect, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from './security-log.ts';
import { hashToken } from './token-format.ts';
import { userChanged } from './token-cache.ts';
import type { Locale } from '../i18n/locales.ts';
import { passwordChangedMessage } from '../mail/account-messages.ts';
import { mailLocale } from '../mail/mail-locale.ts';
import type { UserRow } from '../store/database.ts';
import { deletePasswordResetsOfUser } from '../store/password-reset-store.ts';
import { deleteWebSessionsOfUser } from '../store/session-store.ts';
import { updateUserLocale, updateUserPassword } from '../store/user-store.ts';

export type ChangePasswordResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; code: 'current_incorrect' }
  | { ok: false; code: 'confirmation_mismatch' }
  | { ok: false; code: 'weak_password'; verdict: Exclude<PasswordVerdict, { ok: true }> };

export async function changePassword(
  deps: Deps,
  user: UserRow,
  input: { current: string; next: string; confirmation: string },
  /** The session making the change: the one that stays signed in. */
  currentSessionSecret: string | undefined,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<ChangePasswordResult> {
  const correct = input.current.length <= MAX_PASSWORD_LENGTH && await isPasswordCorrect(user.password_hash, input.current);
  if (!correct) return { ok: false, code: 'current_incorrect' };
  if (input.next !== input.confirmation) return { ok: false, code: 'confirmation_mismatch' };
  const verdict = checkNewPassword(input.next, [user.username, user.email]);
  if (!verdict.ok) return { ok: false, code: 'weak_password', verdict };
  const passwordHash = await hashPassword(input.next);
  const now = deps.clock.now();
  const sessionsEnded = await deps.db.transaction().execute(async (trx) => {
    await updateUserPassword(trx, user.id, passwordHash, now.toISOString());
    await deletePasswordResetsOfUser(trx, user.id);
    const ended = await deleteWebSessionsOfUser(trx, user.id, currentSessionSecret === undefined ? undefined : hashToken(currentSessionSecret));
    await recordSecurityEvent(trx, { userId: user.id, kind: 'account.password_changed', context, at: now });
    return ended;
  });
  await afterPasswordChange(deps, user, 'changed', context.pageLocale);
  return { ok: true, sessionsEnded };
}

/** What follows any change of password once it committed: caches drop the user, and the address is told. */
export async function afterPasswordChange(deps: Deps, user: UserRow, how: 'changed' | 'admin', pageLocale?: Locale): Promise<void> {
  await deps.shared.invalidations.publish(userChanged(user.id));
  // An address the account does not hold may be someone else's.
  if (!holdsEmailAddress(user)) return;
  try {
    const facts = { to: user.email, username: user.username, how, baseUrl: deps.config.baseUrl };
    await deps.mailer.send(passwordChangedMessage(mailLocale(deps.config, user, pageLocale), facts));
  } catch (error) {
    deps.reportError?.(error, 'could not tell the owner of a password change');
  }
}

/** `null` follows the browser's language. */
export async function setAccountLocale(deps: Deps, user: UserRow, locale: Locale | null): Promise<void> {
  // null in users.locale follows the browser (Accept-Language).
  await updateUserLocale(deps.db, user.id, locale, deps.clock.now().toISOString());
  await deps.shared.invalidations.publish(userChanged(user.id));
}
