import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { isEmailVerified } from '../../domain/accounts.ts';
import { authorizeRepository } from '../../domain/authorization.ts';
import { findOwner } from '../../domain/owners.ts';
import type { Principal } from '../../domain/principal.ts';
import { findRepositoryFor, listRepositoriesFor, type RepositoryAccess } from '../../domain/repository-access.ts';
import { createOwnRepository, type CreateRepositoryResult, deleteRepository } from '../../domain/repositories.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { field } from './form.ts';
import { renderPage } from './render.ts';
import { formBody, TEXT } from './web-input.ts';

interface RepositoryParams {
  owner: string;
  repo: string;
}

/** As long as the router takes a segment (Fastify's maxParamLength) and any name Tessera accepts. */
const NAME = { type: 'string', maxLength: 100 } as const;
const ownerParams = { type: 'object', properties: { owner: NAME }, required: ['owner'] } as const;
const repositoryParams = { type: 'object', properties: { owner: NAME, repo: NAME }, required: ['owner', 'repo'] } as const;

/** What the form says when the account may not create a repository now. */
function creationRefusal(refusal: Exclude<CreateRepositoryResult, { ok: true } | { code: 'invalid' }>): string {
  switch (refusal.code) {
    case 'authentication_required':
    case 'not_found':
    case 'forbidden':
    case 'missing_scope':
      return 'You may not create repositories for this account.';
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

  app.get('/new', async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    // Said before the form is filled in, not only after it is sent.
    const errors = isEmailVerified(user) ? {} : { account: creationRefusal({ ok: false, code: 'email_unverified' }) };
    return renderPage(reply, 'repository-new', { title: 'New repository', values: { visibility: 'private' }, errors });
  });

  app.post('/new', {
    ...csrf, schema: { body: formBody({ name: TEXT, description: TEXT, visibility: { type: 'string', enum: ['public', 'private'] } }) },
  }, async (request, reply) => {
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

  app.get<{ Params: { owner: string } }>('/:owner', { schema: { params: ownerParams } }, async (request, reply) => {
    const owner = await findOwner(deps, request.params.owner);
    if (!owner) return reply.callNotFound();
    const repositories = await listRepositoriesFor(deps, request.principal, owner);
    return renderPage(reply, 'repositories', { title: owner.login, owner, repositories, baseUrl: deps.config.baseUrl });
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
        `The name you typed does not match: type ${access.repository.name} exactly to delete this repository. Nothing was deleted.`);
    }
    await deleteRepository(deps, access.repository);
    return reply.redirect(`/${access.owner.login}`);
  });
}
