import { type Kysely, PostgresAdapter } from 'kysely';
import type { Database, Db, TokenUseRow } from './database.ts';

export interface TokenUseRecord {
  tokenId: number;
  network: string;
  clientAddress: string;
  userAgent: string;
  at: string;
}

/** Moves an existing row's last use forward unless one at or after `unlessSince` is stored: true when it moved. */
export async function touchTokenUse(db: Db, use: TokenUseRecord, unlessSince: string): Promise<boolean> {
  const result = await db.updateTable('token_uses').set({ last_seen_at: use.at, client_address: use.clientAddress })
    .where('token_id', '=', use.tokenId).where('network', '=', use.network).where('user_agent', '=', use.userAgent)
    .where('last_seen_at', '<', unlessSince)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Adds the row for a new token × network × user agent; `undefined` when it exists already. `newNetwork` says
 * whether it is the token's first row from this network after rows from another (so not its very first use).
 *
 * New rows of one token are added one at a time: on PostgreSQL the token's row is locked for the transaction, so of
 * two processes that see the same new network at once the second waits and then finds the first's row. (SQLite
 * takes its write lock at the insert, with the same effect.)
 */
export async function insertTokenUseIfNew(db: Kysely<Database>, use: TokenUseRecord): Promise<{ newNetwork: boolean } | undefined> {
  return db.transaction().execute(async (trx) => {
    if (trx.getExecutor().adapter instanceof PostgresAdapter) {
      await trx.selectFrom('personal_access_tokens').select('id').where('id', '=', use.tokenId).forUpdate().execute();
    }
    const inserted = await trx.insertInto('token_uses').values({
      token_id: use.tokenId, network: use.network, client_address: use.clientAddress, user_agent: use.userAgent,
      first_seen_at: use.at, last_seen_at: use.at,
    }).onConflict((conflict) => conflict.columns(['token_id', 'network', 'user_agent']).doNothing())
      .returning('id').executeTakeFirst();
    if (!inserted) return undefined;
    const sameNetwork = await trx.selectFrom('token_uses').select('id')
      .where('token_id', '=', use.tokenId).where('network', '=', use.network).where('id', '<>', inserted.id)
      .limit(1).executeTakeFirst();
    const otherNetwork = await trx.selectFrom('token_uses').select('id')
      .where('token_id', '=', use.tokenId).where('network', '<>', use.network)
      .limit(1).executeTakeFirst();
    return { newNetwork: sameNetwork === undefined && otherNetwork !== undefined };
  });
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
