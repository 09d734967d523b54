import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { isEmailVerified } from '../../domain/accounts.ts';
import { authorizeRepository } from '../../domain/authorization.ts';
import { findOwner } from '../../domain/owners.ts';
import { findRepositoryFor, listRepositoriesFor } from '../../domain/repository-access.ts';
import { createOwnRepository, type CreateRepositoryResult, deleteRepository } from '../../domain/repositories.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { field } from './form.ts';
import { renderPage } from './render.ts';

interface RepositoryParams {
  owner: string;
  repo: string;
}

/** What the form says when the account may not create a repository now. */
function creationRefusal(refusal: Exclude<CreateRepositoryResult, { ok: true } | { code: 'invalid' }>): string {
  switch (refusal.code) {
    case 'authentication_required':
    case 'not_found':
    case 'forbidden':
    case 'missing_scope':
      return 'You may not create repositories for this account.';
    case 'sso_required':
      return `${refusal.organization.login} requires SAML single sign-on: sign in at /orgs/${refusal.organization.login}/sso first, then try again.`;
    case 'email_unverified':
      return 'Verify your email address before you create repositories: use the link we mailed you, or send a new one from Settings › Personal access tokens.';
    case 'quota_exceeded':
      return `You have reached the limit of ${refusal.quota} repositories. Delete a repository to create another.`;
    case 'rate_limited':
      return `You have created ${refusal.limit} repositories in the last hour, the most allowed. Please try again later.`;
  }
}

export function registerRepositoryPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = { preHandler: app.csrfProtection };

  app.get('/new', async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    // Said before the form is filled in, not only after it is sent.
    const errors = isEmailVerified(user) ? {} : { account: creationRefusal({ ok: false, code: 'email_unverified' }) };
    return renderPage(reply, 'repository-new', { title: 'New repository', values: { visibility: 'private' }, errors });
  });

  app.post('/new', csrf, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const values = {
      name: field(request.body, 'name').trim(),
      description: field(request.body, 'description').trim(),
      visibility: field(request.body, 'visibility') === 'public' ? 'public' : 'private',
    };
    const result = await createOwnRepository(deps, user, {
      name: values.name, description: values.description || null, private: values.visibility === 'private',
    });
    if (!result.ok) {
      const errors = result.code === 'invalid' ? result.errors : { account: creationRefusal(result) };
      return renderPage(reply.code(result.code === 'invalid' ? 422 : 403), 'repository-new', { title: 'New repository', values, errors });
    }
    return reply.redirect(`/${user.username}/${result.repository.name}`);
  });

  app.get<{ Params: { owner: string } }>('/:owner', async (request, reply) => {
    const owner = await findOwner(deps, request.params.owner);
    if (!owner) return reply.callNotFound();
    const repositories = await listRepositoriesFor(deps, request.principal, owner);
    return renderPage(reply, 'repositories', { title: owner.login, owner, repositories, baseUrl: deps.config.baseUrl });
  });

  app.get<{ Params: RepositoryParams }>('/:owner/:repo', async (request, reply) => {
    const access = await findRepositoryFor(deps, request.principal, 'read', request.params.owner, request.params.repo);
    if (!access.ok) return reply.callNotFound();
    const fullName = `${access.owner.login}/${access.repository.name}`;
    return renderPage(reply, 'repository', {
      title: fullName,
      fullName,
      repository: access.repository,
      cloneUrl: `${deps.config.baseUrl}/${fullName}.git`,
      isOwner: authorizeRepository(request.principal, 'administer', access).ok,
    });
  });

  app.post<{ Params: RepositoryParams }>('/:owner/:repo/delete', csrf, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const access = await findRepositoryFor(deps, request.principal, 'delete', request.params.owner, request.params.repo);
    if (!access.ok) return reply.callNotFound();
    if (field(request.body, 'confirm') !== access.repository.name) {
      return reply.redirect(`/${access.owner.login}/${access.repository.name}?confirm=failed`);
    }
    await deleteRepository(deps, access.repository);
    return reply.redirect(`/${access.owner.login}`);
  });
}
