import type { TokenPrincipal } from '../../domain/principal.ts';
import type { RateLimitState } from '../../domain/shared-state.ts';
import type { Standing } from '../../domain/authorization.ts';
import type { RepositoryRow } from '../../store/database.ts';
import type { AppDeps } from '../app-deps.ts';

/** What every resolver of one request sees: who acts (always someone: GraphQL needs a credential) and what it cost. */
export interface GraphQLContext {
  deps: AppDeps;
  principal: TokenPrincipal;
  /** The request's standing in the `graphql` rate-limit window, after its own cost was counted. */
  rate: RateLimitState;
  cost: number;
  nodeCount: number;
  /** Each owner's repositories, read once per request however often a query asks for them (nested connections). */
  repositoriesByOwner: Map<number, Promise<{ repositories: RepositoryRow[]; standing: Standing }>>;
}
