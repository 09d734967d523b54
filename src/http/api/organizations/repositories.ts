/**
 * An organization's repositories: `GET /orgs/{org}/repos` (public ones to anyone; private ones too to a member
 * acting with `repo`) with GitHub's `type`, `sort` and `direction`, and `POST /orgs/{org}/repos` (any member;
 * `public_repo` or `repo` for a public repository, `repo` for a private one, as for a user's own).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { sendApiError } from '../api-error.ts';
import { repositoryJson } from '../github-json.ts';
import { pagedQuery, pageOf, sendPage, type PageQuery } from '../pagination.ts';
import { answerRepositoryCreation, type CreateRepositoryBody, repositoryBodySchema } from '../repositories.ts';
import { repositoryRights, ssoRefusal } from '../../../domain/authorization.ts';
import { findOrganization } from '../../../domain/organizations.ts';
import { listRepositoriesFor, loadStanding } from '../../../domain/repository-access.ts';
import type { OwnerRow, RepositoryRow } from '../../../store/database.ts';
import { organizationParams } from './organizations.ts';
import { setSsoPartialResults } from '../sso-headers.ts';

interface OrganizationRepositoriesQuery extends PageQuery {
  type?: 'all' | 'public' | 'private' | 'forks' | 'sources' | 'member' | 'internal';
  sort?: 'created' | 'updated' | 'pushed' | 'full_name';
  direction?: 'asc' | 'desc';
}

/** GitHub's `type`: Tessera has no forks and no internal repositories; every other kind is a source. */
function ofType(repository: RepositoryRow, type: NonNullable<OrganizationRepositoriesQuery['type']>): boolean {
  switch (type) {
    case 'public': return repository.private === 0;
    case 'private': return repository.private === 1;
    case 'forks':
    case 'internal': return false;
    default: return true;
  }
}

/** GitHub's order: `created` newest first unless told; `full_name` A to Z unless told. Pushes update `updated_at`. */
function ordered(repositories: RepositoryRow[], query: OrganizationRepositoriesQuery, owner: OwnerRow): RepositoryRow[] {
  const sort = query.sort ?? 'created';
  const direction = query.direction ?? (sort === 'full_name' ? 'asc' : 'desc');
  const key = (repository: RepositoryRow) => sort === 'full_name'
    ? `${owner.login_key}/${repository.name_key}`
    : `${sort === 'created' ? repository.created_at : repository.updated_at}#${String(repository.id).padStart(12, '0')}`;
  const sorted = [...repositories].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return direction === 'asc' ? sorted : sorted.reverse();
}

export function registerOrganizationRepositoryRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string }; Querystring: OrganizationRepositoriesQuery }>('/orgs/:org/repos', {
    schema: {
      params: organizationParams,
      querystring: pagedQuery({
        type: { type: 'string', enum: ['all', 'public', 'private', 'forks', 'sources', 'member', 'internal'] },
        sort: { type: 'string', enum: ['created', 'updated', 'pushed', 'full_name'] },
        direction: { type: 'string', enum: ['asc', 'desc'] },
      }),
    },
  }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    const { owner } = organization;
    const type = request.query.type ?? 'all';
    const repositories = (await listRepositoriesFor(deps, request.principal, owner)).filter((repository) => ofType(repository, type));
    const standing = await loadStanding(deps, request.principal, owner);
    const rights = repositoryRights(request.principal, standing);
    // Private repositories were left out for a token the organization's SAML keeps out: GitHub says so.
    if (ssoRefusal(request.principal, standing)) setSsoPartialResults(reply, [owner.id]);
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), ordered(repositories, request.query, owner))
      .map((repository) => repositoryJson(repository, owner, deps.config.baseUrl, rights));
  });

  app.post<{ Params: { org: string }; Body: CreateRepositoryBody }>('/orgs/:org/repos', {
    // The handler checks the scope: public_repo for a public repository, repo for a private one.
    config: { requiresAuthentication: true, scopeCheckedByHandler: 'public_repo' },
    schema: { params: organizationParams, body: repositoryBodySchema },
  }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    return answerRepositoryCreation(request, reply, deps, organization.owner);
  });
}
