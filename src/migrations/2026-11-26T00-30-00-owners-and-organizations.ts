import { type ColumnDefinitionBuilder, type Kysely, PostgresAdapter, sql } from 'kysely';

/**
 * Owners: one namespace of logins shared by users and organizations, as on GitHub (a user and an organization can
 * never have the same name). A user's owner id is its user id; an organization is an owner with no user row.
 * Repositories belong to an owner, so `repositories.owner_id` now refers to `owners`.
 *
 * - owners: id, login (as typed), login_key (lower-cased, unique), kind ('user' | 'organization'), created_at.
 * - organizations: one row per organization owner (display name, description).
 * - organization_memberships: a user's role in an organization ('admin' is GitHub's word for an owner, or 'member').
 */
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const idType = isPostgres ? 'serial' : 'integer';
  const idColumn = (c: ColumnDefinitionBuilder) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement());
  await db.schema.createTable('owners')
    .addColumn('id', idType, idColumn)
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('login_key', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await sql`insert into owners (id, login, login_key, kind, created_at)
    select id, username, username_key, 'user', created_at from users`.execute(db);
  if (isPostgres) {
    await sql`select setval(pg_get_serial_sequence('owners', 'id'), coalesce(max(id), 0) + 1, false) from owners`.execute(db);
  }

  await db.schema.createTable('organizations')
    .addColumn('id', 'integer', (c) => c.primaryKey().references('owners.id').onDelete('cascade'))
    .addColumn('name', 'text')
    .addColumn('description', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createTable('organization_memberships')
    .addColumn('id', idType, idColumn)
    .addColumn('organization_id', 'integer', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('organization_memberships_organization_user', ['organization_id', 'user_id'])
    .execute();
  await db.schema.createIndex('organization_memberships_user').on('organization_memberships').column('user_id').execute();

  if (isPostgres) {
    await sql`alter table repositories drop constraint repositories_owner_id_fkey`.execute(db);
    await sql`alter table repositories add constraint repositories_owner_id_fkey
      foreign key (owner_id) references owners(id) on delete cascade`.execute(db);
    return;
  }
  // SQLite cannot change a foreign key: the table is made anew with the same columns and copied (nothing refers to it).
  await sql`create table repositories_new (
    id integer primary key autoincrement,
    owner_id integer not null references owners(id) on delete cascade,
    name text not null,
    name_key text not null,
    description text,
    private integer not null default 0,
    created_at text not null,
    updated_at text not null,
    state text not null default 'ready',
    instance text,
    constraint repositories_owner_name unique (owner_id, name_key)
  )`.execute(db);
  await sql`insert into repositories_new (id, owner_id, name, name_key, description, private, created_at, updated_at, state, instance)
    select id, owner_id, name, name_key, description, private, created_at, updated_at, state, instance from repositories`.execute(db);
  await sql`drop table repositories`.execute(db);
  await sql`alter table repositories_new rename to repositories`.execute(db);
  await db.schema.createIndex('repositories_state').on('repositories').column('state').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('organization_memberships').execute();
  await db.schema.dropTable('organizations').execute();
  // Repositories keep pointing at owner ids, which are user ids for every user-owned repository.
  await db.schema.dropTable('owners').execute();
}
