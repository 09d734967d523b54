/**
 * Personal access token format.
 *
 * A token is `tsp_` + 30 characters of base62 drawn from a CSPRNG + a 6-character base62 CRC-32 of those 30
 * characters: 40 characters in all. 30 base62 characters carry about 178 bits of entropy, so guessing is out of
 * reach; the checksum lets a secret scanner (or our own authentication path) reject noise without a database
 * look-up. The checksum is not a secret and adds no strength: it only catches typos and random strings.
 *
 * The exact encoding is a public contract (docs/token-format.md): scanners outside the project rely on it.
 */
import { hash, randomInt, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

export const TOKEN_PREFIX = 'tsp_';
export const TOKEN_BODY_LENGTH = 30;
export const TOKEN_CHECKSUM_LENGTH = 6;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + TOKEN_BODY_LENGTH + TOKEN_CHECKSUM_LENGTH;
export const BASE62_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

const TOKEN_PATTERN = new RegExp(`^${TOKEN_PREFIX}[0-9A-Za-z]{${TOKEN_BODY_LENGTH + TOKEN_CHECKSUM_LENGTH}}$`);

/** Returns a random index into the base62 alphabet; injectable so tests can make known tokens. */
export type RandomBase62Digit = () => number;

/** `randomInt` is a CSPRNG and rejects out-of-range draws, so every character is uniform (no modulo bias). */
export const cryptoRandomBase62Digit: RandomBase62Digit = () => randomInt(BASE62_ALPHABET.length);

export function generateTokenSecret(randomDigit: RandomBase62Digit = cryptoRandomBase62Digit): string {
  let body = '';
  for (let i = 0; i < TOKEN_BODY_LENGTH; i++) body += BASE62_ALPHABET[randomDigit()];
  return TOKEN_PREFIX + body + tokenChecksum(body);
}

/** CRC-32 (IEEE, zlib's) of the body's ASCII bytes in base62, most significant digit first, padded to 6. */
export function tokenChecksum(body: string): string {
  let value = crc32(Buffer.from(body, 'ascii'));
  let digits = '';
  while (value > 0) {
    digits = BASE62_ALPHABET[value % 62] + digits;
    value = Math.floor(value / 62);
  }
  return digits.padStart(TOKEN_CHECKSUM_LENGTH, '0');
}

/** True when the string has the token's shape and its checksum matches: no database needed. */
export function isWellFormedToken(candidate: string): boolean {
  if (candidate.length !== TOKEN_LENGTH || !TOKEN_PATTERN.test(candidate)) return false;
  const body = candidate.slice(TOKEN_PREFIX.length, TOKEN_PREFIX.length + TOKEN_BODY_LENGTH);
  return tokenChecksum(body) === candidate.slice(TOKEN_PREFIX.length + TOKEN_BODY_LENGTH);
}

/** True when the string starts like one of our tokens, well-formed or not (used to tell a token from a password). */
export function looksLikeToken(candidate: string): boolean {
  return candidate.startsWith(TOKEN_PREFIX);
}

/** What is stored instead of the token: its SHA-256, hex. A 178-bit random secret needs no slow hash or salt. */
export function hashToken(secret: string): string {
  // The one-shot hash: a third of createHash's cost, on every authenticated request.
  return hash('sha256', secret, 'hex');
}

/**
 * Constant-time comparison of two hex digests of equal length. Anything that is not a whole, non-empty hex string
 * is unequal: Buffer's hex decoding stops at a bad character and drops an odd nibble, so 'abc' and 'abd' (or two
 * empty strings) would otherwise compare equal.
 */
export function isSameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length > 0 && left.length * 2 === a.length && right.length * 2 === b.length
    && left.length === right.length && timingSafeEqual(left, right);
}
