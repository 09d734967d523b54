/**
 * Organizations: owners that are not people. An organization's login shares one namespace with usernames (a user
 * and an organization never have the same name, as on GitHub); its members have a role, `admin` (GitHub's
 * "owner") or `member`, and there is always at least one admin (organization-members.ts). Repositories belong to it
 * as to a user; who may read or write them is decided by its members' standing (repository-access.ts).
 *
 * Created on the site's form by any signed-in user with a verified address (who becomes its first owner), by the
 * site administrator with `tessera org create`, or by a site administrator's token (TESSERA_SITE_ADMINS) through
 * GitHub Enterprise Server's `POST /admin/organizations`. The owners row, the organization row, the first owner's
 * membership and the event in their security log are written in one transaction.
 */
import type { UserRow } from '../store/database.ts';
import {
  findOrganizationByLogin, insertOrganization, listOrganizationsOfMember, type OrganizationRecord, updateOrganizationProfile,
} from '../store/organization-store.ts';
import { inTransaction } from '../store/transaction.ts';
import { isUniqueViolation } from '../store/unique-violation.ts';
import { findUserByName, isEmailVerified, loginProblem } from './accounts.ts';
import { authorizeOrganization, authorizeOrganizationCreation, authorizeOwnMemberships, type Refusal } from './authorization.ts';
import type { Deps } from './deps.ts';
import { checkDisplayText, type UnsafeTextCode } from './display-text.ts';
import { type Principal, userOf } from './principal.ts';
import { loadStanding } from './repository-access.ts';
import { type ChangeContext, recordSecurityEvent } from './security-log.ts';

export type Organization = OrganizationRecord;

/** Where a change came from (the actor is worked out from the principal). */
export type ChangeOrigin = Omit<ChangeContext, 'actor'>;

/** A display name (GitHub's profile_name) and a description are one line each, of a sensible length. */
export const MAX_ORGANIZATION_NAME_LENGTH = 255;
export const MAX_ORGANIZATION_DESCRIPTION_LENGTH = 1000;
/** Organizations one person may make in an hour on the site's form: room for real use, none for squatting names. */
export const ORGANIZATION_CREATIONS_PER_HOUR = 10;

export interface OrganizationProfileInput {
  name?: string | null | undefined;
  description?: string | null | undefined;
}

export interface CreateOrganizationInput extends OrganizationProfileInput {
  login: string;
  /** Its first owner, or their username (looked up once the principal may create organizations at all). */
  admin: UserRow | string;
}

/** What is wrong with a display name or description: too long, or characters refused everywhere (display-text.ts). */
export interface ProfileProblem {
  field: 'name' | 'description';
  problem: 'too_long' | UnsafeTextCode;
}

export type CreateOrganizationResult =
  | { ok: true; organization: Organization }
  | ({ ok: false } & Refusal)
  /** Not GitHub's login pattern (letters, digits, single hyphens, at most 39), or a path of the service itself. */
  | { ok: false; code: 'login_invalid' | 'login_reserved' | 'login_taken' }
  /** The first owner named by username does not exist. */
  | { ok: false; code: 'admin_not_found' }
  | ({ ok: false; code: 'invalid_profile' } & ProfileProblem)
  /** Creating one on the site's form needs a verified address (spam and abuse), as repositories do. */
  | { ok: false; code: 'email_unverified' }
  | { ok: false; code: 'rate_limited'; limit: number; resetAt: Date };

/** Whether the user is one of the site administrators named by TESSERA_SITE_ADMINS. */
export function isSiteAdministrator(deps: Deps, user: UserRow | undefined): boolean {
  return user !== undefined && (deps.config.siteAdmins ?? []).some((name) => name.toLowerCase() === user.username_key);
}

/** The longest display name and description, by field: what a refused profile's `too_long` refers to. */
export const MAX_PROFILE_LENGTHS = { name: MAX_ORGANIZATION_NAME_LENGTH, description: MAX_ORGANIZATION_DESCRIPTION_LENGTH } as const;

function profileProblem(input: OrganizationProfileInput): ({ ok: false; code: 'invalid_profile' } & ProfileProblem) | undefined {
  for (const field of ['name', 'description'] as const) {
    const text = input[field] ?? '';
    if (text.length > MAX_PROFILE_LENGTHS[field]) return { ok: false, code: 'invalid_profile', field, problem: 'too_long' };
    const check = checkDisplayText(text);
    if (!check.ok) return { ok: false, code: 'invalid_profile', field, problem: check.code };
  }
  return undefined;
}

/** Empty text is no value. */
const orNull = (text: string | null | undefined) => (text ? text : null);

export async function createOrganization(
  deps: Deps,
  principal: Principal,
  input: CreateOrganizationInput,
  origin: ChangeOrigin,
): Promise<CreateOrganizationResult> {
  const actingUser = userOf(principal);
  const siteAdministrator = isSiteAdministrator(deps, actingUser);
  const admin = typeof input.admin === 'string' ? await findUserByName(deps, input.admin) : input.admin;
  const forSelf = admin !== undefined && actingUser?.id === admin.id;
  const decision = authorizeOrganizationCreation(principal, { siteAdministrator, forSelf });
  if (!decision.ok) return decision;
  if (!admin) return { ok: false, code: 'admin_not_found' };
  const problem = loginProblem(input.login);
  if (problem) return { ok: false, code: problem === 'invalid' ? 'login_invalid' : 'login_reserved' };
  const badProfile = profileProblem(input);
  if (badProfile) return badProfile;
  const now = deps.clock.now();
  if (principal.kind === 'session' && !siteAdministrator) {
    if (!isEmailVerified(principal.user)) return { ok: false, code: 'email_unverified' };
    const rate = await deps.shared.rateLimiter.consume(`organization-create:${principal.user.id}`, ORGANIZATION_CREATIONS_PER_HOUR, now);
    if (rate.exceeded) return { ok: false, code: 'rate_limited', limit: rate.limit, resetAt: rate.resetAt };
  }
  try {
    const organization = await inTransaction(deps.db, async (trx) => {
      const created = await insertOrganization(trx, {
        login: input.login, name: orNull(input.name), description: orNull(input.description),
        adminUserId: admin.id, createdAt: now.toISOString(),
      });
      await recordSecurityEvent(trx, {
        userId: admin.id, kind: 'organization.created', organization: { id: created.owner.id, login: created.owner.login },
        context: { ...origin, actor: forSelf ? 'owner' : 'admin' }, at: now,
      });
      return created;
    });
    return { ok: true, organization };
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, code: 'login_taken' };
    throw error;
  }
}

/** An organization by login, in any letter case; undefined for a user's login or no one's. */
export function findOrganization(deps: Deps, login: string): Promise<Organization | undefined> {
  return findOrganizationByLogin(deps.db, login);
}

/** The user's organizations as the principal may see them: all to the user with `read:org`, the public ones to others. */
export function listOrganizationsVisibleTo(deps: Deps, principal: Principal, user: UserRow) {
  return listOrganizationsOfMember(deps.db, user.id, { publicOnly: !authorizeOwnMemberships(principal, user).ok });
}

/** Every organization the user belongs to, with their role: for the user themselves. */
export function listOrganizationsOfUser(deps: Deps, user: UserRow) {
  return listOrganizationsOfMember(deps.db, user.id, { publicOnly: false });
}

/** The organizations where the user shows their membership: what anyone may see of them. */
export function listPublicOrganizationsOfUser(deps: Deps, user: UserRow) {
  return listOrganizationsOfMember(deps.db, user.id, { publicOnly: true });
}

export type UpdateProfileResult = { ok: true } | ({ ok: false } & Refusal) | ({ ok: false; code: 'invalid_profile' } & ProfileProblem);

/** Changes the display name and description (owners). */
export async function updateOrganization(
  deps: Deps,
  principal: Principal,
  organization: Organization,
  input: { name: string | null; description: string | null },
): Promise<UpdateProfileResult> {
  const decision = authorizeOrganization(principal, 'administer', await loadStanding(deps, principal, organization.owner));
  if (!decision.ok) return decision;
  const badProfile = profileProblem(input);
  if (badProfile) return badProfile;
  await updateOrganizationProfile(deps.db, organization.owner.id, {
    name: orNull(input.name), description: orNull(input.description), updatedAt: deps.clock.now().toISOString(),
  });
  return { ok: true };
}
