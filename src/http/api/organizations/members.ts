/**
 * Organization members as GitHub lists them: `GET /orgs/{org}/members` (everyone to a member acting with
 * `read:org`, public members to anyone else), one membership (`GET /orgs/{org}/memberships/{username}`, for a member
 * of the organization or the user themselves) and the authenticated user's memberships (`GET /user/memberships/orgs`).
 * Both of the latter need `read:org` or higher.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { tokenPrincipalOf } from '../../plugins/api-authentication.ts';
import { sendApiError } from '../api-error.ts';
import { simpleUserJson } from '../github-json.ts';
import { organizationMembershipJson } from '../json/organization-json.ts';
import { pagedQuery, pageOf, sendPage, type PageQuery } from '../pagination.ts';
import { authorizeOrganization, ssoRefusal } from '../../../domain/authorization.ts';
import { findMembership, listMembers } from '../../../domain/organization-members.ts';
import { findOrganization, listOrganizationsOfUser } from '../../../domain/organizations.ts';
import type { OrganizationRole } from '../../../store/database.ts';
import { organizationParams } from './organizations.ts';
import { sendSsoRequired, setSsoPartialResults, withoutSsoWithheld } from '../sso-headers.ts';

interface MembersQuery extends PageQuery {
  role?: 'all' | OrganizationRole;
  filter?: 'all' | '2fa_disabled' | '2fa_insecure';
}

export function registerOrganizationMemberRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string }; Querystring: MembersQuery }>('/orgs/:org/members', {
    schema: {
      params: organizationParams,
      querystring: pagedQuery({
        role: { type: 'string', enum: ['all', 'admin', 'member'] },
        filter: { type: 'string', enum: ['all', '2fa_disabled', '2fa_insecure'] },
      }),
    },
  }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    const role = request.query.role === 'all' ? undefined : request.query.role;
    const { members, standing } = await listMembers(deps, request.principal, organization, { role });
    // A member's token the organization's SAML keeps out sees what anyone sees: its public members.
    if (ssoRefusal(request.principal, standing)) setSsoPartialResults(reply, [organization.owner.id]);
    const filter = request.query.filter ?? 'all';
    if (filter !== 'all' && !authorizeOrganization(request.principal, 'administer', standing).ok) {
      return sendApiError(reply, 422, 'Only owners can use this filter.');
    }
    // Tessera has no two-factor authentication: every member is "without 2FA", none has an insecure method.
    const listed = filter === '2fa_insecure' ? [] : members;
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), listed)
      .map((member) => simpleUserJson(member.user, deps.config.baseUrl));
  });

  app.get<{ Params: { org: string; username: string } }>('/orgs/:org/memberships/:username', {
    config: { requiresAuthentication: true, requiredScope: 'read:org' },
    schema: {
      params: {
        type: 'object',
        properties: { org: { type: 'string', maxLength: 100 }, username: { type: 'string', maxLength: 100 } },
        required: ['org', 'username'],
      },
    },
  }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    const found = await findMembership(deps, request.principal, organization, request.params.username);
    if (found.ok) return organizationMembershipJson(organization, found.user, found.membership, deps.config.baseUrl);
    if (found.code === 'sso_required') return sendSsoRequired(reply, deps, request.principal, found.organization);
    if (found.code === 'forbidden') {
      return sendApiError(reply, 403, `You must be a member of ${organization.owner.login} to see membership information for ${request.params.username}.`);
    }
    return sendApiError(reply, 404, 'Not Found');
  });

  app.get<{ Querystring: PageQuery & { state?: 'active' | 'pending' } }>('/user/memberships/orgs', {
    config: { requiresAuthentication: true, requiredScope: 'read:org' },
    schema: { querystring: pagedQuery({ state: { type: 'string', enum: ['active', 'pending'] } }) },
  }, async (request, reply) => {
    const { user } = tokenPrincipalOf(request);
    // Members are added directly: there are no pending invitations.
    const organizations = request.query.state === 'pending' ? [] : await withoutSsoWithheld(reply, deps, request.principal, await listOrganizationsOfUser(deps, user));
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), organizations)
      .map((organization) => organizationMembershipJson(organization, user, organization, deps.config.baseUrl));
  });
}
