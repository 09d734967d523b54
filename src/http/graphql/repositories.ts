/**
 * Repository objects and the `repositories` connection. Reading goes through domain/repositories.ts, so a private
 * repository appears only to its owner with `repo`, exactly as on REST; to anyone else it does not exist.
 */
import { repositoryRights, type Standing } from '../../domain/authorization.ts';
import { SSO_REQUIRED_MESSAGE } from '../git/git-refusals.ts';
import { findRepositoryFor, type LocatedRepository, listRepositoriesFor, loadStanding } from '../../domain/repository-access.ts';
import type { OwnerRow, RepositoryRow } from '../../store/database.ts';
import { isoSeconds } from '../api/github-json.ts';
import { connectionOf, emptyConnection, selectSlice, type ConnectionArguments } from './connection.ts';
import type { GraphQLContext } from './context.ts';
import { gitHubError } from './errors.ts';
import { nodeId } from './node-ids.ts';
import { ownerObject } from './users.ts';

/** Tessera has no forks, archives, templates, issues or wikis yet: GitHub's neutral values for those. */
const NEUTRAL_REPOSITORY_FIELDS = {
  isFork: false, isArchived: false, isTemplate: false, isMirror: false, isLocked: false, isDisabled: false,
  isSecurityPolicyEnabled: false, isUserConfigurationRepository: false,
  hasIssuesEnabled: false, hasWikiEnabled: false, hasProjectsEnabled: false, hasDiscussionsEnabled: false,
  mergeCommitAllowed: true, rebaseMergeAllowed: true, squashMergeAllowed: true, deleteBranchOnMerge: false,
  autoMergeAllowed: false, forkingAllowed: true, parent: null, templateRepository: null, mirrorUrl: null,
  homepageUrl: null, primaryLanguage: null, licenseInfo: null, codeOfConduct: null, lockReason: null,
  archivedAt: null, forkCount: 0, stargazerCount: 0, viewerHasStarred: false, viewerSubscription: 'UNSUBSCRIBED',
  issues: emptyConnection, pullRequests: emptyConnection, watchers: emptyConnection, stargazers: emptyConnection,
  forks: emptyConnection, labels: emptyConnection, milestones: emptyConnection, releases: emptyConnection,
  repositoryTopics: emptyConnection, languages: emptyConnection, latestRelease: null,
};

export function repositoryObject(
  { repository, owner, standing }: LocatedRepository & { standing: Standing },
  context: GraphQLContext,
) {
  const baseUrl = context.deps.config.baseUrl;
  const fullName = `${owner.login}/${repository.name}`;
  const rights = repositoryRights(context.principal, standing);
  return {
    ...NEUTRAL_REPOSITORY_FIELDS,
    __typename: 'Repository',
    id: nodeId('Repository', repository.id),
    databaseId: repository.id,
    name: repository.name,
    nameWithOwner: fullName,
    owner: () => ownerObject(owner, context),
    description: repository.description,
    url: `${baseUrl}/${fullName}`,
    resourcePath: `/${fullName}`,
    isPrivate: repository.private === 1,
    visibility: repository.private === 1 ? 'PRIVATE' : 'PUBLIC',
    createdAt: isoSeconds(repository.created_at),
    updatedAt: isoSeconds(repository.updated_at),
    // Tessera records no push time apart from the repository's update time.
    pushedAt: isoSeconds(repository.updated_at),
    defaultBranchRef: { __typename: 'Ref', name: 'main', prefix: 'refs/heads/' },
    isInOrganization: owner.kind === 'organization',
    viewerPermission: rights.admin ? 'ADMIN' : rights.push ? 'WRITE' : 'READ',
    viewerCanAdminister: rights.admin,
    viewerCanUpdateTopics: rights.admin,
    viewerDefaultMergeMethod: 'MERGE',
  };
}

/** OWNER/NAME if the viewer may read it; otherwise null, with GitHub's NOT_FOUND error where GitHub gives one. */
export async function findRepositoryObject(ownerLogin: string, name: string, context: GraphQLContext, options: { missingIsError: boolean }) {
  const access = await findRepositoryFor(context.deps, context.principal, 'read', ownerLogin, name);
  if (access.ok) return repositoryObject(access, context);
  // GitHub's GraphQL answers a token kept out by an organization's SAML single sign-on with FORBIDDEN, as REST does.
  if (access.code === 'sso_required') throw gitHubError('FORBIDDEN', SSO_REQUIRED_MESSAGE);
  if (!options.missingIsError) return null;
  throw gitHubError('NOT_FOUND', `Could not resolve to a Repository with the name '${ownerLogin}/${name}'.`);
}

interface RepositoriesArguments extends ConnectionArguments {
  privacy?: 'PUBLIC' | 'PRIVATE' | 'INTERNAL' | null;
  isFork?: boolean | null;
  ownerAffiliations?: readonly string[] | null;
  affiliations?: readonly string[] | null;
  orderBy?: { field: string; direction: 'ASC' | 'DESC' } | null;
}

const ORDER_KEYS: Record<string, (repository: RepositoryRow) => string | number> = {
  NAME: (repository) => repository.name_key,
  CREATED_AT: (repository) => repository.created_at,
  UPDATED_AT: (repository) => repository.updated_at,
  PUSHED_AT: (repository) => repository.updated_at,
  STARGAZERS: () => 0,
};

function ordered(repositories: RepositoryRow[], orderBy: RepositoriesArguments['orderBy']): RepositoryRow[] {
  const key = ORDER_KEYS[orderBy?.field ?? 'NAME'] ?? ORDER_KEYS.NAME!;
  const sign = orderBy?.direction === 'DESC' ? -1 : 1;
  // Ties (same time, no stars) fall back to the id, so pages never overlap or skip.
  return [...repositories].sort((a, b) => {
    const left = key(a);
    const right = key(b);
    return (left < right ? -sign : left > right ? sign : 0) || sign * (a.id - b.id);
  });
}

/** Only the owner's own repositories exist on Tessera: affiliations without OWNER list none. */
function keeps(args: RepositoriesArguments, repository: RepositoryRow): boolean {
  if (args.privacy === 'INTERNAL' || args.isFork === true) return false;
  if (args.privacy && (args.privacy === 'PRIVATE') !== (repository.private === 1)) return false;
  for (const affiliations of [args.ownerAffiliations, args.affiliations]) {
    if (affiliations && affiliations.length > 0 && !affiliations.includes('OWNER')) return false;
  }
  return true;
}

export async function repositoriesConnection(owner: OwnerRow, rawArgs: Record<string, unknown>, context: GraphQLContext) {
  const args = rawArgs as RepositoriesArguments;
  let listing = context.repositoriesByOwner.get(owner.id);
  if (!listing) {
    listing = Promise.all([listRepositoriesFor(context.deps, context.principal, owner), loadStanding(context.deps, context.principal, owner)])
      .then(([repositories, standing]) => ({ repositories, standing }));
    context.repositoriesByOwner.set(owner.id, listing);
  }
  const { repositories: readable, standing } = await listing;
  const repositories = ordered(readable.filter((repository) => keeps(args, repository)), args.orderBy);
  const slice = selectSlice(repositories.length, args);
  if (!slice.ok) throw gitHubError('INVALID_CURSOR_ARGUMENTS', `\`${slice.cursor}\` does not appear to be a valid cursor.`);
  return connectionOf(repositories, slice, (repository) => repositoryObject({ repository, owner, standing }, context));
}
