/**
 * Owners changing memberships through the API, as on GitHub: `PUT /orgs/{org}/memberships/{username}` adds a user
 * (at once: Tessera has no invitations) or changes their role, `DELETE` removes them (or, for one's own membership,
 * leaves). Both need `write:org` ("Read and write org and team membership"); the last owner always stays.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { sendApiError } from '../api-error.ts';
import { organizationMembershipJson } from '../json/organization-json.ts';
import { addMember, findMembership, type AddMemberResult, removeMember, setRole } from '../../../domain/organization-members.ts';
import { findOrganization } from '../../../domain/organizations.ts';
import type { OrganizationRole } from '../../../store/database.ts';
import { requestChangeContext } from '../../change-context.ts';

const membershipParams = {
  type: 'object',
  properties: { org: { type: 'string', maxLength: 100 }, username: { type: 'string', maxLength: 100 } },
  required: ['org', 'username'],
} as const;

interface MembershipParams {
  org: string;
  username: string;
}

function sendMembershipRefusal(reply: FastifyReply, refusal: Exclude<AddMemberResult, { ok: true }>, organization: string) {
  switch (refusal.code) {
    case 'forbidden':
      return sendApiError(reply, 403, `You must be an owner of ${organization} to change its memberships.`);
    case 'last_admin':
      return sendApiError(reply, 422, `This is the last owner of ${organization}: make another member an owner first.`);
    default:
      return sendApiError(reply, 404, 'Not Found');
  }
}

export function registerOrganizationMembershipChangeRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.put<{ Params: MembershipParams; Body: { role?: OrganizationRole } | undefined }>('/orgs/:org/memberships/:username', {
    config: { requiresAuthentication: true, requiredScope: 'write:org' },
    schema: {
      params: membershipParams,
      body: { type: ['object', 'null'], properties: { role: { type: 'string', enum: ['admin', 'member'] } } },
    },
  }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    const role = request.body?.role ?? 'member';
    const origin = requestChangeContext(request);
    const added = await addMember(deps, request.principal, organization, request.params.username, role, origin);
    const result = !added.ok && added.code === 'already_member'
      ? await setRole(deps, request.principal, organization, request.params.username, role, origin)
      : added;
    if (!result.ok) return sendMembershipRefusal(reply, result, organization.owner.login);
    const found = await findMembership(deps, request.principal, organization, request.params.username);
    if (!found.ok) return sendApiError(reply, 404, 'Not Found');
    return organizationMembershipJson(organization, found.user, found.membership, deps.config.baseUrl);
  });

  app.delete<{ Params: MembershipParams }>('/orgs/:org/memberships/:username', {
    config: { requiresAuthentication: true, requiredScope: 'write:org' },
    schema: { params: membershipParams },
  }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    const result = await removeMember(deps, request.principal, organization, request.params.username, requestChangeContext(request));
    if (!result.ok) return sendMembershipRefusal(reply, result, organization.owner.login);
    return reply.code(204).send();
  });
}
