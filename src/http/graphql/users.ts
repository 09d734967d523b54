/** User objects as GitHub's schema describes them, for the viewer and for anyone looked up by login or id. */
import { avatarUrl } from '../api/json/user-json.ts';
import { findUserByDatabaseId } from '../../domain/nodes.ts';
import { ownerOfUser } from '../../domain/repositories.ts';
import type { OwnerRow, UserRow } from '../../store/database.ts';
import { isoSeconds } from '../api/github-json.ts';
import type { GraphQLContext } from './context.ts';
import { emptyConnection } from './connection.ts';
import { requireAnyScope } from './errors.ts';
import { nodeId } from './node-ids.ts';
import { findRepositoryObject, repositoriesConnection } from './repositories.ts';
import { organizationObject, organizationsOfUserConnection } from './organizations.ts';
import { findOrganizationById } from '../../store/organization-store.ts';

/** GitHub: the viewer's email needs `user:email` or `read:user` (`user` grants both); others' is their public one. */
const EMAIL_SCOPES = ['user:email', 'read:user'];

export function userObject(user: UserRow, context: GraphQLContext) {
  const baseUrl = context.deps.config.baseUrl;
  const isViewer = context.principal.user.id === user.id;
  return {
    __typename: 'User',
    id: nodeId('User', user.id),
    databaseId: user.id,
    login: user.username,
    name: user.name,
    email: () => {
      if (!isViewer) return '';
      requireAnyScope('email', EMAIL_SCOPES, context.principal.scopes, baseUrl);
      return user.email;
    },
    url: `${baseUrl}/${user.username}`,
    resourcePath: `/${user.username}`,
    avatarUrl: avatarUrl(baseUrl, user),
    createdAt: isoSeconds(user.created_at),
    updatedAt: isoSeconds(user.updated_at),
    isViewer,
    isSiteAdmin: false,
    isHireable: false,
    isEmployee: false,
    isBountyHunter: false,
    isCampusExpert: false,
    isDeveloperProgramMember: false,
    isGitHubStar: false,
    bio: null,
    company: null,
    location: null,
    websiteUrl: null,
    twitterUsername: null,
    pronouns: null,
    status: null,
    followers: emptyConnection,
    following: emptyConnection,
    starredRepositories: emptyConnection,
    organizations: (args: Record<string, unknown>) => organizationsOfUserConnection(user, args, context),
    gists: emptyConnection,
    repositories: (args: Record<string, unknown>) => repositoriesConnection(ownerOfUser(user), args, context),
    repository: (args: Record<string, unknown>) => findRepositoryObject(user.username, String(args.name), context, { missingIsError: false }),
  };
}

/** A repository's owner: a user or an organization. */
export async function ownerObject(owner: OwnerRow, context: GraphQLContext) {
  if (owner.kind === 'user') {
    const user = await findUserByDatabaseId(context.deps, owner.id);
    return user && userObject(user, context);
  }
  const organization = await findOrganizationById(context.deps.db, owner.id);
  return organization && organizationObject(organization, context);
}
