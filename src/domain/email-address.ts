/**
 * Email addresses: the one rule for when two spellings are the same address, and which account holds one.
 *
 * Two addresses are the same when their keys are equal: NFKC (compatibility forms such as full-width letters and
 * ligatures become plain ones), then Unicode case folding (the full folding: `ß` and `SS` are one, so are `ς` and
 * `σ`), then NFKC again (folding can leave decomposed sequences). The key is what is stored unique in
 * `users.email_key` and what every look-up by address compares; nothing else lower-cases an address.
 *
 * Folding is made of the engine's own case mappings: lower, then upper, then lower again maps every character to
 * the lower-case form of its full upper case, which is its full case folding, with one exception kept by hand:
 * the dotless `ı`, which folds to itself (upper-casing would make it `I`, and then `i`).
 *
 * An account holds (claims) its address when its key is the address's key. One whose address was taken by another
 * account when it signed up, or released after going unverified for UNVERIFIED_CLAIM_DAYS, holds an
 * `unclaimed:…` key instead: no address has `:` without `@` in its key, so it can never match a look-up.
 */
import type { UserRow } from '../store/database.ts';
import { checkDisplayText } from './display-text.ts';

export const MAX_EMAIL_LENGTH = 254;
const EMAIL_PATTERN = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
/** Days an unverified account keeps the address it signed up with before another account may take it. */
export const UNVERIFIED_CLAIM_DAYS = 7;
export const UNCLAIMED_PREFIX = 'unclaimed:';

function foldCase(text: string): string {
  let folded = '';
  for (const char of text) folded += char === 'ı' ? char : char.toLowerCase().toUpperCase().toLowerCase();
  return folded;
}

/** The address's comparison key: NFKC, case folding, NFKC. */
export function emailKey(address: string): string {
  return foldCase(address.normalize('NFKC')).normalize('NFKC');
}

/** An address to store and mail to: the usual shape, and nothing display-text.ts refuses (bidirectional controls). */
export function isValidEmailAddress(address: string): boolean {
  return address.length <= MAX_EMAIL_LENGTH && EMAIL_PATTERN.test(address) && checkDisplayText(address).ok;
}

/** The key of an account that holds no address; unique per account. */
export function unclaimedEmailKey(unique: string | number): string {
  return `${UNCLAIMED_PREFIX}${unique}`;
}

/** Whether the account holds the address it shows (mail to it reaches the account's owner, or will once verified). */
export function holdsEmailAddress(user: Pick<UserRow, 'email' | 'email_key'>): boolean {
  return !user.email_key.startsWith(UNCLAIMED_PREFIX) && user.email_key === emailKey(user.email);
}
