/**
 * The mutations Tessera answers: `createRepository`, for the viewer or (with `ownerId`) an organization they belong to,
 * with the scope REST's POST /user/repos needs (public_repo for a public repository, repo for a private one) and the
 * same domain call, so membership, quota, rate and verified-email rules hold.
 */
import { scopeToWrite } from '../../domain/authorization.ts';
import { createRepository, type CreateRepositoryResult, ownerOfUser } from '../../domain/repositories.ts';
import { hasScope, scopesGranting } from '../../domain/scopes.ts';
import type { GraphQLContext } from './context.ts';
import { SSO_REQUIRED_MESSAGE } from '../git/git-refusals.ts';
import { gitHubError, insufficientScopes } from './errors.ts';
import { parseNodeId } from './node-ids.ts';
import { loadStanding } from '../../domain/repository-access.ts';
import type { OwnerRow } from '../../store/database.ts';
import { findOrganizationById } from '../../store/organization-store.ts';
import { repositoryObject } from './repositories.ts';
import { repositoryProblemSentence } from '../../i18n/english-field-errors.ts';

interface CreateRepositoryInput {
  name: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  description?: string | null;
  ownerId?: string | null;
  teamId?: string | null;
  template?: boolean | null;
  clientMutationId?: string | null;
}

/** Longer descriptions are refused, as REST refuses them (its body schema allows 1000 characters). */
const MAX_DESCRIPTION_LENGTH = 1000;

function refusal(result: Exclude<CreateRepositoryResult, { ok: true }>, context: GraphQLContext) {
  switch (result.code) {
    case 'invalid':
      return gitHubError('UNPROCESSABLE', repositoryProblemSentence(result.problem));
    case 'email_unverified':
      return gitHubError('FORBIDDEN', `You must verify your email address before you can create repositories. Use the link we mailed you, or send a new one from ${context.deps.config.baseUrl}/settings/tokens`);
    case 'quota_exceeded':
      return gitHubError('FORBIDDEN', `You have reached the limit of ${result.quota} repositories for your account. Delete a repository to create another.`);
    case 'rate_limited':
      return gitHubError('FORBIDDEN', `You have exceeded a secondary rate limit: at most ${result.limit} repositories may be created in an hour. Please wait a few minutes before you try again.`);
    case 'sso_required':
      return gitHubError('FORBIDDEN', SSO_REQUIRED_MESSAGE);
    default:
      return permissionError(context);
  }
}

function permissionError(context: GraphQLContext) {
  return gitHubError('FORBIDDEN', `${context.principal.user.username} does not have the correct permissions to execute \`CreateRepository\``);
}

/** The owner `ownerId` names: the viewer themselves (also when absent), or an organization (membership is checked later). */
async function ownerNamed(ownerId: string | null | undefined, context: GraphQLContext): Promise<OwnerRow> {
  const user = context.principal.user;
  if (ownerId == null) return ownerOfUser(user);
  const node = parseNodeId(ownerId);
  if (node?.kind === 'User' && node.databaseId === user.id) return ownerOfUser(user);
  const organization = node?.kind === 'Organization' ? await findOrganizationById(context.deps.db, node.databaseId) : undefined;
  if (!organization) throw permissionError(context);
  return organization.owner;
}

export function mutationRoot(context: GraphQLContext) {
  return {
    createRepository: async ({ input }: { input: CreateRepositoryInput }) => {
      const { principal: actor, deps } = context;
      const isPrivate = input.visibility !== 'PUBLIC';
      const needed = scopeToWrite({ private: isPrivate });
      if (!hasScope(actor.scopes, needed)) {
        throw insufficientScopes('createRepository', scopesGranting(needed), actor.scopes, deps.config.baseUrl);
      }
      if (input.visibility === 'INTERNAL') throw gitHubError('UNPROCESSABLE', 'Only organizations can have internal repositories.');
      if (input.teamId != null || input.template) throw gitHubError('UNPROCESSABLE', 'Teams and template repositories are not served by Tessera yet.');
      const owner = await ownerNamed(input.ownerId, context);
      if ((input.description ?? '').length > MAX_DESCRIPTION_LENGTH) {
        throw gitHubError('UNPROCESSABLE', `description is too long (maximum is ${MAX_DESCRIPTION_LENGTH} characters)`);
      }
      const result = await createRepository(deps, actor, owner, {
        name: input.name, private: isPrivate, description: input.description || null,
      });
      if (!result.ok) throw refusal(result, context);
      const standing = await loadStanding(deps, actor, owner);
      return {
        __typename: 'CreateRepositoryPayload',
        clientMutationId: input.clientMutationId ?? null,
        repository: repositoryObject({ repository: result.repository, owner, standing }, context),
      };
    },
  };
}
