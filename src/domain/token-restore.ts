/**
 * Tokens removed for disuse (src/jobs/disuse-sweep.ts) stay restorable by their owner for RESTORE_WINDOW_DAYS: the
 * row keeps its hash, scopes and note, so the restored token is the same token (the same secret works again). While
 * removed it fails authentication exactly like a deleted one (every token query but these skips removed rows), and
 * its note stays taken, so restoring can never clash with a newer token. After the window the sweep erases the row.
 */
import { DAY_MS, type Deps } from './deps.ts';
import type { UserRow } from '../store/database.ts';
import { listRemovedTokensOfUser, unmarkTokenRemoved } from '../store/token-lifecycle-store.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from './security-log.ts';
import { type PersonalAccessToken, rowToToken } from './tokens.ts';

/** How long a removed token can be restored before its hash is erased. */
export const RESTORE_WINDOW_DAYS = 30;
export interface RemovedToken extends PersonalAccessToken {
  removedAt: Date;
  restorableUntil: Date;
}

const restoreWindowStart = (now: Date) => new Date(now.getTime() - RESTORE_WINDOW_DAYS * DAY_MS).toISOString();

export async function listRestorableTokens(deps: Deps, user: UserRow): Promise<RemovedToken[]> {
  const rows = await listRemovedTokensOfUser(deps.db, user.id, restoreWindowStart(deps.clock.now()));
  return rows.map((row) => {
    const removedAt = new Date(row.removed_at!);
    return { ...rowToToken(row), removedAt, restorableUntil: new Date(removedAt.getTime() + RESTORE_WINDOW_DAYS * DAY_MS) };
  });
}

export type RestoreTokenResult = { ok: true; token: PersonalAccessToken } | { ok: false; reason: 'not_found' };

/** Restores the user's token if it was removed within the window; its idle period starts again now. */
export async function restoreRemovedToken(
  deps: Deps,
  user: UserRow,
  tokenId: number,
  context: ChangeContext = OWNER_CONTEXT,
): Promise<RestoreTokenResult> {
  const now = deps.clock.now();
  const row = await deps.db.transaction().execute(async (trx) => {
    const restored = await unmarkTokenRemoved(trx, user.id, tokenId, restoreWindowStart(now), now.toISOString());
    if (restored) await recordSecurityEvent(trx, { userId: user.id, kind: 'token.restored', token: restored, context, at: now });
    return restored;
  });
  return row ? { ok: true, token: rowToToken(row) } : { ok: false, reason: 'not_found' };
}
