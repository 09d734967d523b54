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
  createOrganization, type CreateOrganizationResult, findOrganization, MAX_PROFILE_LENGTHS,
  type Organization, type ProfileProblem, updateOrganization,
} from '../../domain/organizations.ts';
import type { Principal } from '../../domain/principal.ts';
import { listRepositoriesFor, loadStanding } from '../../domain/repository-access.ts';
import { requestChangeContext } from '../change-context.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import type { Translate } from '../../i18n/translator.ts';
import { field } from './form.ts';
import { noticeText, pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { formBody, keyOf, pageQuery, TEXT } from './web-input.ts';

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
function profileErrors(t: Translate, { field: name, problem }: ProfileProblem): Record<string, string> {
  return { [name]: t(`orgs:errors.profile.${name}.${problem}`, { count: MAX_PROFILE_LENGTHS[name] }) };
}

const NAME = { type: 'string', maxLength: 100 } as const;
export const organizationParams = { type: 'object', properties: { org: NAME }, required: ['org'] } as const;
/** The `?notice=` the settings page knows, each its key in orgs:settings.notices. */
const SETTINGS_NOTICES = { updated: 'orgs:settings.notices.updated' } as const;

function creationErrors(t: Translate, refusal: Exclude<CreateOrganizationResult, { ok: true }>, login: string): Record<string, string> {
  switch (refusal.code) {
    case 'login_invalid':
      return { login: t('orgs:errors.login_invalid') };
    case 'login_reserved':
    case 'login_taken':
      return { login: t('orgs:errors.login_taken', { login }) };
    case 'invalid_profile':
      return profileErrors(t, refusal);
    case 'email_unverified':
      return { account: t('orgs:errors.email_unverified') };
    case 'rate_limited':
      return { account: t('orgs:errors.rate_limited', { count: refusal.limit }) };
    default:
      return { account: t('orgs:errors.forbidden') };
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
    renderPage(reply, 'organization-new', { title: pageText(reply.request).t('orgs:new.title'), values, errors, baseUrl: deps.config.baseUrl });

  app.get('/organizations/new', async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    // Said before the form is filled in, not only after it is sent.
    return newPage(reply, {}, isEmailVerified(user) ? {} : creationErrors(pageText(request).t, { ok: false, code: 'email_unverified' }, ''));
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
      return newPage(reply.code(status), values, creationErrors(pageText(request).t, result, values.login));
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
    const { t } = pageText(request);
    return renderPage(reply, 'organization-settings', {
      title: t('orgs:settings.title', { login: view.organization.owner.login }), ...view, errors: {},
      values: { name: profile.name ?? '', description: profile.description ?? '' },
      notice: noticeText(t, SETTINGS_NOTICES, request.query.notice),
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
    const { t } = pageText(request);
    return renderPage(reply.code(422), 'organization-settings', {
      title: t('orgs:settings.title', { login: view.organization.owner.login }), ...view, values, errors: profileErrors(t, result),
    });
  });
}
