import type { Db, TokenUseRow } from './database.ts';

export interface TokenUseRecord {
  tokenId: number;
  network: string;
  clientAddress: string;
  userAgent: string;
  at: string;
}

/**
 * Records a use: a new row for a new token × network × user agent (`inserted`, with its id), else moves that row's
 * last use forward unless one at or after `unlessSince` is already stored (another process wrote it).
 */
export async function upsertTokenUse(
  db: Db,
  use: TokenUseRecord,
  unlessSince: string,
): Promise<{ kind: 'inserted'; id: number } | { kind: 'updated' | 'unchanged' }> {
  const inserted = await db.insertInto('token_uses').values({
    token_id: use.tokenId, network: use.network, client_address: use.clientAddress, user_agent: use.userAgent,
    first_seen_at: use.at, last_seen_at: use.at,
  }).onConflict((conflict) => conflict.columns(['token_id', 'network', 'user_agent']).doNothing())
    .returning('id').executeTakeFirst();
  if (inserted) return { kind: 'inserted', id: inserted.id };
  const result = await db.updateTable('token_uses').set({ last_seen_at: use.at, client_address: use.clientAddress })
    .where('token_id', '=', use.tokenId).where('network', '=', use.network).where('user_agent', '=', use.userAgent)
    .where('last_seen_at', '<', unlessSince)
    .executeTakeFirst();
  return { kind: result.numUpdatedRows > 0n ? 'updated' : 'unchanged' };
}

/**
 * Whether row `id` is the first sight of its network for the token, after a use from another network: the lowest id
 * of that network is this one, and a lower id from another network exists. Ids order the rows, so of two processes
 * that insert the same new network at once (with different user agents) only the lower id's answers yes.
 */
export async function isFirstUseFromNetwork(db: Db, tokenId: number, network: string, id: number): Promise<boolean> {
  const earliest = await db.selectFrom('token_uses').select((eb) => eb.fn.min<number>('id').as('id'))
    .where('token_id', '=', tokenId).where('network', '=', network).executeTakeFirst();
  if (Number(earliest?.id) !== id) return false;
  const before = await db.selectFrom('token_uses').select('id')
    .where('token_id', '=', tokenId).where('network', '<>', network).where('id', '<', id).limit(1).executeTakeFirst();
  return before !== undefined;
}

/** Keeps the token's `keep` most recently seen rows and deletes the rest. */
export async function pruneTokenUses(db: Db, tokenId: number, keep: number): Promise<void> {
  const kept = db.selectFrom('token_uses').select('id').where('token_id', '=', tokenId)
    .orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(keep);
  await db.deleteFrom('token_uses').where('token_id', '=', tokenId).where('id', 'not in', kept).execute();
}

export async function listRecentTokenUses(db: Db, tokenId: number, limit: number): Promise<TokenUseRow[]> {
  return db.selectFrom('token_uses').selectAll().where('token_id', '=', tokenId)
    .orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}
