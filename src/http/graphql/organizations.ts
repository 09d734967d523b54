/**
 * Organization objects as GitHub's schema describes them, for `organization(login:)`, `repositoryOwner`, a
 * repository's owner and `node(id:)`. Members are listed as on REST: all of them to a member acting with `read:org`,
 * the public ones to anyone else.
 */
import { authorizeOrganization } from '../../domain/authorization.ts';
import { listMembers } from '../../domain/organization-members.ts';
import { listOrganizationsVisibleTo, type Organization } from '../../domain/organizations.ts';
import { loadStanding } from '../../domain/repository-access.ts';
import type { UserRow } from '../../store/database.ts';
import { isoSeconds } from '../api/github-json.ts';
import { avatarUrl } from '../api/json/user-json.ts';
import { connectionOf, type ConnectionArguments, emptyConnection, selectSlice } from './connection.ts';
import type { GraphQLContext } from './context.ts';
import { gitHubError } from './errors.ts';
import { nodeId } from './node-ids.ts';
import { findRepositoryObject, repositoriesConnection } from './repositories.ts';
import { userObject } from './users.ts';

function slice(total: number, args: ConnectionArguments) {
  const selected = selectSlice(total, args);
  if (!selected.ok) throw gitHubError('INVALID_CURSOR_ARGUMENTS', `\`${selected.cursor}\` does not appear to be a valid cursor.`);
  return selected;
}

export async function organizationObject(organization: Organization, context: GraphQLContext) {
  const { owner, profile } = organization;
  const baseUrl = context.deps.config.baseUrl;
  const standing = await loadStanding(context.deps, context.principal, owner);
  return {
    __typename: 'Organization',
    id: nodeId('Organization', owner.id),
    databaseId: owner.id,
    login: owner.login,
    name: profile.name,
    description: profile.description,
    url: `${baseUrl}/${owner.login}`,
    resourcePath: `/${owner.login}`,
    avatarUrl: avatarUrl(baseUrl, owner),
    createdAt: isoSeconds(owner.created_at),
    updatedAt: isoSeconds(profile.updated_at),
    email: null,
    location: null,
    websiteUrl: null,
    twitterUsername: null,
    isVerified: false,
    requiresTwoFactorAuthentication: false,
    viewerIsAMember: standing.relation !== 'none',
    viewerCanAdminister: authorizeOrganization(context.principal, 'administer', standing).ok,
    viewerCanCreateRepositories: standing.relation !== 'none',
    viewerCanCreateTeams: false,
    viewerCanCreateProjects: false,
    teams: emptyConnection,
    projectsV2: emptyConnection,
    repositories: (args: Record<string, unknown>) => repositoriesConnection(owner, args, context),
    repository: (args: Record<string, unknown>) => findRepositoryObject(owner.login, String(args.name), context, { missingIsError: false }),
    membersWithRole: async (args: ConnectionArguments) => {
      const { members } = await listMembers(context.deps, context.principal, organization);
      const connection = connectionOf(members, slice(members.length, args), (member) => member);
      return {
        ...connection,
        nodes: connection.nodes.map((member) => userObject(member.user, context)),
        edges: connection.edges.map(({ cursor, node: member }) => ({
          cursor, node: userObject(member.user, context), role: member.role === 'admin' ? 'ADMIN' : 'MEMBER', hasTwoFactorEnabled: null,
        })),
      };
    },
  };
}

/** `User.organizations`: all of the viewer's own with `read:org`, otherwise the public memberships. */
export async function organizationsOfUserConnection(user: UserRow, args: ConnectionArguments, context: GraphQLContext) {
  const organizations = await listOrganizationsVisibleTo(context.deps, context.principal, user);
  return connectionOf(organizations, slice(organizations.length, args), (organization) => organizationObject(organization, context));
}
