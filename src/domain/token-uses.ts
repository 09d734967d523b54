/**
 * Where a token is used from, without a database write per request. Each use names a client network
 * (clientNetworkKey: the IPv4 address, or the IPv6 /64) and a user agent; one row per token × network × user agent
 * keeps the latest address in that network and the first and last time.
 * - In this process a combination is written at most once per TOKEN_USE_WRITE_INTERVAL_MS (no query otherwise), and
 *   the write itself is conditional, so several processes move one row once per interval (as token-last-used.ts).
 * - Writes run in the background: the request that caused one never waits for it, and a failed write is reported
 *   (onError) and tried again on the next use, never failing the request.
 * - Rows are pruned to the newest TOKEN_USES_KEPT per token; a network pruned away counts as new again.
 * - The first use from a network the token was not used from before mails the owner once (not the token's very
 *   first use, and not when the owner turned it off). Client addresses and user agents are the client's word: kept
 *   short and printable, shown escaped. Never a secret: rows name the token by id.
 */
import type { Deps } from './deps.ts';
import { clientNetworkKey } from './rate-limits.ts';
import type { TokenUseRow, UserRow } from '../store/database.ts';
import { insertTokenUseIfNew, listRecentTokenUses, pruneTokenUses, touchTokenUse } from '../store/token-use-store.ts';
import { findUserById, updateUserNewNetworkNotifications } from '../store/user-store.ts';
import { newNetworkMessage } from '../mail/new-network-mail.ts';
import { mailLocale } from '../mail/mail-locale.ts';

export const TOKEN_USE_WRITE_INTERVAL_MS = 60_000;
/** Combinations remembered by the in-process throttle; past it the least recently written is forgotten. */
export const TOKEN_USE_MAX_TRACKED = 10_000;
/** Rows kept per token: enough that a token's usual places stay known, few enough that a token costs little. */
export const TOKEN_USES_KEPT = 20;
export const TOKEN_USES_SHOWN = 5;
/** User agents are the client's to choose: kept short and printable. */
const MAX_USER_AGENT_LENGTH = 255;

export interface TokenUse {
  clientAddress: string;
  userAgent: string | undefined;
}

export interface RecentTokenUse {
  clientAddress: string;
  /** '' when the client sent none. */
  userAgent: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

export function cleanUserAgent(userAgent: string | undefined): string {
  // Consecutive requests mostly come from one client: remember the last.
  if (userAgent !== lastUserAgent) {
    lastCleanUserAgent = (userAgent ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, MAX_USER_AGENT_LENGTH);
    lastUserAgent = userAgent;
  }
  return lastCleanUserAgent;
}

let lastUserAgent: string | undefined;
let lastCleanUserAgent = '';

export interface TokenUseRecorder {
  /** Notes a use and returns at once; any write (and mail) it decides on happens in the background. Never throws. */
  record(deps: Deps, token: { id: number; note: string }, userId: number, use: TokenUse, now: Date): void;
  /** Resolves once every write begun so far is done (tests await it; closing can). */
  settled(): Promise<void>;
}

export function createTokenUseRecorder(
  onError: (error: unknown) => void = () => {},
  maxTracked = TOKEN_USE_MAX_TRACKED,
): TokenUseRecorder & { size(): number } {
  // Insertion order is write order (a key is re-inserted when written), so the oldest writes are at the front.
  const lastWritten = new Map<string, number>();
  const pending = new Set<Promise<void>>();
  const forgetOld = (now: number) => {
    for (const [key, at] of lastWritten) {
      if (lastWritten.size <= maxTracked && now - at < TOKEN_USE_WRITE_INTERVAL_MS) return;
      lastWritten.delete(key);
    }
  };
  return {
    record(deps, token, userId, use, now) {
      const at = now.getTime();
      const network = clientNetworkKey(use.clientAddress);
      const userAgent = cleanUserAgent(use.userAgent);
      const key = `${token.id}\n${network}\n${userAgent}`;
      const previous = lastWritten.get(key);
      if (previous !== undefined && at - previous < TOKEN_USE_WRITE_INTERVAL_MS && at >= previous) return;
      lastWritten.delete(key);
      lastWritten.set(key, at);
      forgetOld(at);
      const write = writeUse(deps, token, userId, { network, clientAddress: use.clientAddress, userAgent }, now)
        .catch((error: unknown) => {
          lastWritten.delete(key);
          onError(error);
        })
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    async settled() {
      while (pending.size > 0) await Promise.all(pending);
    },
    size: () => lastWritten.size,
  };
}

async function writeUse(
  deps: Deps,
  token: { id: number; note: string },
  userId: number,
  use: { network: string; clientAddress: string; userAgent: string },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const unlessSince = new Date(now.getTime() - TOKEN_USE_WRITE_INTERVAL_MS + 1).toISOString();
  const record = { tokenId: token.id, ...use, at };
  // The usual case, a known combination written by another process or before a restart: one conditional update.
  if (await touchTokenUse(deps.db, record, unlessSince)) return;
  const inserted = await insertTokenUseIfNew(deps.db, record);
  if (!inserted) return;
  await pruneTokenUses(deps.db, token.id, TOKEN_USES_KEPT);
  if (!inserted.newNetwork) return;
  // Read now, not from the cached principal: turning the mail off takes effect at once.
  const user = await findUserById(deps.db, userId);
  if (!user || user.notify_new_token_network !== 1) return;
  await deps.mailer.send(newNetworkMessage(mailLocale(deps.config, user), {
    to: user.email, username: user.username, tokenId: token.id, tokenNote: token.note,
    clientAddress: use.clientAddress, userAgent: use.userAgent, at: now, baseUrl: deps.config.baseUrl,
  }));
}

/** The token's most recent distinct networks and user agents, newest first. */
export async function listRecentTokenUsesOf(deps: Deps, tokenId: number): Promise<RecentTokenUse[]> {
  return (await listRecentTokenUses(deps.db, tokenId, TOKEN_USES_SHOWN)).map(rowToUse);
}

function rowToUse(row: TokenUseRow): RecentTokenUse {
  return {
    clientAddress: row.client_address,
    userAgent: row.user_agent,
    firstSeenAt: new Date(row.first_seen_at),
    lastSeenAt: new Date(row.last_seen_at),
  };
}

/** Turns the mail about a token used from a new network on or off for the user. */
export async function setNewNetworkNotifications(deps: Deps, user: UserRow, enabled: boolean): Promise<void> {
  await updateUserNewNetworkNotifications(deps.db, user.id, enabled, deps.clock.now().toISOString());
}
