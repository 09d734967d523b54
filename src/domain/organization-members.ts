/**
 * An organization's members: added by an owner (no invitation to accept: the member is active at once), given a
 * role, removed, or leaving by themselves. An organization always keeps at least one owner: the last cannot be
 * removed or made a member, checked under the organization's lock so two owners demoting each other at once cannot
 * both succeed. Every change is recorded in the member's security log in the transaction that makes it.
 *
 * A membership is concealed (visible to the organization's members only) until its member makes it public, as on
 * GitHub; anyone sees public memberships.
 */
import type { OrganizationMembershipRow, OrganizationRole, UserRow } from '../store/database.ts';
import {
  countAdmins, deleteMembership, findMembershipRow, insertMembership, listMembersOfOrganization, type MemberRow, updateMembershipRole,
  updateMembershipVisibility,
} from '../store/membership-store.ts';
import { lockOrganization } from '../store/organization-store.ts';
import { inTransaction } from '../store/transaction.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';
import type { Database, Db } from '../store/database.ts';
import type { Transaction } from 'kysely';
import { findUserByName } from './accounts.ts';
import { type OrganizationAction, authorizeOrganization, type Refusal, type Standing } from './authorization.ts';
import type { Deps } from './deps.ts';
import type { ChangeOrigin, Organization } from './organizations.ts';
import { type Principal, userOf } from './principal.ts';
import { loadStanding } from './repository-access.ts';
import { type ChangeContext, recordSecurityEvent, type SecurityEventKind } from './security-log.ts';

export type Member = MemberRow;

export type MembershipRefusal =
  | ({ ok: false } & Refusal)
  | { ok: false; code: 'user_not_found' | 'not_member' }
  /** The change would leave the organization without an owner. */
  | { ok: false; code: 'last_admin' };

export type MembershipChangeResult = { ok: true; role: OrganizationRole } | MembershipRefusal;

export type AddMemberResult = MembershipChangeResult | { ok: false; code: 'already_member'; role: OrganizationRole };

/** `owner` is what people and GitHub's pages call the `admin` role. */
export function roleFromWord(word: string): OrganizationRole | undefined {
  if (word === 'owner' || word === 'admin') return 'admin';
  return word === 'member' ? 'member' : undefined;
}

function actorFor(principal: Principal, subject: UserRow): ChangeContext['actor'] {
  if (principal.kind === 'site_admin') return 'admin';
  return userOf(principal)?.id === subject.id ? 'owner' : 'organization_owner';
}

async function decide(deps: Deps, principal: Principal, organization: Organization, action: OrganizationAction) {
  const standing = await loadStanding(deps, principal, organization.owner);
  return { standing, decision: authorizeOrganization(principal, action, standing) };
}

/** The user an owner's change is about, once the principal may manage members at all (no oracle for others). */
async function memberToManage(
  deps: Deps, principal: Principal, organization: Organization, username: string,
): Promise<{ ok: true; user: UserRow } | MembershipRefusal> {
  const { decision } = await decide(deps, principal, organization, 'manage_members');
  if (!decision.ok) return decision;
  const user = await findUserByName(deps, username);
  return user ? { ok: true, user } : { ok: false, code: 'user_not_found' };
}

/** Runs a membership change under the organization's lock, with its security-log event, in one transaction. */
function changeMembership<T>(
  deps: Deps,
  organization: Organization,
  work: (trx: Transaction<Database>, record: (user: UserRow, kind: SecurityEventKind, actor: ChangeContext['actor']) => Promise<void>) => Promise<T>,
  origin: ChangeOrigin,
): Promise<T> {
  const at = deps.clock.now();
  return inTransaction(deps.db, async (trx) => {
    await lockOrganization(trx, organization.owner.id);
    return work(trx, (user, kind, actor) => recordSecurityEvent(trx, {
      userId: user.id, kind, organization: { id: organization.owner.id, login: organization.owner.login },
      context: { ...origin, actor }, at,
    }));
  });
}

export async function addMember(
  deps: Deps, principal: Principal, organization: Organization, username: string, role: OrganizationRole, origin: ChangeOrigin,
): Promise<AddMemberResult> {
  const subject = await memberToManage(deps, principal, organization, username);
  if (!subject.ok) return subject;
  const { user } = subject;
  try {
    return await changeMembership(deps, organization, async (trx, record) => {
      const existing = await findMembershipRow(trx, organization.owner.id, user.id);
      if (existing) return { ok: false, code: 'already_member', role: existing.role } as const;
      await insertMembership(trx, { organizationId: organization.owner.id, userId: user.id, role, createdAt: deps.clock.now().toISOString() });
      await record(user, role === 'admin' ? 'organization.owner_added' : 'organization.member_added', actorFor(principal, user));
      return { ok: true, role } as const;
    }, origin);
  } catch (error) {
    // Added at the same moment by someone else.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findMembershipRow(deps.db, organization.owner.id, user.id);
    return { ok: false, code: 'already_member', role: existing?.role ?? role };
  }
}

/** Leaves at least one admin behind, or says `last_admin`. */
async function wouldLeaveNoAdmin(trx: Db, organizationId: number, membership: OrganizationMembershipRow): Promise<boolean> {
  return membership.role === 'admin' && (await countAdmins(trx, organizationId)) <= 1;
}

export async function setRole(
  deps: Deps, principal: Principal, organization: Organization, username: string, role: OrganizationRole, origin: ChangeOrigin,
): Promise<MembershipChangeResult> {
  const subject = await memberToManage(deps, principal, organization, username);
  if (!subject.ok) return subject;
  const { user } = subject;
  return changeMembership(deps, organization, async (trx, record): Promise<MembershipChangeResult> => {
    const membership = await findMembershipRow(trx, organization.owner.id, user.id);
    if (!membership) return { ok: false, code: 'not_member' };
    if (membership.role === role) return { ok: true, role };
    if (role === 'member' && (await wouldLeaveNoAdmin(trx, organization.owner.id, membership))) return { ok: false, code: 'last_admin' };
    await updateMembershipRole(trx, organization.owner.id, user.id, role);
    await record(user, role === 'admin' ? 'organization.made_owner' : 'organization.made_member', actorFor(principal, user));
    return { ok: true, role };
  }, origin);
}

/** An owner removing a member, or a member leaving (their own membership). */
export async function removeMember(
  deps: Deps, principal: Principal, organization: Organization, username: string, origin: ChangeOrigin,
): Promise<MembershipChangeResult> {
  const user = await findUserByName(deps, username);
  const isSelf = user !== undefined && userOf(principal)?.id === user.id;
  const { decision } = await decide(deps, principal, organization, isSelf ? 'manage_own_membership' : 'manage_members');
  if (!decision.ok) return decision;
  if (!user) return { ok: false, code: 'user_not_found' };
  return changeMembership(deps, organization, async (trx, record): Promise<MembershipChangeResult> => {
    const membership = await findMembershipRow(trx, organization.owner.id, user.id);
    if (!membership) return { ok: false, code: 'not_member' };
    if (await wouldLeaveNoAdmin(trx, organization.owner.id, membership)) return { ok: false, code: 'last_admin' };
    await deleteMembership(trx, organization.owner.id, user.id);
    await record(user, 'organization.member_removed', actorFor(principal, user));
    return { ok: true, role: membership.role };
  }, origin);
}

/** Shows or conceals the acting member's own membership. */
export async function setOwnMembershipVisibility(
  deps: Deps, principal: Principal, organization: Organization, isPublic: boolean,
): Promise<{ ok: true } | ({ ok: false } & Refusal)> {
  const user = userOf(principal);
  const { decision } = await decide(deps, principal, organization, 'manage_own_membership');
  if (!decision.ok) return decision;
  if (!user) return { ok: false, code: 'forbidden' };
  await updateMembershipVisibility(deps.db, organization.owner.id, user.id, isPublic);
  return { ok: true };
}

/**
 * The members the principal may see: all of them for a member (with `read:org` for a token), the public ones for
 * anyone else. `concealed` says whether concealed members were included.
 */
export async function listMembers(
  deps: Deps, principal: Principal, organization: Organization, filter: { role?: OrganizationRole | undefined } = {},
): Promise<{ members: Member[]; concealed: boolean; standing: Standing }> {
  const { standing, decision } = await decide(deps, principal, organization, 'read_members');
  const members = await listMembersOfOrganization(deps.db, organization.owner.id, { publicOnly: !decision.ok, role: filter.role });
  return { members, concealed: decision.ok, standing };
}

export type FindMembershipResult = { ok: true; user: UserRow; membership: OrganizationMembershipRow } | ({ ok: false } & Refusal);

/**
 * One user's membership: a user may always see their own; another's only a member may see (GitHub: "the
 * authenticated user must be an organization member"). Not a member, or no such user: `not_found`.
 */
export async function findMembership(
  deps: Deps, principal: Principal, organization: Organization, username: string,
): Promise<FindMembershipResult> {
  const user = await findUserByName(deps, username);
  if (!user || userOf(principal)?.id !== user.id) {
    const { decision } = await decide(deps, principal, organization, 'read_members');
    if (!decision.ok) return decision;
  }
  const membership = user && (await findMembershipRow(deps.db, organization.owner.id, user.id));
  return user && membership ? { ok: true, user, membership } : { ok: false, code: 'not_found' };
}
