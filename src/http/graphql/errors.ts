/**
 * GraphQL errors in GitHub's shape: `{"type": "NOT_FOUND", "path": […], "locations": […], "message": …}`. The type
 * rides in `extensions.type` inside graphql-js and is lifted to the top when the answer is written, where GitHub's
 * clients (gh, Octokit's plugin-throttling) read it. An error that is no GraphQLError (a store failure, a bug) is
 * logged and answered without its message.
 */
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { hasScope, type Scope } from '../../domain/scopes.ts';

export type GitHubErrorType =
  | 'NOT_FOUND' | 'FORBIDDEN' | 'UNPROCESSABLE' | 'INSUFFICIENT_SCOPES' | 'RATE_LIMITED' | 'NOT_SERVED'
  | 'MISSING_PAGINATION_BOUNDARIES' | 'EXCESSIVE_PAGINATION' | 'MAX_NODE_LIMIT_EXCEEDED' | 'MAX_DEPTH_EXCEEDED'
  | 'MAX_SELECTIONS_EXCEEDED' | 'INVALID_CURSOR_ARGUMENTS';

export interface GitHubFormattedError extends GraphQLFormattedError {
  type?: string;
}

export function gitHubError(type: GitHubErrorType, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } });
}

/** GitHub's words when a field needs a scope the token lacks (`scopes` grant it, any one of them). */
export function insufficientScopes(field: string, scopes: readonly Scope[], granted: readonly Scope[], baseUrl: string): GraphQLError {
  const list = (names: readonly string[]) => `[${names.map((name) => `'${name}'`).join(', ')}]`;
  return gitHubError('INSUFFICIENT_SCOPES', `Your token has not been granted the required scopes to execute this query. `
    + `The '${field}' field requires one of the following scopes: ${list(scopes)}, but your token has only been granted `
    + `the: ${list(granted)} scopes. Please modify your token's scopes at: ${baseUrl}/settings/tokens.`);
}

/** Throws INSUFFICIENT_SCOPES unless one of `scopes` (or a parent of one) was granted. */
export function requireAnyScope(field: string, scopes: readonly Scope[], granted: readonly Scope[], baseUrl: string): void {
  if (!scopes.some((scope) => hasScope(granted, scope))) throw insufficientScopes(field, scopes, granted, baseUrl);
}

export const UNEXPECTED_ERROR_MESSAGE = 'Something went wrong while executing your query. This may be the result of a timeout, or it could be a bug.';

export function formatError(error: GraphQLError, logUnexpected: (error: unknown) => void): GitHubFormattedError {
  const original = error.originalError;
  if (original && !(original instanceof GraphQLError)) {
    logUnexpected(original);
    return { message: UNEXPECTED_ERROR_MESSAGE, ...(error.path && { path: error.path }), ...(error.locations && { locations: error.locations }) };
  }
  const { extensions, ...rest } = error.toJSON();
  const { type, ...otherExtensions } = (extensions ?? {}) as { type?: string };
  return {
    ...(type && { type }),
    ...rest,
    ...(Object.keys(otherExtensions).length > 0 && { extensions: otherExtensions }),
  };
}
