/**
 * Verifying an address: the link mailed at sign-up, a new link on request, and changing to another address.
 *
 * Stored per link: the SHA-256 of its 256-bit random secret, the address it was mailed to, the account's email key
 * when it was mailed (`replaces_key`), and an expiry (EMAIL_VERIFICATION_LIFETIME_MS). Opening a link makes its
 * address the account's verified address, only while the account's key is still `replaces_key`: a link is bound to
 * the address it was sent to, and void once the account's address changed again (or was released). All of the
 * account's links go when one is used.
 *
 * Threats: a leaked link (expires, single use, bound), enumeration of addresses (an address another account holds
 * gets a mail saying so instead of a link, and a link row is written either way, so that what the asker sees next,
 * a pending change or "sent a few minutes ago", is the same), mailbox flooding (VERIFICATION_RESEND_INTERVAL_MS,
 * EMAIL_CHANGES_PER_HOUR), and someone in a signed-in browser taking the account (a change asks for the password;
 * the old address is told once the change is made).
 */
import { randomBytes } from 'node:crypto';
import { DAY_MS, type Deps } from './deps.ts';
import { emailKey, holdsEmailAddress, isValidEmailAddress } from './email-address.ts';
import { isPasswordCorrect, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from './security-log.ts';
import { hashToken } from './token-format.ts';
import { userChanged } from './token-cache.ts';
import type { Locale } from '../i18n/locales.ts';
import { addressInUseMessage, emailChangedMessage, verificationMessage } from '../mail/account-messages.ts';
import { mailLocale } from '../mail/mail-locale.ts';
import type { EmailVerificationRow, UserRow } from '../store/database.ts';
import { deletePasswordResetsOfUser } from '../store/password-reset-store.ts';
import {
  deleteEmailVerificationsOfUser, findEmailVerification, findLatestEmailVerification, insertEmailVerification,
} from '../store/session-store.ts';
import { findUserByEmailKey, findUserById, updateUserVerifiedEmail } from '../store/user-store.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';

export const EMAIL_VERIFICATION_LIFETIME_MS = DAY_MS;
/** A new link at most this often, so "Resend" cannot be used to flood someone's mailbox. */
export const VERIFICATION_RESEND_INTERVAL_MS = 5 * 60 * 1000;
/** Changes of address asked for per account and hour: room for typos, not for mailing strangers. */
export const EMAIL_CHANGES_PER_HOUR = 10;

/**
 * Writes a link for `address` and mails it, or, when another account holds the address, mails the address that it
 * is taken (the link row is written all the same, its secret thrown away). `pageLocale` is the language of the page
 * that asked, if one did: the mail is in the recipient's language, else that one (mail/mail-locale.ts).
 */
export async function mailVerificationLink(
  deps: Deps, user: UserRow, address: string, purpose: 'sign_up' | 'change', pageLocale?: Locale,
): Promise<void> {
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  const holder = await findUserByEmailKey(deps.db, emailKey(address));
  await insertEmailVerification(deps.db, {
    tokenHash: hashToken(secret),
    userId: user.id,
    email: address,
    replacesKey: user.email_key,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + EMAIL_VERIFICATION_LIFETIME_MS).toISOString(),
  });
  if (holder && holder.id !== user.id) {
    await deps.mailer.send(addressInUseMessage(mailLocale(deps.config, holder, pageLocale), {
      to: address, username: user.username, holder: holder.username, purpose, baseUrl: deps.config.baseUrl,
    }));
    return;
  }
  const link = `${deps.config.baseUrl}/verify-email?token=${encodeURIComponent(secret)}`;
  await deps.mailer.send(verificationMessage(mailLocale(deps.config, user, pageLocale), {
    to: address, username: user.username, link, purpose, currentEmail: user.email,
    // The edition decides what a verified address unlocks (src/domain/editions.ts).
    unlocks: deps.config.edition.requireVerifiedEmail ? 'tokens' : 'repositories',
  }));
}

export type ResendVerificationResult = 'sent' | 'too_soon' | 'already_verified';

export async function resendVerificationEmail(deps: Deps, user: UserRow, pageLocale?: Locale): Promise<ResendVerificationResult> {
  if (user.email_verified_at !== null && holdsEmailAddress(user)) return 'already_verified';
  const now = deps.clock.now();
  const latest = await findLatestEmailVerification(deps.db, user.id, now.toISOString());
  if (latest && now.getTime() - Date.parse(latest.created_at) < VERIFICATION_RESEND_INTERVAL_MS) return 'too_soon';
  await mailVerificationLink(deps, user, user.email, 'sign_up', pageLocale);
  return 'sent';
}

export type VerifyEmailResult =
  | { ok: true; user: UserRow; changedFrom: string | null }
  | { ok: false; reason: 'invalid' | 'expired' | 'address_taken' };

/** Opens a link: its address becomes the account's verified address, if the link still stands. */
export async function verifyEmail(deps: Deps, secret: string, context: ChangeContext = OWNER_CONTEXT): Promise<VerifyEmailResult> {
  const link = await findEmailVerification(deps.db, hashToken(secret));
  if (!link || link.email === null || link.replaces_key === null) return { ok: false, reason: 'invalid' };
  const now = deps.clock.now();
  if (now.toISOString() >= link.expires_at) return { ok: false, reason: 'expired' };
  let outcome: { before: UserRow; after: UserRow } | undefined;
  try {
    outcome = await deps.db.transaction().execute(async (trx) => {
      const before = await findUserById(trx, link.user_id);
      const after = before && await updateUserVerifiedEmail(trx, link.user_id, {
        email: link.email!, emailKey: emailKey(link.email!), expectedKey: link.replaces_key!, verifiedAt: now.toISOString(),
      });
      if (!before || !after) return undefined;
      await deleteEmailVerificationsOfUser(trx, link.user_id);
      const changed = emailKey(before.email) !== after.email_key;
      if (changed) {
        // Reset links went to the old address: they go with it.
        await deletePasswordResetsOfUser(trx, link.user_id);
        await recordSecurityEvent(trx, { userId: link.user_id, kind: 'account.email_changed', context, at: now });
      }
      return { before, after };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: 'address_taken' };
    throw error;
  }
  if (!outcome) return { ok: false, reason: 'invalid' };
  await deps.shared.invalidations.publish(userChanged(link.user_id));
  const { before, after } = outcome;
  const changedFrom = emailKey(before.email) !== after.email_key ? before.email : null;
  // Only an address the account held hears of the change: an unclaimed one may be someone else's.
  if (changedFrom !== null && holdsEmailAddress(before)) {
    try {
      await deps.mailer.send(emailChangedMessage(mailLocale(deps.config, after, context.pageLocale), {
        to: before.email, username: after.username, newEmail: after.email, baseUrl: deps.config.baseUrl,
      }));
    } catch (error) {
      deps.reportError?.(error, 'could not tell the old address of an address change');
    }
  }
  return { ok: true, user: after, changedFrom };
}

export type EmailChangeResult =
  | { ok: true }
  | { ok: false; code: 'password_incorrect' | 'email_invalid' | 'email_unchanged' | 'too_many' };

/** Mails a link to `newEmail`; the account keeps its address until the link is opened. */
export async function requestEmailChange(
  deps: Deps,
  user: UserRow,
  input: { newEmail: string; currentPassword: string },
  pageLocale?: Locale,
): Promise<EmailChangeResult> {
  const correct = input.currentPassword.length <= MAX_PASSWORD_LENGTH && await isPasswordCorrect(user.password_hash, input.currentPassword);
  if (!correct) return { ok: false, code: 'password_incorrect' };
  if (!isValidEmailAddress(input.newEmail)) return { ok: false, code: 'email_invalid' };
  if (emailKey(input.newEmail) === user.email_key) return { ok: false, code: 'email_unchanged' };
  const now = deps.clock.now();
  const state = await deps.shared.rateLimiter.consume(`email-change:${user.id}`, EMAIL_CHANGES_PER_HOUR, now);
  if (state.exceeded) return { ok: false, code: 'too_many' };
  // A new request replaces any pending one: only the latest address can become the account's.
  await deleteEmailVerificationsOfUser(deps.db, user.id);
  await mailVerificationLink(deps, user, input.newEmail, 'change', pageLocale);
  return { ok: true };
}

/** The address a change is waiting on, if the latest open link is for another address than the account's. */
export async function findPendingEmailChange(deps: Deps, user: UserRow): Promise<Pick<EmailVerificationRow, 'email' | 'created_at'> | undefined> {
  const latest = await findLatestEmailVerification(deps.db, user.id, deps.clock.now().toISOString());
  if (!latest || latest.email === null || emailKey(latest.email) === emailKey(user.email)) return undefined;
  return { email: latest.email, created_at: latest.created_at };
}
