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
import { requestChangeContext } from '../change-context.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { field } from './form.ts';
import { loadOrganizationView, type OrganizationView } from './organization-pages.ts';
import { renderPage } from './render.ts';

const NOTICES: Record<string, (username: string) => string> = {
  added: (username) => `Added ${username} to the organization.`,
  role: (username) => `Changed the role of ${username}.`,
  removed: (username) => `Removed ${username} from the organization.`,
  visibility: () => 'Changed the visibility of your membership.',
};

/** What went wrong, said to the person who tried. */
function refusalMessage(refusal: Exclude<AddMemberResult, { ok: true }>, username: string, organization: string): string {
  switch (refusal.code) {
    case 'user_not_found':
      return `There is no user named ${username}. Check the spelling of the username.`;
    case 'already_member':
      return `${username} is already ${refusal.role === 'admin' ? 'an owner' : 'a member'} of ${organization}. Change their role in the list below.`;
    case 'not_member':
      return `${username} is not a member of ${organization}.`;
    case 'last_admin':
      return `${username} is the last owner of ${organization}, which must keep one. Make another member an owner first.`;
    default:
      return `Only owners of ${organization} may change its members.`;
  }
}

type PeopleRequest = FastifyRequest<{ Params: { org: string; username?: string }; Querystring: { done?: string; user?: string } }>;

async function renderPeople(
  reply: FastifyReply, deps: AppDeps, request: PeopleRequest, view: OrganizationView, extra: { errors?: Record<string, string>; values?: Record<string, string> } = {},
) {
  const { members } = await listMembers(deps, request.principal, view.organization);
  const notice = request.query.done ? NOTICES[request.query.done]?.(request.query.user ?? '') : undefined;
  return renderPage(reply, 'organization-people', {
    title: `${view.organization.owner.login} people`, ...view, members, notice, errors: extra.errors ?? {}, values: extra.values ?? {},
  });
}

export function registerOrganizationPeoplePages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = { preHandler: app.csrfProtection };
  const params = {
    type: 'object',
    properties: { org: { type: 'string', maxLength: 100 }, username: { type: 'string', maxLength: 100 } },
    required: ['org'],
  } as const;

  app.get('/orgs/:org/people', { schema: { params } }, async (request: PeopleRequest, reply) => {
    const view = await loadOrganizationView(deps, request.principal, request.params.org);
    if (!view) return reply.callNotFound();
    return renderPeople(reply, deps, request, view);
  });

  /** Runs a change for a signed-in user, then redirects with a notice or shows the page again with the refusal. */
  const change = (
    url: string,
    run: (request: PeopleRequest, view: OrganizationView, username: string) => Promise<{ ok: true } | Exclude<AddMemberResult, { ok: true }>>,
    notice: keyof typeof NOTICES,
  ) => app.post(url, { ...csrf, schema: { params } }, async (request: PeopleRequest, reply) => {
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
    return renderPeople(reply.code(status), deps, request, view, { errors: { people: refusalMessage(result, username, login) }, values });
  });

  const roleOf = (request: PeopleRequest) => (field(request.body, 'role') === 'admin' ? 'admin' : 'member');
  change('/orgs/:org/people', (request, view, username) =>
    addMember(deps, request.principal, view.organization, username, roleOf(request), requestChangeContext(request)), 'added');
  change('/orgs/:org/people/:username/role', (request, view, username) =>
    setRole(deps, request.principal, view.organization, username, roleOf(request), requestChangeContext(request)), 'role');
  change('/orgs/:org/people/:username/remove', (request, view, username) =>
    removeMember(deps, request.principal, view.organization, username, requestChangeContext(request)), 'removed');
  change('/orgs/:org/people/:username/visibility', async (request, view, username) => {
    // Each member shows or conceals their own membership only.
    if (username.toLowerCase() !== request.webUser?.username_key) return { ok: false, code: 'forbidden' };
    return setOwnMembershipVisibility(deps, request.principal, view.organization, field(request.body, 'public') === '1');
  }, 'visibility');
}
