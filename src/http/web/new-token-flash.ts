/**
 * Shows a new token exactly once. Creating a token redirects to the token list (so a reload never re-submits the
 * form); the secret waits here, in this process's memory only, keyed by the browser session, until that list is
 * rendered, and is dropped on first read or after NEW_TOKEN_FLASH_TTL_MS, whichever comes first. It is never
 * written to the database, a cookie or a log. Tokens generated in two tabs before the list renders are all kept.
 */
export const NEW_TOKEN_FLASH_TTL_MS = 5 * 60 * 1000;

export interface NewToken {
  tokenId: number;
  secret: string;
}

export interface NewTokenFlash {
  put(sessionKey: string, value: NewToken, now: Date): void;
  /** The session's waiting tokens, newest first; none of them is returned again. */
  take(sessionKey: string, now: Date): NewToken[];
}

export function createNewTokenFlash(): NewTokenFlash {
  const entries = new Map<string, Array<NewToken & { expiresAt: number }>>();
  const live = (list: Array<NewToken & { expiresAt: number }>, now: Date) => list.filter((entry) => entry.expiresAt > now.getTime());
  return {
    put(sessionKey, value, now) {
      for (const [key, list] of entries) if (live(list, now).length === 0) entries.delete(key);
      // A regenerated token replaces its own earlier secret, which no longer works.
      const others = (entries.get(sessionKey) ?? []).filter((entry) => entry.tokenId !== value.tokenId);
      entries.set(sessionKey, [{ ...value, expiresAt: now.getTime() + NEW_TOKEN_FLASH_TTL_MS }, ...others]);
    },
    take(sessionKey, now) {
      const list = entries.get(sessionKey) ?? [];
      entries.delete(sessionKey);
      return live(list, now).map(({ tokenId, secret }) => ({ tokenId, secret }));
    },
  };
}
