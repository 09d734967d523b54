/**
 * Shows a new token exactly once. Creating a token redirects to the token list (so a reload never re-submits the
 * form); the secret waits in the shared one-time store (shared-state.ts: memory, or Redis so that the redirect may
 * land on another process) until that list is rendered, and is dropped on first read or after NEW_TOKEN_FLASH_TTL_MS.
 * It is never written to the database, a cookie or a log.
 *
 * What the store holds is useless without the browser's session cookie: the entry's key is a SHA-256 of the session
 * secret, and the token is sealed with AES-256-GCM under a key derived from that secret (HKDF). Someone who reads
 * Redis learns neither the session nor the token. Tokens generated in two tabs before the list renders are all kept.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { OneTimeStore } from '../../domain/shared-state.ts';

export const NEW_TOKEN_FLASH_TTL_MS = 5 * 60 * 1000;

export interface NewToken {
  tokenId: number;
  secret: string;
}

export interface NewTokenFlash {
  put(sessionSecret: string, value: NewToken, now: Date): Promise<void>;
  /** The session's waiting tokens, newest first; none of them is returned again. */
  take(sessionSecret: string, now: Date): Promise<NewToken[]>;
}

function sealingKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, '', 'tessera new-token flash', 32));
}

function seal(sessionSecret: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealingKey(sessionSecret), iv);
  const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [iv, cipher.getAuthTag(), sealed].map((part) => part.toString('base64url')).join('.');
}

function open(sessionSecret: string, text: string): string | undefined {
  const [iv, tag, sealed] = text.split('.').map((part) => Buffer.from(part, 'base64url'));
  if (!iv || !tag || !sealed) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealingKey(sessionSecret), iv);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

const entryKey = (sessionSecret: string) => `new-token:${createHash('sha256').update(sessionSecret).digest('hex')}`;

export function createNewTokenFlash(store: OneTimeStore): NewTokenFlash {
  return {
    async put(sessionSecret, value, now) {
      // Keyed by token id: a regenerated token replaces its own earlier secret, which no longer works.
      await store.put(entryKey(sessionSecret), String(value.tokenId), seal(sessionSecret, value.secret), NEW_TOKEN_FLASH_TTL_MS, now);
    },
    async take(sessionSecret, now) {
      const tokens: NewToken[] = [];
      for (const entry of await store.take(entryKey(sessionSecret), now)) {
        const secret = open(sessionSecret, entry.value);
        if (secret !== undefined) tokens.push({ tokenId: Number(entry.field), secret });
      }
      return tokens;
    },
  };
}
