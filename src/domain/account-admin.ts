/**
 * What an administrator does to accounts (`tessera user …`): vouch for an address, set a password, suspend.
 *
 * Suspending sets users.suspended_at, ends every web session of the user and voids their reset links, in one
 * transaction with its security-log event; then `userChanged` on the invalidation bus makes every process drop the
 * user's cached token checks at once (token-cache.ts; within a second at worst, without Redis). From then on
 * checkToken refuses the user's tokens, resolveWebSession their sessions and signInWithPassword their password.
 * Tokens are kept, not deleted: unsuspending gives the account back as it was.
 */
import type { Deps } from './deps.ts';
import { afterPasswordChange } from './account-settings.ts';
import { emailKey, holdsEmailAddress } from './email-address.ts';
import { checkNewPassword, type PasswordVerdict } from './password-strength.ts';
import { hashPassword } from './passwords.ts';
import { ADMIN_CONTEXT, type ChangeContext, recordSecurityEvent } from './security-log.ts';
import { userChanged } from './token-cache.ts';
import type { UserRow } from '../store/database.ts';
import { deletePasswordResetsOfUser } from '../store/password-reset-store.ts';
import { deleteWebSessionsOfUser } from '../store/session-store.ts';
import {
  findUserByEmailKey, listUsersPage, type UserListFilter, updateUserPassword, updateUserSuspended, updateUserVerifiedEmail,
} from '../store/user-store.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';

export type SuspensionResult = { changed: false } | { changed: true; sessionsEnded: number };

/** Suspends (`true`) or lifts a suspension (`false`); unchanged when the account is already so. */
export async function setUserSuspended(deps: Deps, user: UserRow, suspended: boolean, context: ChangeContext = ADMIN_CONTEXT): Promise<SuspensionResult> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx): Promise<SuspensionResult> => {
    if (!(await updateUserSuspended(trx, user.id, suspended ? now.toISOString() : null, now.toISOString()))) return { changed: false };
    const sessionsEnded = suspended ? await deleteWebSessionsOfUser(trx, user.id) : 0;
    if (suspended) await deletePasswordResetsOfUser(trx, user.id);
    await recordSecurityEvent(trx, { userId: user.id, kind: suspended ? 'account.suspended' : 'account.unsuspended', context, at: now });
    return { changed: true, sessionsEnded };
  });
  if (result.changed) await deps.shared.invalidations.publish(userChanged(user.id));
  return result;
}

export type AdminVerifyResult =
  | { ok: true; user: UserRow }
  | { ok: false; code: 'already_verified' }
  | { ok: false; code: 'address_taken'; holder: string };

/** Marks the account's address verified, taking it for the account if nobody else holds it. */
export async function verifyEmailAsAdmin(deps: Deps, user: UserRow): Promise<AdminVerifyResult> {
  if (user.email_verified_at !== null && holdsEmailAddress(user)) return { ok: false, code: 'already_verified' };
  const key = emailKey(user.email);
  let verified: UserRow | undefined;
  try {
    verified = await updateUserVerifiedEmail(deps.db, user.id, {
      email: user.email, emailKey: key, expectedKey: user.email_key, verifiedAt: deps.clock.now().toISOString(),
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  if (!verified) {
    const holder = await findUserByEmailKey(deps.db, key);
    return { ok: false, code: 'address_taken', holder: holder?.username ?? 'another account' };
  }
  await deps.shared.invalidations.publish(userChanged(user.id));
  return { ok: true, user: verified };
}

export type AdminSetPasswordResult =
  | { ok: true; sessionsEnded: number }
  | { ok: false; code: 'weak_password'; verdict: Exclude<PasswordVerdict, { ok: true }> };

/** Sets a password for the user: every session of theirs ends, as after a reset. */
export async function setPasswordAsAdmin(deps: Deps, user: UserRow, password: string): Promise<AdminSetPasswordResult> {
  const verdict = checkNewPassword(password, [user.username, user.email]);
  if (!verdict.ok) return { ok: false, code: 'weak_password', verdict };
  const passwordHash = await hashPassword(password);
  const now = deps.clock.now();
  const sessionsEnded = await deps.db.transaction().execute(async (trx) => {
    await updateUserPassword(trx, user.id, passwordHash, now.toISOString());
    await deletePasswordResetsOfUser(trx, user.id);
    const ended = await deleteWebSessionsOfUser(trx, user.id);
    await recordSecurityEvent(trx, { userId: user.id, kind: 'account.password_changed', context: ADMIN_CONTEXT, at: now });
    return ended;
  });
  await afterPasswordChange(deps, user, 'admin');
  return { ok: true, sessionsEnded };
}

/** Users a page at a time, in id order: pass the last id seen as `afterId` for the next page. */
export function listUsers(deps: Deps, options: { afterId: number; limit: number; filter: UserListFilter }): Promise<UserRow[]> {
  return listUsersPage(deps.db, options);
}
