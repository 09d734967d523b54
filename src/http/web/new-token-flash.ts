/**
 * Shows a new token exactly once. Creating a token redirects to the token list (so a reload never re-submits the
 * form); the secret waits here, in this process's memory only, keyed by the browser session, until that list is
 * rendered, and is dropped on first read or after NEW_TOKEN_FLASH_TTL_MS, whichever comes first. It is never
 * written to the database, a cookie or a log.
 */
export const NEW_TOKEN_FLASH_TTL_MS = 5 * 60 * 1000;

export interface NewTokenFlash {
  put(sessionKey: string, value: { tokenId: number; secret: string }, now: Date): void;
  take(sessionKey: string, now: Date): { tokenId: number; secret: string } | undefined;
}

export function createNewTokenFlash(): NewTokenFlash {
  const entries = new Map<string, { tokenId: number; secret: string; expiresAt: number }>();
  return {
    put(sessionKey, value, now) {
      for (const [key, entry] of entries) if (entry.expiresAt <= now.getTime()) entries.delete(key);
      entries.set(sessionKey, { ...value, expiresAt: now.getTime() + NEW_TOKEN_FLASH_TTL_MS });
    },
    take(sessionKey, now) {
      const entry = entries.get(sessionKey);
      entries.delete(sessionKey);
      return entry && entry.expiresAt > now.getTime() ? { tokenId: entry.tokenId, secret: entry.secret } : undefined;
    },
  };
}
