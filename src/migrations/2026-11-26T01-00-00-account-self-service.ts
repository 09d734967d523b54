import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Account self-service (src/domain/password-reset.ts, email-verification.ts, account-admin.ts):
 * - `users.suspended_at`: set by `tessera user suspend`; a suspended user's tokens and sessions stop working.
 * - `email_verifications.email` and `replaces_key`: a link is bound to the address it was mailed to and to the
 *   account's email key when it was sent; it is void once the key changed (another address, or one released).
 *   Links from before this migration were sign-up links for the account's address as it is.
 * - `password_resets`: the SHA-256 of each mailed reset secret, the email key it was sent for, and its expiry.
 * - `users.email_key` recomputed with Unicode case folding after NFKC (it was lower-casing only), so that two
 *   spellings of one address are one key; where that makes two accounts share a key, the verified (else the older)
 *   keeps it and the other's address is released, as the unverified-email release job does.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('users').addColumn('suspended_at', 'text').execute();
  await recomputeEmailKeys(db);

  await db.schema.alterTable('email_verifications').addColumn('email', 'text').execute();
  await db.schema.alterTable('email_verifications').addColumn('replaces_key', 'text').execute();
  await sql`update email_verifications set
    email = (select email from users where users.id = email_verifications.user_id),
    replaces_key = (select email_key from users where users.id = email_verifications.user_id)`.execute(db);

  await db.schema.createTable('password_resets')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (c: ColumnDefinitionBuilder) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('email_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('password_resets_user').on('password_resets').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('password_resets_expires').on('password_resets').column('expires_at').execute();
  // The release job (src/jobs/release-unverified-emails.ts) reads only unverified accounts that still hold their
  // address, oldest first; a released one leaves the index, so each run reads only what it has to release.
  await db.schema.createIndex('users_unverified_claims').on('users').columns(['created_at', 'id'])
    .where(sql.raw<boolean>("email_verified_at is null and email_key not like 'unclaimed:%'")).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_unverified_claims').execute();
  await db.schema.dropTable('password_resets').execute();
  await db.schema.alterTable('email_verifications').dropColumn('replaces_key').execute();
  await db.schema.alterTable('email_verifications').dropColumn('email').execute();
  await db.schema.alterTable('users').dropColumn('suspended_at').execute();
}

/** Frozen copy of emailKey (src/domain/email-address.ts) as it was when this migration landed. */
function emailKeyAsOf20261126(address: string): string {
  const folded = [...address.normalize('NFKC')].map((char) => (char === 'ı' ? char : char.toLowerCase().toUpperCase().toLowerCase())).join('');
  return folded.normalize('NFKC');
}

/** Only addresses outside ASCII can fold differently from lower-casing: those are few, and read a batch at a time. */
async function recomputeEmailKeys(db: Kysely<any>): Promise<void> {
  let after = 0;
  for (;;) {
    const rows: Array<{ id: number; email: string; email_key: string; email_verified_at: string | null }> = await db.selectFrom('users')
      .select(['id', 'email', 'email_key', 'email_verified_at']).where('id', '>', after).orderBy('id').limit(1000).execute();
    if (rows.length === 0) return;
    after = rows.at(-1)!.id;
    for (const row of rows) {
      if (/^[\x00-\x7f]*$/.test(row.email)) continue;
      const key = emailKeyAsOf20261126(row.email);
      if (key === row.email_key) continue;
      const holder = await db.selectFrom('users').select(['id', 'email_verified_at']).where('email_key', '=', key).executeTakeFirst();
      if (!holder) {
        await db.updateTable('users').set({ email_key: key }).where('id', '=', row.id).execute();
        continue;
      }
      const rowVerified = row.email_verified_at !== null;
      const holderVerified = holder.email_verified_at !== null;
      const rowKeeps = rowVerified !== holderVerified ? rowVerified : row.id < holder.id;
      const loser = rowKeeps ? holder.id : row.id;
      await db.updateTable('users').set({ email_key: `unclaimed:${loser}` }).where('id', '=', loser).execute();
      if (rowKeeps) await db.updateTable('users').set({ email_key: key }).where('id', '=', row.id).execute();
    }
    if (rows.length < 1000) return;
  }
}
