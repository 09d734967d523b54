import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { findUserByName, isEmailVerified } from '../../domain/accounts.ts';
import { listOrganizationsOfUser, listPublicOrganizationsOfUser } from '../../domain/organizations.ts';
import type { UserRow } from '../../store/database.ts';
import { loadOrganizationView, renderOrganizationPage } from './organization-pages.ts';
import { authorizeRepository } from '../../domain/authorization.ts';
import { findOwner } from '../../domain/owners.ts';
import type { Principal } from '../../domain/principal.ts';
import { findRepositoryFor, listRepositoriesFor, type RepositoryAccess } from '../../domain/repository-access.ts';
import { createRepository, type CreateRepositoryResult, deleteRepository, type RepositoryInputProblem } from '../../domain/repositories.ts';
import type { Translate } from '../../i18n/translator.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { field } from './form.ts';
import { pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { formBody, pageQuery, TEXT } from './web-input.ts';

interface RepositoryParams {
  owner: string;
  repo: string;
}

/** As long as the router takes a segment (Fastify's maxParamLength) and any name Tessera accepts. */
const NAME = { type: 'string', maxLength: 100 } as const;
const ownerParams = { type: 'object', properties: { owner: NAME }, required: ['owner'] } as const;
const repositoryParams = { type: 'object', properties: { owner: NAME, repo: NAME }, required: ['owner', 'repo'] } as const;

/** What the form says when the account may not create a repository now. */
function creationRefusal(t: Translate, refusal: Exclude<CreateRepositoryResult, { ok: true } | { code: 'invalid' }>): string {
  switch (refusal.code) {
    case 'authentication_required':
    case 'not_found':
    case 'forbidden':
    case 'missing_scope':
      return t('repositories:errors.forbidden');
    case 'sso_required':
      return t('repositories:errors.sso_required', { org: refusal.organization.login });
    case 'email_unverified':
      return t('repositories:errors.email_unverified');
    case 'quota_exceeded':
      return t('repositories:errors.quota_exceeded', { count: refusal.quota });
    case 'rate_limited':
      return t('repositories:errors.rate_limited', { count: refusal.limit });
  }
}

/** The form's field error for a name or description the domain refused. */
function fieldErrors(t: Translate, { field, problem }: RepositoryInputProblem, name: string): Record<string, string> {
  return { [field]: t(`repositories:errors.${field}.${problem}`, { name }) };
}

export function registerRepositoryPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = { preHandler: app.csrfProtection };

  /** The form, with the owners the user may choose: themselves and their organizations. */
  const newRepositoryPage = async (reply: FastifyReply, user: UserRow, values: Record<string, string>, errors: Record<string, string>) => {
    const owners = [user.username, ...(await listOrganizationsOfUser(deps, user)).map((organization) => organization.owner.login)];
    return renderPage(reply, 'repository-new', { title: pageText(reply.request).t('repositories:new.title'), owners, values, errors });
  };

  function renderRepositoryPage(reply: FastifyReply, principal: Principal, access: Extract<RepositoryAccess, { ok: true }>, deleteError?: string) {
    const fullName = `${access.owner.login}/${access.repository.name}`;
    return renderPage(reply, 'repository', {
      title: fullName,
      fullName,
      repository: access.repository,
      cloneUrl: `${deps.config.baseUrl}/${fullName}.git`,
      isOwner: authorizeRepository(principal, 'administer', access).ok,
      deleteError,
    });
  }

  app.get<{ Querystring: { owner?: string } }>('/new', { schema: { querystring: pageQuery({ owner: NAME }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    // Said before the form is filled in, not only after it is sent.
    const { t } = pageText(request);
    const errors: Record<string, string> = isEmailVerified(user) ? {} : { account: creationRefusal(t, { ok: false, code: 'email_unverified' }) };
    return newRepositoryPage(reply, user, { visibility: 'private', owner: request.query.owner ?? '' }, errors);
  });

  app.post('/new', {
    ...csrf, schema: { body: formBody({ owner: NAME, name: TEXT, description: TEXT, visibility: { type: 'string', enum: ['public', 'private'] } }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const values = {
      owner: field(request.body, 'owner').trim() || user.username,
      name: field(request.body, 'name').trim(),
      description: field(request.body, 'description').trim(),
      visibility: field(request.body, 'visibility') === 'public' ? 'public' : 'private',
    };
    const owner = await findOwner(deps, values.owner);
    const result: CreateRepositoryResult = owner
      ? await createRepository(deps, request.principal, owner, {
        name: values.name, description: values.description || null, private: values.visibility === 'private',
      })
      : { ok: false, code: 'not_found' };
    if (!result.ok) {
      const { t } = pageText(request);
      const errors = result.code === 'invalid' ? fieldErrors(t, result.problem, values.name) : { account: creationRefusal(t, result) };
      return newRepositoryPage(reply.code(result.code === 'invalid' ? 422 : 403), user, values, errors);
    }
    return reply.redirect(`/${owner!.login}/${result.repository.name}`);
  });

  app.get<{ Params: { owner: string } }>('/:owner', { schema: { params: ownerParams } }, async (request, reply) => {
    const owner = await findOwner(deps, request.params.owner);
    if (!owner) return reply.callNotFound();
    if (owner.kind === 'organization') {
      const view = await loadOrganizationView(deps, request.principal, owner.login);
      if (view) return renderOrganizationPage(reply, deps, request.principal, view);
    }
    const repositories = await listRepositoriesFor(deps, request.principal, owner);
    // The user's own organizations to themselves; to anyone else, those where they show their membership.
    const user = await findUserByName(deps, owner.login);
    const isSelf = request.webUser?.id === owner.id;
    const organizations = !user ? [] : isSelf ? await listOrganizationsOfUser(deps, user) : await listPublicOrganizationsOfUser(deps, user);
    return renderPage(reply, 'repositories', { title: owner.login, owner, repositories, organizations, baseUrl: deps.config.baseUrl });
  });

  app.get<{ Params: RepositoryParams }>('/:owner/:repo', { schema: { params: repositoryParams } }, async (request, reply) => {
    const access = await findRepositoryFor(deps, request.principal, 'read', request.params.owner, request.params.repo);
    if (!access.ok) return reply.callNotFound();
    return renderRepositoryPage(reply, request.principal, access);
  });

  app.post<{ Params: RepositoryParams }>('/:owner/:repo/delete', {
    ...csrf, schema: { params: repositoryParams, body: formBody({ confirm: TEXT }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const access = await findRepositoryFor(deps, request.principal, 'delete', request.params.owner, request.params.repo);
    if (!access.ok) return reply.callNotFound();
    if (field(request.body, 'confirm') !== access.repository.name) {
      return renderRepositoryPage(reply.code(422), request.principal, access,
        pageText(request).t('repositories:page.deleteMismatch', { name: access.repository.name }));
    }
    await deleteRepository(deps, access.repository);
    return reply.redirect(`/${access.owner.login}`);
  });
}
