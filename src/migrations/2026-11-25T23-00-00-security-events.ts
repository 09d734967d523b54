import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

/**
 * The security log (src/domain/security-log.ts): one row per change to a user's credentials, written in the same
 * transaction as the change. Rows name the token by id and note (the note is kept because the token may be gone).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.createTable('security_events')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (c: ColumnDefinitionBuilder) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('token_id', 'integer')
    .addColumn('token_note', 'text')
    .addColumn('client_address', 'text')
    .addColumn('user_agent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_events_user_time').on('security_events').columns(['user_id', 'created_at']).execute();
  await db.schema.createIndex('security_events_user_kind_time').on('security_events').columns(['user_id', 'kind', 'created_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_events').execute();
}
