/**
 * Organization pages: the form that creates one (`/organizations/new`), its page at `/{org}` (repositories: public
 * ones to anyone, private ones to members; members: public ones to anyone, all to members) and its settings
 * (`/orgs/{org}/settings`, owners only; a 404 to anyone else, as GitHub answers). People: organization-people-pages.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { isEmailVerified } from '../../domain/accounts.ts';
import { authorizeOrganization, type Standing } from '../../domain/authorization.ts';
import { listMembers } from '../../domain/organization-members.ts';
import {
  createOrganization, type CreateOrganizationResult, findOrganization, type Organization, type ProfileProblem, profileProblemError,
  updateOrganization,
} from '../../domain/organizations.ts';
import type { Principal } from '../../domain/principal.ts';
import { listRepositoriesFor, loadStanding } from '../../domain/repository-access.ts';
import { requestChangeContext } from '../change-context.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { field } from './form.ts';
import { renderPage } from './render.ts';
import { formBody, keyOf, lookUp, pageQuery, TEXT } from './web-input.ts';

export interface OrganizationView {
  organization: Organization;
  standing: Standing;
  isMember: boolean;
  isAdmin: boolean;
}

/** The organization by login and what the principal is to it, or undefined when there is none. */
export async function loadOrganizationView(deps: AppDeps, principal: Principal, login: string): Promise<OrganizationView | undefined> {
  const organization = await findOrganization(deps, login);
  if (!organization) return undefined;
  const standing = await loadStanding(deps, principal, organization.owner);
  return {
    organization,
    standing,
    isMember: standing.relation !== 'none',
    isAdmin: authorizeOrganization(principal, 'administer', standing).ok,
  };
}

/** The page's field for a profile problem, and what to say about it. */
function profileErrors(problem: ProfileProblem): Record<string, string> {
  return { [problem.field]: profileProblemError(problem, problem.field === 'name' ? 'Display name' : 'Description') };
}

const NAME = { type: 'string', maxLength: 100 } as const;
export const organizationParams = { type: 'object', properties: { org: NAME }, required: ['org'] } as const;
const SETTINGS_NOTICES = { updated: 'Profile updated.' } as const;

function creationErrors(refusal: Exclude<CreateOrganizationResult, { ok: true }>, login: string): Record<string, string> {
  switch (refusal.code) {
    case 'login_invalid':
      return { login: 'Organization name may only contain letters, digits and single hyphens, cannot begin or end with a hyphen, and is at most 39 characters.' };
    case 'login_reserved':
    case 'login_taken':
      return { login: `The name ${login} is not available: a user or an organization has it already. Choose another.` };
    case 'invalid_profile':
      return profileErrors(refusal);
    case 'email_unverified':
      return { account: 'Verify your email address before you create an organization: use the link we mailed you, or send a new one from Settings › Personal access tokens.' };
    case 'rate_limited':
      return { account: `You have created ${refusal.limit} organizations in the last hour, the most allowed. Please try again later.` };
    default:
      return { account: 'You may not create this organization.' };
  }
}

/** `/{org}`: the organization's repositories and members, as the principal may see them. */
export async function renderOrganizationPage(reply: FastifyReply, deps: AppDeps, principal: Principal, view: OrganizationView) {
  const { organization } = view;
  const repositories = await listRepositoriesFor(deps, principal, organization.owner);
  const { members } = await listMembers(deps, principal, organization);
  return renderPage(reply, 'organization', { title: organization.owner.login, ...view, repositories, members });
}

export function registerOrganizationPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = { preHandler: app.csrfProtection };
  const newPage = (reply: FastifyReply, values: Record<string, string>, errors: Record<string, string>) =>
    renderPage(reply, 'organization-new', { title: 'New organization', values, errors, baseUrl: deps.config.baseUrl });

  app.get('/organizations/new', async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    // Said before the form is filled in, not only after it is sent.
    return newPage(reply, {}, isEmailVerified(user) ? {} : creationErrors({ ok: false, code: 'email_unverified' }, ''));
  });

  app.post('/organizations/new', { ...csrf, schema: { body: formBody({ login: TEXT, name: TEXT, description: TEXT }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const values = {
      login: field(request.body, 'login').trim(), name: field(request.body, 'name').trim(), description: field(request.body, 'description').trim(),
    };
    const result = await createOrganization(deps, request.principal, { ...values, admin: user }, requestChangeContext(request));
    if (!result.ok) {
      const status = ['email_unverified', 'rate_limited', 'forbidden'].includes(result.code) ? 403 : 422;
      return newPage(reply.code(status), values, creationErrors(result, values.login));
    }
    return reply.redirect(`/${result.organization.owner.login}`);
  });

  app.get<{ Params: { org: string }; Querystring: { notice?: string } }>('/orgs/:org/settings', {
    schema: { params: organizationParams, querystring: pageQuery({ notice: keyOf(SETTINGS_NOTICES) }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const view = await loadOrganizationView(deps, request.principal, request.params.org);
    if (!view?.isAdmin) return reply.callNotFound();
    const { profile } = view.organization;
    return renderPage(reply, 'organization-settings', {
      title: `${view.organization.owner.login} settings`, ...view, errors: {},
      values: { name: profile.name ?? '', description: profile.description ?? '' },
      notice: lookUp(SETTINGS_NOTICES, request.query.notice),
    });
  });

  app.post<{ Params: { org: string } }>('/orgs/:org/settings', {
    ...csrf, schema: { params: organizationParams, body: formBody({ name: TEXT, description: TEXT }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const view = await loadOrganizationView(deps, request.principal, request.params.org);
    if (!view) return reply.callNotFound();
    const values = { name: field(request.body, 'name').trim(), description: field(request.body, 'description').trim() };
    const result = await updateOrganization(deps, request.principal, view.organization, values);
    if (result.ok) return reply.redirect(`/orgs/${view.organization.owner.login}/settings?notice=updated`);
    if (result.code !== 'invalid_profile') return reply.callNotFound();
    return renderPage(reply.code(422), 'organization-settings', {
      title: `${view.organization.owner.login} settings`, ...view, values, errors: profileErrors(result),
    });
  });
}
