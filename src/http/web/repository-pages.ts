import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import {
  type Actor, createRepository, type CreateRepositoryResult, deleteRepository, findReadableRepository, isRepositoryOwner, listRepositoriesOf,
  type LocatedRepository, sessionActor,
} from '../../domain/repositories.ts';
import { findUserByName, isEmailVerified } from '../../domain/accounts.ts';
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
  const actorOf = (request: FastifyRequest) => (request.webUser ? sessionActor(request.webUser) : undefined);

  function renderRepositoryPage(reply: FastifyReply, found: LocatedRepository, actor: Actor | undefined, deleteError?: string) {
    const fullName = `${found.owner.username}/${found.repository.name}`;
    return renderPage(reply, 'repository', {
      title: fullName,
      fullName,
      repository: found.repository,
      cloneUrl: `${deps.config.baseUrl}/${fullName}.git`,
      isOwner: isRepositoryOwner(actor, found.repository),
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
    const result = await createRepository(deps, user, {
      name: values.name, description: values.description || null, private: values.visibility === 'private',
    });
    if (!result.ok) {
      const errors = result.code === 'invalid' ? result.errors : { account: creationRefusal(result) };
      return renderPage(reply.code(result.code === 'invalid' ? 422 : 403), 'repository-new', { title: 'New repository', values, errors });
    }
    return reply.redirect(`/${user.username}/${result.repository.name}`);
  });

  app.get<{ Params: { owner: string } }>('/:owner', { schema: { params: ownerParams } }, async (request, reply) => {
    const owner = await findUserByName(deps, request.params.owner);
    if (!owner) return reply.callNotFound();
    const repositories = await listRepositoriesOf(deps, actorOf(request), owner);
    return renderPage(reply, 'repositories', { title: owner.username, owner, repositories, baseUrl: deps.config.baseUrl });
  });

  app.get<{ Params: RepositoryParams }>('/:owner/:repo', { schema: { params: repositoryParams } }, async (request, reply) => {
    const actor = actorOf(request);
    const found = await findReadableRepository(deps, actor, request.params.owner, request.params.repo);
    if (!found) return reply.callNotFound();
    return renderRepositoryPage(reply, found, actor);
  });

  app.post<{ Params: RepositoryParams }>('/:owner/:repo/delete', {
    ...csrf, schema: { params: repositoryParams, body: formBody({ confirm: TEXT }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const actor = sessionActor(user);
    const found = await findReadableRepository(deps, actor, request.params.owner, request.params.repo);
    if (!found || !isRepositoryOwner(actor, found.repository)) return reply.callNotFound();
    if (field(request.body, 'confirm') !== found.repository.name) {
      return renderRepositoryPage(reply.code(422), found, actor,
        `The name you typed does not match: type ${found.repository.name} exactly to delete this repository. Nothing was deleted.`);
    }
    await deleteRepository(deps, found.repository);
    return reply.redirect(`/${user.username}`);
  });
}
