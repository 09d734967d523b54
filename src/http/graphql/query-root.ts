/** The fields of `Query` that Tessera answers; any other is named in an error by the schema's default resolver. */
import { findUserByName } from '../../domain/accounts.ts';
import { findUserByDatabaseId } from '../../domain/nodes.ts';
import { findRepositoryByIdFor } from '../../domain/repository-access.ts';
import type { GraphQLContext } from './context.ts';
import { gitHubError } from './errors.ts';
import { parseNodeId } from './node-ids.ts';
import { findRepositoryObject, repositoryObject } from './repositories.ts';
import { ownerObject, userObject } from './users.ts';
import { organizationObject } from './organizations.ts';
import { findOrganization } from '../../domain/organizations.ts';
import { findOwner } from '../../domain/owners.ts';
import { findOrganizationById } from '../../store/organization-store.ts';

type Args = Record<string, unknown>;

/** As GitHub: `nodes(ids:)` takes at most 100 ids, like a page of any connection. */
const MAX_NODE_IDS = 100;

async function nodeById(id: string, context: GraphQLContext) {
  const parsed = parseNodeId(id);
  if (parsed?.kind === 'User') {
    const user = await findUserByDatabaseId(context.deps, parsed.databaseId);
    if (user) return userObject(user, context);
  } else if (parsed?.kind === 'Organization') {
    const organization = await findOrganizationById(context.deps.db, parsed.databaseId);
    if (organization) return organizationObject(organization, context);
  } else if (parsed?.kind === 'Repository') {
    const access = await findRepositoryByIdFor(context.deps, context.principal, 'read', parsed.databaseId);
    if (access.ok) return repositoryObject(access, context);
  }
  throw gitHubError('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'`);
}

export function queryRoot(context: GraphQLContext) {
  return {
    viewer: () => userObject(context.principal.user, context),
    user: async ({ login }: Args) => {
      const user = await findUserByName(context.deps, String(login));
      if (!user) throw gitHubError('NOT_FOUND', `Could not resolve to a User with the login of '${String(login)}'.`);
      return userObject(user, context);
    },
    // GitHub answers null without an error for an unknown owner here.
    repositoryOwner: async ({ login }: Args) => {
      const owner = await findOwner(context.deps, String(login));
      return owner ? ownerObject(owner, context) : null;
    },
    organization: async ({ login }: Args) => {
      const organization = await findOrganization(context.deps, String(login));
      if (!organization) throw gitHubError('NOT_FOUND', `Could not resolve to an Organization with the login of '${String(login)}'.`);
      return organizationObject(organization, context);
    },
    repository: ({ owner, name }: Args) => findRepositoryObject(String(owner), String(name), context, { missingIsError: true }),
    node: ({ id }: Args) => nodeById(String(id), context),
    nodes: ({ ids }: Args) => {
      const list = ids as string[];
      if (list.length > MAX_NODE_IDS) throw gitHubError('EXCESSIVE_PAGINATION', `You may not ask for more than ${MAX_NODE_IDS} nodes at once; you asked for ${list.length}.`);
      return list.map((id) => nodeById(id, context));
    },
    rateLimit: () => ({
      __typename: 'RateLimit',
      limit: context.rate.limit,
      cost: context.cost,
      remaining: context.rate.remaining,
      used: context.rate.used,
      resetAt: context.rate.resetAt.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      nodeCount: context.nodeCount,
    }),
  };
}
