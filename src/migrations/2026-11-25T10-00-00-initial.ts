import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter } from 'kysely';

/** An auto-incrementing integer key in either dialect. */
function idColumn(db: Kysely<any>) {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return [
    isPostgres ? 'serial' : 'integer',
    (column: ColumnDefinitionBuilder) => (isPostgres ? column.primaryKey() : column.primaryKey().autoIncrement()),
  ] as const;
}

export async function up(db: Kysely<any>): Promise<void> {
  const [idType, idBuilder] = idColumn(db);

  await db.schema.createTable('users')
    .addColumn('id', idType, idBuilder)
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('username_key', 'text', (c) => c.notNull().unique())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('email_key', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('email_verified_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('email_verifications')
    .addColumn('id', idType, idBuilder)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('web_sessions')
    .addColumn('id', idType, idBuilder)
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('personal_access_tokens')
    .addColumn('id', idType, idBuilder)
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text')
    .addColumn('last_used_at', 'text')
    .addUniqueConstraint('personal_access_tokens_user_note', ['user_id', 'note'])
    .execute();

  await db.schema.createTable('repositories')
    .addColumn('id', idType, idBuilder)
    .addColumn('owner_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('description', 'text')
    .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('repositories_owner_name', ['owner_id', 'name_key'])
    .execute();

  await db.schema.createIndex('web_sessions_user').on('web_sessions').column('user_id').execute();
  await db.schema.createIndex('email_verifications_user').on('email_verifications').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['repositories', 'personal_access_tokens', 'web_sessions', 'email_verifications', 'users']) {
    await db.schema.dropTable(table).execute();
  }
}
