import type { Db, OrganizationMembershipRow, OrganizationRole, UserRow } from './database.ts';

/** The user's role in the organization, or undefined when they are not a member. */
export async function findMembershipRole(db: Db, organizationId: number, userId: number): Promise<OrganizationRole | undefined> {
  const row = await db.selectFrom('organization_memberships').select('role')
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role;
}

export async function findMembershipRow(db: Db, organizationId: number, userId: number): Promise<OrganizationMembershipRow | undefined> {
  return db.selectFrom('organization_memberships').selectAll()
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
}

export async function insertMembership(
  db: Db,
  membership: { organizationId: number; userId: number; role: OrganizationRole; createdAt: string },
): Promise<OrganizationMembershipRow> {
  return db.insertInto('organization_memberships').values({
    organization_id: membership.organizationId, user_id: membership.userId, role: membership.role, created_at: membership.createdAt,
  }).returningAll().executeTakeFirstOrThrow();
}

export async function updateMembershipRole(db: Db, organizationId: number, userId: number, role: OrganizationRole): Promise<void> {
  await db.updateTable('organization_memberships').set({ role })
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
}

export async function updateMembershipVisibility(db: Db, organizationId: number, userId: number, isPublic: boolean): Promise<void> {
  await db.updateTable('organization_memberships').set({ public: isPublic ? 1 : 0 })
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
}

export async function deleteMembership(db: Db, organizationId: number, userId: number): Promise<void> {
  await db.deleteFrom('organization_memberships').where('organization_id', '=', organizationId).where('user_id', '=', userId).execute();
}

export async function countAdmins(db: Db, organizationId: number): Promise<number> {
  const row = await db.selectFrom('organization_memberships').select((eb) => eb.fn.countAll<string | number>().as('count'))
    .where('organization_id', '=', organizationId).where('role', '=', 'admin').executeTakeFirstOrThrow();
  return Number(row.count);
}

export interface MemberRow {
  user: UserRow;
  role: OrganizationRole;
  public: boolean;
  createdAt: string;
}

/** An organization's members by username, optionally only public memberships or one role. */
export async function listMembersOfOrganization(
  db: Db,
  organizationId: number,
  options: { publicOnly: boolean; role?: OrganizationRole | undefined },
): Promise<MemberRow[]> {
  let query = db.selectFrom('organization_memberships')
    .innerJoin('users', 'users.id', 'organization_memberships.user_id')
    .selectAll('users')
    .select([
      'organization_memberships.role as membership_role', 'organization_memberships.public as membership_public',
      'organization_memberships.created_at as membership_created_at',
    ])
    .where('organization_memberships.organization_id', '=', organizationId);
  if (options.publicOnly) query = query.where('organization_memberships.public', '=', 1);
  if (options.role) query = query.where('organization_memberships.role', '=', options.role);
  const rows = await query.orderBy('users.username_key').execute();
  return rows.map(({ membership_role, membership_public, membership_created_at, ...user }) => ({
    user, role: membership_role, public: Number(membership_public) === 1, createdAt: membership_created_at,
  }));
}

/** Organizations where the user is the only admin (an account that owns one alone cannot simply go). */
export async function listOrganizationIdsSolelyAdministeredBy(db: Db, userId: number): Promise<number[]> {
  const rows = await db.selectFrom('organization_memberships as mine')
    .select('mine.organization_id')
    .where('mine.user_id', '=', userId).where('mine.role', '=', 'admin')
    .where((eb) => eb.not(eb.exists(eb.selectFrom('organization_memberships as other').select('other.id')
      .whereRef('other.organization_id', '=', 'mine.organization_id')
      .where('other.role', '=', 'admin')
      .where('other.user_id', '<>', userId))))
    .execute();
  return rows.map((row) => row.organization_id);
}
