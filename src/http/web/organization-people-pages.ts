/**
 * `/orgs/{org}/people`: the organization's members as the visitor may see them; owners add members by username with
 * a role, change roles and remove members; each member shows or conceals their own membership, or leaves. Every
 * change is a POST with the CSRF token, decided by organization-members.ts; success redirects back with a notice.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import {
  addMember, type AddMemberResult, listMembers, removeMember, setOwnMembershipVisibility, setRole,
} from '../../domain/organization-members.ts';
import type { Translate } from '../../i18n/translator.ts';
import { requestChangeContext } from '../change-context.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { field } from './form.ts';
import { loadOrganizationView, organizationParams, type OrganizationView } from './organization-pages.ts';
import { noticeText, pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { formBody, keyOf, pageQuery, TEXT } from './web-input.ts';

const NAME = { type: 'string', maxLength: 100 } as const;

/** The `?done=` notices, each its key in orgs:people.notices (the username, `?user=`, goes into it). */
const NOTICES = {
  added: 'orgs:people.notices.added',
  role: 'orgs:people.notices.role',
  removed: 'orgs:people.notices.removed',
  visibility: 'orgs:people.notices.visibility',
} as const;

/** What went wrong, said to the person who tried. */
function refusalMessage(t: Translate, refusal: Exclude<AddMemberResult, { ok: true }>, username: string, org: string): string {
  switch (refusal.code) {
    case 'user_not_found':
      return t('orgs:people.refusals.user_not_found', { username });
    case 'already_member':
      return t(refusal.role === 'admin' ? 'orgs:people.refusals.already_owner' : 'orgs:people.refusals.already_member', { username, org });
    case 'not_member':
      return t('orgs:people.refusals.not_member', { username, org });
    case 'last_admin':
      return t('orgs:people.refusals.last_admin', { username, org });
    default:
      return t('orgs:people.refusals.forbidden', { org });
  }
}

type PeopleRequest = FastifyRequest<{ Params: { org: string; username?: string }; Querystring: { done?: string; user?: string } }>;

async function renderPeople(
  reply: FastifyReply, deps: AppDeps, request: PeopleRequest, view: OrganizationView, extra: { errors?: Record<string, string>; values?: Record<string, string> } = {},
) {
  const { members } = await listMembers(deps, request.principal, view.organization);
  const { t } = pageText(request);
  return renderPage(reply, 'organization-people', {
    title: t('orgs:people.title', { login: view.organization.owner.login }), ...view, members,
    notice: noticeText(t, NOTICES, request.query.done, { username: request.query.user ?? '' }), errors: extra.errors ?? {}, values: extra.values ?? {},
  });
}

export function registerOrganizationPeoplePages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = { preHandler: app.csrfProtection };
  const params = { type: 'object', properties: { org: NAME, username: NAME }, required: ['org'] } as const;
  const ROLE = { type: 'string', enum: ['admin', 'member'] } as const;

  app.get('/orgs/:org/people', {
    schema: { params: organizationParams, querystring: pageQuery({ done: keyOf(NOTICES), user: NAME }) },
  }, async (request: PeopleRequest, reply) => {
    const view = await loadOrganizationView(deps, request.principal, request.params.org);
    if (!view) return reply.callNotFound();
    return renderPeople(reply, deps, request, view);
  });

  /** Runs a change for a signed-in user, then redirects with a notice or shows the page again with the refusal. */
  const change = (
    url: string,
    fields: Record<string, object>,
    run: (request: PeopleRequest, view: OrganizationView, username: string) => Promise<{ ok: true } | Exclude<AddMemberResult, { ok: true }>>,
    notice: keyof typeof NOTICES,
  ) => app.post(url, { ...csrf, schema: { params, body: formBody(fields) } }, async (request: PeopleRequest, reply) => {
    if (!requireWebUser(request, reply)) return reply;
    const view = await loadOrganizationView(deps, request.principal, request.params.org);
    if (!view) return reply.callNotFound();
    const username = request.params.username ?? field(request.body, 'username').trim();
    const result = await run(request, view, username);
    const login = view.organization.owner.login;
    if (result.ok) {
      // Someone who left no longer sees the people page's controls: back to the organization's page.
      const left = notice === 'removed' && username.toLowerCase() === request.webUser?.username_key;
      return reply.redirect(left ? `/${login}` : `/orgs/${login}/people?${new URLSearchParams({ done: notice, user: username })}`);
    }
    const status = result.code === 'forbidden' || result.code === 'authentication_required' ? 403 : 422;
    const values = { username: request.params.username ? '' : username, role: field(request.body, 'role') };
    return renderPeople(reply.code(status), deps, request, view, { errors: { people: refusalMessage(pageText(request).t, result, username, login) }, values });
  });

  const roleOf = (request: PeopleRequest) => (field(request.body, 'role') === 'admin' ? 'admin' : 'member');
  change('/orgs/:org/people', { username: TEXT, role: ROLE }, (request, view, username) =>
    addMember(deps, request.principal, view.organization, username, roleOf(request), requestChangeContext(request)), 'added');
  change('/orgs/:org/people/:username/role', { role: ROLE }, (request, view, username) =>
    setRole(deps, request.principal, view.organization, username, roleOf(request), requestChangeContext(request)), 'role');
  change('/orgs/:org/people/:username/remove', {}, (request, view, username) =>
    removeMember(deps, request.principal, view.organization, username, requestChangeContext(request)), 'removed');
  change('/orgs/:org/people/:username/visibility', { public: { type: 'string', enum: ['0', '1'] } }, async (request, view, username) => {
    // Each member shows or conceals their own membership only.
    if (username.toLowerCase() !== request.webUser?.username_key) return { ok: false, code: 'forbidden' };
    return setOwnMembershipVisibility(deps, request.principal, view.organization, field(request.body, 'public') === '1');
  }, 'visibility');
}
