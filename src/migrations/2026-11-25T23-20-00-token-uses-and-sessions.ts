import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Where tokens and browsers are used from (src/domain/token-uses.ts, src/domain/web-sessions.ts).
 * - `token_uses`: one row per token × client network × user agent, with the latest address seen in that network and
 *   the first and last time; written at most once a minute per row, pruned to the newest few per token.
 * - `users.notify_new_token_network`: whether the owner is mailed when a token is used from a new network (1, the
 *   default, or 0).
 * - `web_sessions.last_active_at`, `client_address`, `user_agent`: what the sessions page shows; null for sessions
 *   started before this migration until they are next used.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.createTable('token_uses')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (c: ColumnDefinitionBuilder) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('token_id', 'integer', (c) => c.notNull().references('personal_access_tokens.id').onDelete('cascade'))
    .addColumn('network', 'text', (c) => c.notNull())
    .addColumn('client_address', 'text', (c) => c.notNull())
    // '' when the client sent none: a unique key treats NULLs as distinct, which would let one combination repeat.
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('first_seen_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('token_uses_token_network_agent', ['token_id', 'network', 'user_agent'])
    .execute();
  await db.schema.createIndex('token_uses_token_last_seen').on('token_uses').columns(['token_id', 'last_seen_at']).execute();

  await db.schema.alterTable('users')
    .addColumn('notify_new_token_network', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema.alterTable('web_sessions').addColumn('last_active_at', 'text').execute();
  await db.schema.alterTable('web_sessions').addColumn('client_address', 'text').execute();
  await db.schema.alterTable('web_sessions').addColumn('user_agent', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const column of ['user_agent', 'client_address', 'last_active_at']) {
    await db.schema.alterTable('web_sessions').dropColumn(column).execute();
  }
  await db.schema.alterTable('users').dropColumn('notify_new_token_network').execute();
  await db.schema.dropTable('token_uses').execute();
}
