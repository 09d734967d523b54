/**
 * Forgotten passwords: a link mailed to the account's address, single use, valid PASSWORD_RESET_LIFETIME_MS.
 *
 * Stored per link: the SHA-256 of its 256-bit random secret (never the secret), the account, the email key it was
 * mailed for, and its expiry. A link is void once used, expired, or the account's address changed (the key differs),
 * and all of an account's links go when its password changes in any way. Using one ends every session of the
 * account (whoever knew the old password is signed out) and verifies the address it came through.
 *
 * No enumeration: the request is answered the same, and equally fast, whether or not an account matches. The
 * look-up, the link and the mail all happen after the answer (background-work.ts). Limits, through the shared
 * RateLimiter port: requests per client network are the edge's (a page says so, whatever the account); links mailed
 * per account and hour are RESET_MAILS_PER_ACCOUNT_PER_HOUR, past which requests are dropped silently (mailbox
 * flooding). Suspended accounts and accounts whose address is not their own get no link.
 */
import { randomBytes } from 'node:crypto';
import type { Deps } from './deps.ts';
import { afterAnswering } from './background-work.ts';
import { emailKey, holdsEmailAddress, MAX_EMAIL_LENGTH } from './email-address.ts';
import { checkNewPassword, type PasswordVerdict } from './password-strength.ts';
import { hashPassword } from './passwords.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from './security-log.ts';
import { hashToken } from './token-format.ts';
import { userChanged } from './token-cache.ts';
import type { Locale } from '../i18n/locales.ts';
import { passwordResetMessage } from '../mail/account-messages.ts';
import { mailLocale } from '../mail/mail-locale.ts';
import type { PasswordResetRow, UserRow } from '../store/database.ts';
import {
  deletePasswordReset, deletePasswordResetsOfUser, findPasswordReset, insertPasswordReset,
} from '../store/password-reset-store.ts';
import { deleteWebSessionsOfUser } from '../store/session-store.ts';
import { findUserByEmailKey, findUserById, findUserByUsername, updateUserEmailVerifiedAt, updateUserPassword } from '../store/user-store.ts';

export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;
export const RESET_MAILS_PER_ACCOUNT_PER_HOUR = 3;
/** Longer than any secret Tessera mails: looked up at all only below this. */
const MAX_SECRET_LENGTH = 100;

/**
 * Mails a reset link to the account named by `login` (username or address), if there is one; never says which. The
 * mail is in the account's language, else in `pageLocale`, the language of the page that asked.
 */
export async function requestPasswordReset(deps: Deps, login: string, pageLocale?: Locale): Promise<void> {
  await afterAnswering(deps, 'mail a password reset link', async () => {
    const user = await findResettableUser(deps, login);
    if (!user) return;
    const now = deps.clock.now();
    const state = await deps.shared.rateLimiter.consume(`password-reset-mail:${user.id}`, RESET_MAILS_PER_ACCOUNT_PER_HOUR, now);
    if (state.exceeded) return;
    const secret = randomBytes(32).toString('base64url');
    await insertPasswordReset(deps.db, {
      tokenHash: hashToken(secret), userId: user.id, emailKey: user.email_key,
      createdAt: now.toISOString(), expiresAt: new Date(now.getTime() + PASSWORD_RESET_LIFETIME_MS).toISOString(),
    });
    const link = `${deps.config.baseUrl}/reset-password?token=${encodeURIComponent(secret)}`;
    await deps.mailer.send(passwordResetMessage(mailLocale(deps.config, user, pageLocale), { to: user.email, username: user.username, link }));
  });
}

async function findResettableUser(deps: Deps, login: string): Promise<UserRow | undefined> {
  const trimmed = login.trim();
  if (trimmed === '' || trimmed.length > MAX_EMAIL_LENGTH) return undefined;
  const user = trimmed.includes('@') ? await findUserByEmailKey(deps.db, emailKey(trimmed)) : await findUserByUsername(deps.db, trimmed);
  return user && holdsEmailAddress(user) && user.suspended_at === null ? user : undefined;
}

export type ResetLinkCheck = { ok: true; user: UserRow; link: PasswordResetRow } | { ok: false; reason: 'invalid' | 'expired' };

/** Whether a link still works, and whose it is (the page shows the username it resets). */
export async function checkPasswordResetLink(deps: Deps, secret: string): Promise<ResetLinkCheck> {
  if (secret.length === 0 || secret.length > MAX_SECRET_LENGTH) return { ok: false, reason: 'invalid' };
  const link = await findPasswordReset(deps.db, hashToken(secret));
  if (!link) return { ok: false, reason: 'invalid' };
  if (deps.clock.now().toISOString() >= link.expires_at) return { ok: false, reason: 'expired' };
  const user = await findUserById(deps.db, link.user_id);
  if (!user || user.email_key !== link.email_key || user.suspended_at !== null) return { ok: false, reason: 'invalid' };
  return { ok: true, user, link };
}

export type ResetPasswordResult =
  | { ok: true; user: UserRow }
  | { ok: false; reason: 'invalid' | 'expired' }
  | { ok: false; reason: 'weak_password'; verdict: Exclude<PasswordVerdict, { ok: true }> };

export async function resetPassword(
  deps: Deps,
  secret: string,
  newPassword: string,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<ResetPasswordResult> {
  const check = await checkPasswordResetLink(deps, secret);
  if (!check.ok) return check;
  const { user, link } = check;
  // Checked before the link is used up: a refused password leaves it working for the next try.
  const verdict = checkNewPassword(newPassword, [user.username, user.email]);
  if (!verdict.ok) return { ok: false, reason: 'weak_password', verdict };
  const passwordHash = await hashPassword(newPassword);
  const now = deps.clock.now();
  const used = await deps.db.transaction().execute(async (trx) => {
    // Deleting first makes two submissions of one link change the password once.
    if (!(await deletePasswordReset(trx, link.id))) return false;
    await updateUserPassword(trx, user.id, passwordHash, now.toISOString());
    await deletePasswordResetsOfUser(trx, user.id);
    await deleteWebSessionsOfUser(trx, user.id);
    // The link reached the account's address: that proves the address, as a verification link would.
    if (user.email_verified_at === null) await updateUserEmailVerifiedAt(trx, user.id, now.toISOString());
    await recordSecurityEvent(trx, { userId: user.id, kind: 'account.password_reset', context, at: now });
    return true;
  });
  if (!used) return { ok: false, reason: 'invalid' };
  await deps.shared.invalidations.publish(userChanged(user.id));
  return { ok: true, user };
}
