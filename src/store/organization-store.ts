import type { Db, OrganizationRole, OrganizationRow, OwnerRow } from './database.ts';
import { insertOwner } from './owner-store.ts';
import { inTransaction } from './transaction.ts';

/** An organization: its owner row (login, id) and its profile row. */
export interface OrganizationRecord {
  owner: OwnerRow;
  profile: OrganizationRow;
}

const OWNER_COLUMNS = ['owners.id', 'owners.login', 'owners.login_key', 'owners.kind', 'owners.created_at'] as const;
const PROFILE_COLUMNS = [
  'organizations.name', 'organizations.description', 'organizations.created_at as profile_created_at', 'organizations.updated_at',
] as const;

type JoinedRow = OwnerRow & { name: string | null; description: string | null; profile_created_at: string; updated_at: string };

function rowToRecord(row: JoinedRow): OrganizationRecord {
  const { name, description, profile_created_at, updated_at, ...owner } = row;
  return { owner, profile: { id: owner.id, name, description, created_at: profile_created_at, updated_at } };
}

function selectOrganizations(db: Db) {
  return db.selectFrom('organizations').innerJoin('owners', 'owners.id', 'organizations.id').select([...OWNER_COLUMNS, ...PROFILE_COLUMNS]);
}

/**
 * The owner row, the organization row and its first admin's membership, together or not at all. A login already
 * taken by a user or an organization fails the owners' unique index (isUniqueViolation).
 */
export async function insertOrganization(
  db: Db,
  organization: { login: string; name: string | null; description: string | null; adminUserId: number; createdAt: string },
): Promise<OrganizationRecord> {
  return inTransaction(db, async (trx) => {
    const owner = await insertOwner(trx, { login: organization.login, kind: 'organization', created_at: organization.createdAt });
    const profile = await trx.insertInto('organizations').values({
      id: owner.id, name: organization.name, description: organization.description,
      created_at: organization.createdAt, updated_at: organization.createdAt,
    }).returningAll().executeTakeFirstOrThrow();
    await trx.insertInto('organization_memberships').values({
      organization_id: owner.id, user_id: organization.adminUserId, role: 'admin', created_at: organization.createdAt,
    }).execute();
    return { owner, profile };
  });
}

export async function findOrganizationByLogin(db: Db, login: string): Promise<OrganizationRecord | undefined> {
  const row = await selectOrganizations(db).where('owners.login_key', '=', login.toLowerCase()).executeTakeFirst();
  return row && rowToRecord(row);
}

export async function findOrganizationById(db: Db, id: number): Promise<OrganizationRecord | undefined> {
  const row = await selectOrganizations(db).where('owners.id', '=', id).executeTakeFirst();
  return row && rowToRecord(row);
}

/** Every organization, by login (for `tessera org list`). */
export async function listOrganizations(db: Db): Promise<OrganizationRecord[]> {
  return (await selectOrganizations(db).orderBy('owners.login_key').execute()).map(rowToRecord);
}

/** The organizations a user belongs to, by login, with the user's role and whether the membership is public. */
export async function listOrganizationsOfMember(
  db: Db,
  userId: number,
  options: { publicOnly: boolean },
): Promise<Array<OrganizationRecord & { role: OrganizationRole; public: boolean }>> {
  let query = selectOrganizations(db)
    .innerJoin('organization_memberships', 'organization_memberships.organization_id', 'organizations.id')
    .select(['organization_memberships.role', 'organization_memberships.public'])
    .where('organization_memberships.user_id', '=', userId);
  if (options.publicOnly) query = query.where('organization_memberships.public', '=', 1);
  const rows = await query.orderBy('owners.login_key').execute();
  return rows.map(({ role, public: isPublic, ...row }) => ({ ...rowToRecord(row), role, public: Number(isPublic) === 1 }));
}

export async function updateOrganizationProfile(
  db: Db,
  id: number,
  changes: { name: string | null; description: string | null; updatedAt: string },
): Promise<void> {
  await db.updateTable('organizations')
    .set({ name: changes.name, description: changes.description, updated_at: changes.updatedAt })
    .where('id', '=', id).execute();
}

/**
 * Takes the organization's row lock for the rest of the transaction (PostgreSQL: the row; SQLite: the database), so
 * that membership changes of one organization happen one after another: two owners demoting each other at once
 * must not both see "another admin remains".
 */
export async function lockOrganization(db: Db, id: number): Promise<boolean> {
  // An update that changes nothing still takes the lock.
  const result = await db.updateTable('organizations').set((eb) => ({ id: eb.ref('id') })).where('id', '=', id).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
