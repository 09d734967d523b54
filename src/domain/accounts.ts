/**
 * Accounts: sign-up and password sign-in.
 *
 * Stored: the Argon2id hash of the password; the address as typed and its key (email-address.ts). Threats: credential
 * stuffing (slow hash, same cost for unknown logins), weak passwords (password-strength.ts), and account enumeration:
 * - Sign-up never says that an address is taken. An account is made either way and signed in; when another account
 *   holds the address, the new one gets an `unclaimed:` key and the mail to the address says so, instead of a link
 *   (email-verification.ts). The page, the status and the timing are those of a fresh sign-up. A taken username is
 *   said: usernames are public, as on GitHub.
 * - Signing in by address works only with a verified address, so whoever signed up with someone else's address
 *   cannot learn by signing in whether the address was free.
 * An unverified account holds its address for UNVERIFIED_CLAIM_DAYS at most (src/jobs/release-unverified-emails.ts),
 * so nobody can keep someone else's address from them by signing up first.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from './deps.ts';
import { checkDisplayText, type UnsafeTextCode } from './display-text.ts';
import { emailKey, isValidEmailAddress, MAX_EMAIL_LENGTH, unclaimedEmailKey } from './email-address.ts';
import { mailVerificationLink } from './email-verification.ts';
import { checkNewPassword, type PasswordVerdict } from './password-strength.ts';
import { dummyPasswordHash, hashPassword, isPasswordCorrect, MAX_PASSWORD_LENGTH } from './passwords.ts';
import { userChanged } from './token-cache.ts';
import type { Locale } from '../i18n/locales.ts';
import type { UserRow } from '../store/database.ts';
import { findUserByEmailKey, findUserByLogin, findUserByUsername, insertUser, updateUserProfile } from '../store/user-store.ts';
import { findOwnerByLogin } from '../store/owner-store.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';

/** GitHub's rule: alphanumerics and single hyphens, not at either end, at most 39 characters. */
const USERNAME_PATTERN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** Names that are paths of the service itself (`/<owner>/<repo>` must never shadow them). */
const RESERVED_USERNAMES = new Set([
  'api', 'assets', 'avatars', 'forgot-password', 'login', 'logout', 'new', 'organizations', 'orgs', 'reset-password', 'settings',
  'signup', 'verify-email',
]);

export interface SignUpInput {
  username: string;
  email: string;
  password: string;
}

/** What is wrong with a sign-up, field by field, as codes; the pages and the CLI say them in words. */
export interface SignUpProblems {
  username?: 'invalid' | 'reserved' | 'taken';
  /** `taken` only where the caller asked to be told (an administrator on the CLI). */
  email?: 'invalid' | 'taken';
  password?: Exclude<PasswordVerdict, { ok: true }>;
}

/**
 * What is wrong with a login (a username or an organization's name: one namespace), or undefined: `invalid` breaks
 * GitHub's pattern, `reserved` is a path of the service itself.
 */
export function loginProblem(login: string): 'invalid' | 'reserved' | undefined {
  if (!USERNAME_PATTERN.test(login)) return 'invalid';
  return RESERVED_USERNAMES.has(login.toLowerCase()) ? 'reserved' : undefined;
}

export function validateSignUp(input: SignUpInput): SignUpProblems {
  const problems: SignUpProblems = {};
  const login = loginProblem(input.username);
  if (login) problems.username = login;
  if (!isValidEmailAddress(input.email)) problems.email = 'invalid';
  const password = checkNewPassword(input.password, [input.username, input.email]);
  if (!password.ok) problems.password = password;
  return problems;
}

export type SignUpResult = { ok: true; user: UserRow } | { ok: false; problems: SignUpProblems };

export interface SignUpOptions {
  /** Mark the address verified (an administrator vouches for it); the address must then be free. */
  verified?: boolean;
  /**
   * What to do when another account holds the address: `refuse` says so (the CLI, for an administrator);
   * `conceal` makes the account anyway, without the address, and mails the address instead (the sign-up page).
   */
  whenEmailTaken?: 'refuse' | 'conceal';
  /** The language of the sign-up page: the verification mail's (a new account has chosen none). */
  pageLocale?: Locale;
}

export async function signUp(deps: Deps, input: SignUpInput, options: SignUpOptions = {}): Promise<SignUpResult> {
  const problems = validateSignUp(input);
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  const conceal = options.whenEmailTaken === 'conceal' && !options.verified;
  const now = deps.clock.now().toISOString();
  const key = emailKey(input.email);
  const passwordHash = await hashPassword(input.password);
  const insert = (emailKeyToStore: string) => insertUser(deps.db, {
    username: input.username,
    username_key: input.username.toLowerCase(),
    email: input.email,
    email_key: emailKeyToStore,
    name: null,
    password_hash: passwordHash,
    email_verified_at: options.verified ? now : null,
    created_at: now,
    updated_at: now,
  });
  let user: UserRow;
  try {
    // Looked up first on both paths, so that a taken address costs the same queries as a free one.
    const holder = await findUserByEmailKey(deps.db, key);
    if (holder && !conceal) return { ok: false, problems: { email: 'taken' } };
    user = await insert(holder ? unclaimedEmailKey(randomUUID()) : key);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Users and organizations share one namespace of logins.
    if (await findOwnerByLogin(deps.db, input.username)) return { ok: false, problems: { username: 'taken' } };
    // The address was taken between the look-up and the insert.
    if (!conceal) return { ok: false, problems: { email: 'taken' } };
    user = await insert(unclaimedEmailKey(randomUUID()));
  }
  if (!options.verified) await mailVerificationLink(deps, user, user.email, 'sign_up', options.pageLocale);
  return { ok: true, user };
}

export function isEmailVerified(user: UserRow): boolean {
  return user.email_verified_at !== null;
}

export function isSuspended(user: UserRow): boolean {
  return user.suspended_at !== null;
}

/**
 * Checks a username (or verified address) and password; an unknown login costs the same time as a wrong password.
 * Says nothing about suspension: see signInWithPassword.
 */
export async function authenticateWithPassword(deps: Deps, login: string, password: string): Promise<UserRow | undefined> {
  const user = login.length > 0 && login.length <= MAX_EMAIL_LENGTH
    ? await findUserByLogin(deps.db, { usernameKey: login.toLowerCase(), emailKey: emailKey(login) })
    : undefined;
  const passwordHash = user?.password_hash ?? (await dummyPasswordHash());
  const correct = password.length <= MAX_PASSWORD_LENGTH && (await isPasswordCorrect(passwordHash, password));
  return user && correct ? user : undefined;
}

export type SignInResult = { ok: true; user: UserRow } | { ok: false; reason: 'incorrect' | 'suspended' };

/** A web sign-in: the password, then the account's standing (told only to whoever knows the password). */
export async function signInWithPassword(deps: Deps, login: string, password: string): Promise<SignInResult> {
  const user = await authenticateWithPassword(deps, login, password);
  if (!user) return { ok: false, reason: 'incorrect' };
  return isSuspended(user) ? { ok: false, reason: 'suspended' } : { ok: true, user };
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
