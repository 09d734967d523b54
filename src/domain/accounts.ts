/**
 * Accounts: sign-up, email verification and password sign-in.
 *
 * Stored: the Argon2id hash of the password; for each verification link, the SHA-256 of its 256-bit random
 * secret, valid for EMAIL_VERIFICATION_LIFETIME_MS. Threats: credential stuffing (slow hash, same cost for unknown
 * logins), enumeration through timing, and a leaked verification link (expires, single use).
 */
import { randomBytes } from 'node:crypto';
import type { Deps, FieldErrors } from './deps.ts';
import { DAY_MS } from './deps.ts';
import { checkDisplayText, type UnsafeTextCode } from './display-text.ts';
import { dummyPasswordHash, hashPassword, isPasswordCorrect, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';
import { hashToken } from './token-format.ts';
import { userChanged } from './token-cache.ts';
import type { UserRow } from '../store/database.ts';
import {
  findUserById, findUserByLogin, findUserByUsername, insertUser, updateUserEmailVerified, updateUserProfile,
} from '../store/user-store.ts';
import {
  deleteEmailVerificationsOfUser, findEmailVerification, findLatestEmailVerificationTime, insertEmailVerification,
} from '../store/session-store.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';
import { findOwnerByLogin } from '../store/owner-store.ts';

export const EMAIL_VERIFICATION_LIFETIME_MS = DAY_MS;
/** A new link at most this often, so "Resend" cannot be used to flood someone's mailbox. */
export const VERIFICATION_RESEND_INTERVAL_MS = 5 * 60 * 1000;

/** GitHub's rule: alphanumerics and single hyphens, not at either end, at most 39 characters. */
const USERNAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Names that are paths of the service itself (`/<owner>/<repo>` must never shadow them). */
const RESERVED_USERNAMES = new Set([
  'api', 'assets', 'avatars', 'login', 'logout', 'new', 'organizations', 'orgs', 'settings', 'signup', 'verify-email',
]);
const EMAIL_PATTERN = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const MAX_EMAIL_LENGTH = 254;

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
}

/**
 * What is wrong with a login (a username or an organization's name: one namespace), or undefined: `invalid` breaks
 * GitHub's pattern, `reserved` is a path of the service itself.
 */
export function loginProblem(login: string): 'invalid' | 'reserved' | undefined {
  if (!USERNAME_PATTERN.test(login)) return 'invalid';
  return RESERVED_USERNAMES.has(login.toLowerCase()) ? 'reserved' : undefined;
}

export function validateSignUp(input: SignUpInput): FieldErrors {
  const errors: FieldErrors = {};
  const problem = loginProblem(input.username);
  if (problem === 'invalid') {
    errors.username = 'Username may only contain letters, digits and single hyphens, cannot begin or end with a hyphen, and is at most 39 characters.';
  } else if (problem === 'reserved') {
    errors.username = `Username ${input.username} is not available.`;
  }
  if (input.email.length > MAX_EMAIL_LENGTH || !EMAIL_PATTERN.test(input.email) || !checkDisplayText(input.email).ok) {
    errors.email = 'Enter a valid email address.';
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Password must be at least ${MIN_PASSWORD_LENGTH} characters.`;
  } else if (input.password.length > MAX_PASSWORD_LENGTH) {
    errors.password = `Password must be at most ${MAX_PASSWORD_LENGTH} characters.`;
  }
  return errors;
}

export type SignUpResult = { ok: true; user: UserRow } | { ok: false; errors: FieldErrors };

export async function signUp(
  deps: Deps,
  input: SignUpInput,
  options: { verified?: boolean } = {},
): Promise<SignUpResult> {
  const errors = validateSignUp(input);
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const now = deps.clock.now().toISOString();
  let user: UserRow;
  try {
    user = await insertUser(deps.db, {
      username: input.username,
      username_key: input.username.toLowerCase(),
      email: input.email,
      email_key: input.email.toLowerCase(),
      name: null,
      password_hash: await hashPassword(input.password),
      email_verified_at: options.verified ? now : null,
      created_at: now,
      updated_at: now,
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Users and organizations share one namespace of logins.
    const taken = await findOwnerByLogin(deps.db, input.username);
    return {
      ok: false,
      errors: taken ? { username: `Username ${input.username} is not available.` } : { email: 'Email is already in use by another account.' },
    };
  }
  if (!options.verified) await sendVerificationEmail(deps, user);
  return { ok: true, user };
}

export async function sendVerificationEmail(deps: Deps, user: UserRow): Promise<void> {
  const secret = randomBytes(32).toString('base64url');
  const now = deps.clock.now();
  await insertEmailVerification(deps.db, {
    tokenHash: hashToken(secret),
    userId: user.id,
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + EMAIL_VERIFICATION_LIFETIME_MS).toISOString(),
  });
  const link = `${deps.config.baseUrl}/verify-email?token=${encodeURIComponent(secret)}`;
  await deps.mailer.send({
    to: user.email,
    subject: '[Tessera] Please verify your email address',
    text: [
      `Hi @${user.username},`,
      '',
      'Please verify your email address so that you can create personal access tokens.',
      'Open this link within 24 hours:',
      '',
      link,
      '',
      'If you did not sign up for Tessera, you can ignore this email.',
    ].join('\n'),
  });
}

export type ResendVerificationResult = 'sent' | 'too_soon' | 'already_verified';

export async function resendVerificationEmail(deps: Deps, user: UserRow): Promise<ResendVerificationResult> {
  if (isEmailVerified(user)) return 'already_verified';
  const latest = await findLatestEmailVerificationTime(deps.db, user.id);
  if (latest && deps.clock.now().getTime() - Date.parse(latest) < VERIFICATION_RESEND_INTERVAL_MS) return 'too_soon';
  await sendVerificationEmail(deps, user);
  return 'sent';
}

export type VerifyEmailResult = { ok: true; user: UserRow } | { ok: false; reason: 'invalid' | 'expired' };

export async function verifyEmail(deps: Deps, secret: string): Promise<VerifyEmailResult> {
  const verification = await findEmailVerification(deps.db, hashToken(secret));
  if (!verification) return { ok: false, reason: 'invalid' };
  const now = deps.clock.now();
  if (now.toISOString() >= verification.expires_at) return { ok: false, reason: 'expired' };
  await updateUserEmailVerified(deps.db, verification.user_id, now.toISOString());
  await deleteEmailVerificationsOfUser(deps.db, verification.user_id);
  await deps.shared.invalidations.publish(userChanged(verification.user_id));
  const user = await findUserById(deps.db, verification.user_id);
  return user ? { ok: true, user } : { ok: false, reason: 'invalid' };
}

export function isEmailVerified(user: UserRow): boolean {
  return user.email_verified_at !== null;
}

/** Signs in with username or email and password; an unknown login costs the same time as a wrong password. */
export async function authenticateWithPassword(deps: Deps, login: string, password: string): Promise<UserRow | undefined> {
  const user = login.length > 0 && login.length <= MAX_EMAIL_LENGTH ? await findUserByLogin(deps.db, login) : undefined;
  const passwordHash = user?.password_hash ?? (await dummyPasswordHash());
  const correct = password.length <= MAX_PASSWORD_LENGTH && (await isPasswordCorrect(passwordHash, password));
  return user && correct ? user : undefined;
}

/** A user by username, in any letter case. */
export function findUserByName(deps: Deps, username: string): Promise<UserRow | undefined> {
  return findUserByUsername(deps.db, username);
}

export type UpdateDisplayNameResult = { ok: true; user: UserRow } | { ok: false; code: UnsafeTextCode };

/** Sets (or, with null, clears) the display name. */
export async function updateDisplayName(deps: Deps, user: UserRow, name: string | null): Promise<UpdateDisplayNameResult> {
  const text = name === null ? { ok: true as const } : checkDisplayText(name);
  if (!text.ok) return text;
  const updated = await updateUserProfile(deps.db, user.id, { name, updatedAt: deps.clock.now().toISOString() });
  // Cached token checks carry the user's record (token-cache.ts).
  await deps.shared.invalidations.publish(userChanged(user.id));
  return { ok: true, user: updated };
}
