import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OwnerRow } from '../../store/database.ts';
import type { AppDeps } from '../app-deps.ts';
import { missingScopeMessage, setAcceptedScopes, tokenPrincipalOf } from '../plugins/api-authentication.ts';
import { sendApiError, sendCredentialError } from './api-error.ts';
import { sendSsoRequired } from './sso-headers.ts';
import { repositoryJson } from './github-json.ts';
import { pageOf, sendPage, type PageQuery } from './pagination.ts';
import { pageQuery, usernameParams } from './users.ts';
import { repositoryRights, scopeToWrite } from '../../domain/authorization.ts';
import { findOwner } from '../../domain/owners.ts';
import { ANONYMOUS } from '../../domain/principal.ts';
import { findRepositoryFor, listRepositoriesFor, loadStanding } from '../../domain/repository-access.ts';
import { createRepository, type CreateRepositoryResult, deleteRepository, ownerOfUser } from '../../domain/repositories.ts';
import { repositoryProblemSentence } from '../../i18n/english-field-errors.ts';

export const repositoryBodySchema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', maxLength: 200 },
    description: { type: ['string', 'null'], maxLength: 1000 },
    private: { type: 'boolean' },
    visibility: { type: 'string', enum: ['public', 'private'] },
  },
} as const;

const repositoryParams = {
  type: 'object',
  properties: { owner: { type: 'string', maxLength: 100 }, repo: { type: 'string', maxLength: 200 } },
  required: ['owner', 'repo'],
} as const;

interface RepositoryParams {
  owner: string;
  repo: string;
}

export interface CreateRepositoryBody {
  name: string;
  description?: string | null;
  private?: boolean;
  visibility?: 'public' | 'private';
}

/** GitHub's answers: 422 for a bad name, 403 for an account that may not create (more) repositories now. */
export function sendCreationRefusal(reply: FastifyReply, deps: AppDeps, refusal: Exclude<CreateRepositoryResult, { ok: true }>) {
  switch (refusal.code) {
    // GitHub answers 404 when a classic token lacks the scope to create a repository; the message names the scope,
    // as every other missing-scope answer does, so the user knows which token to make.
    case 'missing_scope':
      return sendCredentialError(reply, 404, missingScopeMessage(refusal.scope), { scope: refusal.scope });
    case 'not_found':
    case 'authentication_required':
      return sendApiError(reply, 404, 'Not Found');
    case 'sso_required':
      return sendSsoRequired(reply, deps, reply.request.principal, refusal.organization);
    case 'forbidden':
      return sendApiError(reply, 403, 'You do not have permission to create repositories for this account.');
    case 'invalid':
      return sendApiError(reply, 422, 'Repository creation failed.', {
        errors: [{ resource: 'Repository', code: 'custom', field: refusal.problem.field, message: repositoryProblemSentence(refusal.problem) }],
      });
    case 'email_unverified':
      return sendApiError(reply, 403, `You must verify your email address before you can create repositories. Use the link we mailed you, or send a new one from ${deps.config.baseUrl}/settings/tokens`);
    case 'quota_exceeded':
      return sendApiError(reply, 403, `You have reached the limit of ${refusal.quota} repositories for your account. Delete a repository to create another.`);
    case 'rate_limited':
      reply.header('Retry-After', Math.max(Math.ceil((refusal.resetAt.getTime() - deps.clock.now().getTime()) / 1000), 1));
      return sendApiError(reply, 403, `You have exceeded a secondary rate limit: at most ${refusal.limit} repositories may be created in an hour. Please wait a few minutes before you try again.`);
  }
}

/** Creates the repository a POST body describes for `owner` and answers 201 with it, or GitHub's refusal. */
export async function answerRepositoryCreation(
  request: FastifyRequest<{ Body: CreateRepositoryBody }>,
  reply: FastifyReply,
  deps: AppDeps,
  owner: OwnerRow,
) {
  const principal = tokenPrincipalOf(request);
  const isPrivate = request.body.private ?? request.body.visibility === 'private';
  setAcceptedScopes(reply, scopeToWrite({ private: isPrivate }));
  const result = await createRepository(deps, principal, owner, {
    name: request.body.name, private: isPrivate, description: request.body.description ?? null,
  });
  if (!result.ok) return sendCreationRefusal(reply, deps, result);
  const rights = repositoryRights(principal, await loadStanding(deps, principal, owner));
  return reply.code(201).send(repositoryJson(result.repository, owner, deps.config.baseUrl, rights));
}

/** A user's own repositories: theirs to administer. */
const OWN_RIGHTS = { admin: true, push: true };

export function registerRepositoryRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Querystring: PageQuery }>('/user/repos', {
    config: { requiresAuthentication: true }, schema: { querystring: pageQuery },
  }, async (request, reply) => {
    const principal = tokenPrincipalOf(request);
    const owner = ownerOfUser(principal.user);
    const repositories = await listRepositoriesFor(deps, principal, owner);
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), repositories)
      .map((repository) => repositoryJson(repository, owner, deps.config.baseUrl, OWN_RIGHTS));
  });

  // A user's public repositories, whoever asks ("Lists public repositories for the specified user"): private ones
  // are listed by GET /user/repos alone, so this answer never depends on the credential.
  app.get<{ Params: { username: string }; Querystring: PageQuery }>('/users/:username/repos', {
    schema: { params: usernameParams, querystring: pageQuery },
  }, async (request, reply) => {
    const owner = await findOwner(deps, request.params.username);
    if (!owner) return sendApiError(reply, 404, 'Not Found');
    const repositories = await listRepositoriesFor(deps, ANONYMOUS, owner);
    const rights = repositoryRights(request.principal, await loadStanding(deps, request.principal, owner));
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), repositories)
      .map((repository) => repositoryJson(repository, owner, deps.config.baseUrl, rights));
  });

  app.post<{ Body: CreateRepositoryBody }>('/user/repos', {
    // The handler checks the scope: public_repo for a public repository, repo for a private one.
    config: { requiresAuthentication: true, scopeCheckedByHandler: 'public_repo' },
    schema: { body: repositoryBodySchema },
  }, async (request, reply) => answerRepositoryCreation(request, reply, deps, ownerOfUser(tokenPrincipalOf(request).user)));

  app.get<{ Params: RepositoryParams }>('/repos/:owner/:repo', { schema: { params: repositoryParams } }, async (request, reply) => {
    // As on GitHub: `repo` is what reads a private repository, said whether or not this one exists or is hidden.
    if (request.principal.kind !== 'anonymous') setAcceptedScopes(reply, 'repo');
    // A private repository the token may not read is absent, whatever the reason (GitHub's answer).
    const access = await findRepositoryFor(deps, request.principal, 'read', request.params.owner, request.params.repo);
    if (!access.ok && access.code === 'sso_required') return sendSsoRequired(reply, deps, request.principal, access.organization);
    if (!access.ok) return sendApiError(reply, 404, 'Not Found');
    reply.header('Last-Modified', new Date(access.repository.updated_at).toUTCString());
    return repositoryJson(access.repository, access.owner, deps.config.baseUrl, repositoryRights(request.principal, access.standing));
  });

  app.delete<{ Params: RepositoryParams }>('/repos/:owner/:repo', {
    config: { requiresAuthentication: true, requiredScope: 'delete_repo', missingScopeStatus: 403 },
    schema: { params: repositoryParams },
  }, async (request, reply) => {
    const access = await findRepositoryFor(deps, request.principal, 'delete', request.params.owner, request.params.repo);
    if (!access.ok) {
      if (access.code === 'sso_required') return sendSsoRequired(reply, deps, request.principal, access.organization);
      if (access.code === 'forbidden') return sendApiError(reply, 403, 'Must have admin rights to Repository.');
      if (access.code === 'missing_scope' && access.scope === 'delete_repo') return sendCredentialError(reply, 403, missingScopeMessage(access.scope), { scope: access.scope });
      return sendApiError(reply, 404, 'Not Found');
    }
    await deleteRepository(deps, access.repository);
    return reply.code(204).send();
  });
}
