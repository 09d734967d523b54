/**
 * A fast fill for benches: `count` token rows in multi-row INSERTs inside one transaction, with times and hashes
 * the caller chooses per row. Hashes are random unless the caller asks for a real secret (kept for checks).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { generateTokenSecret, hashToken } from '../../src/domain/token-format.ts';
import type { Database } from '../../src/store/database.ts';

/** 9 parameters a row stays well under SQLite's 32,766 and PostgreSQL's 65,535 parameters a statement. */
const ROWS_PER_INSERT = 1000;

export async function insertBenchUsers(db: Kysely<Database>, count: number, prefix: string): Promise<number[]> {
  const now = new Date().toISOString();
  await db.insertInto('users').values(Array.from({ length: count }, (_, u) => ({
    username: `${prefix}${u}`, username_key: `${prefix}${u}`, email: `${prefix}${u}@example.test`, email_key: `${prefix}${u}@example.test`,
    name: null, password_hash: 'not used here', email_verified_at: now, created_at: now, updated_at: now,
  }))).execute();
  return (await db.selectFrom('users').select('id').orderBy('id').execute()).map((row) => row.id);
}

export interface FilledRow {
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** Make a real secret for this row and hand it to `onSecret`. */
  keepSecret?: boolean;
}

export async function fillTokens(
  db: Kysely<Database>,
  userIds: number[],
  count: number,
  rowAt: (index: number) => FilledRow,
  onSecret: (secret: string, index: number) => void = () => {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (let start = 0; start < count; start += ROWS_PER_INSERT) {
      const rows = [];
      for (let i = start; i < Math.min(start + ROWS_PER_INSERT, count); i++) {
        const row = rowAt(i);
        const secret = row.keepSecret ? generateTokenSecret() : undefined;
        if (secret) onSecret(secret, i);
        rows.push({
          user_id: userIds[i % userIds.length]!, note: `token ${i}`,
          token_hash: secret ? hashToken(secret) : randomBytes(32).toString('hex'),
          scopes: 'repo', created_at: row.createdAt, updated_at: row.createdAt, expires_at: row.expiresAt, last_used_at: row.lastUsedAt,
        });
      }
      await trx.insertInto('personal_access_tokens').values(rows).execute();
    }
  });
}
