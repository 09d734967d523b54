import type { Db, OrganizationRole } from './database.ts';

/** The user's role in the organization, or undefined when they are not a member. */
export async function findMembershipRole(db: Db, organizationId: number, userId: number): Promise<OrganizationRole | undefined> {
  const row = await db.selectFrom('organization_memberships').select('role')
    .where('organization_id', '=', organizationId).where('user_id', '=', userId).executeTakeFirst();
  return row?.role;
}
