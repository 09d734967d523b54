/**
 * `POST /api/graphql`, where GitHub Enterprise Server serves GraphQL (gh and Octokit derive it from the REST base URL).
 * A request is authenticated, parsed and validated against GitHub's schema, measured (query-cost.ts), charged its
 * cost in the `graphql` rate-limit window, then run. Errors in the query are answered 200 with `errors`, as GitHub
 * answers them; only refused credentials and unreadable bodies get another status.
 */
import type { FastifyInstance } from 'fastify';
import {
  execute, getOperationAST, getVariableValues, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type GraphQLSchema,
} from 'graphql';
import type { AppDeps } from '../app-deps.ts';
import { registerApiVersionCheck, registerCors } from '../plugins/api-protocol.ts';
import { registerApiSecurityHeaders } from '../plugins/security-headers.ts';
import type { TokenPrincipal } from '../../domain/principal.ts';
import { authenticateGraphQLRequest, graphqlRateLimitKey, setGraphQLRateLimitHeaders } from './authentication.ts';
import type { GraphQLContext } from './context.ts';
import { checkedDocument } from './documents.ts';
import { formatError, gitHubError } from './errors.ts';
import { mutationRoot } from './mutation-root.ts';
import { measureQuery } from './query-cost.ts';
import { queryRoot } from './query-root.ts';
import { githubSchema } from './schema.ts';

export const GRAPHQL_PATH = '/api/graphql';

interface GraphQLBody {
  query: string;
  variables?: Record<string, unknown> | string | null;
  operationName?: string | null;
}

const bodySchema = {
  type: 'object',
  required: ['query'],
  properties: {
    query: { type: 'string' },
    // Some clients send the variables as a JSON text; GitHub takes that too.
    variables: { anyOf: [{ type: 'object' }, { type: 'string' }, { type: 'null' }] },
    operationName: { type: ['string', 'null'], maxLength: 1000 },
  },
} as const;

/** Charges `points` to the window, one at a time (the port counts single requests); most queries cost 1. */
async function charge(deps: AppDeps, key: string, points: number) {
  const limit = deps.rateLimits.graphqlPointsPerHour;
  let state = await deps.shared.rateLimiter.consume(key, limit, deps.clock.now());
  for (let point = 1; point < points && !state.exceeded; point += 1) {
    state = await deps.shared.rateLimiter.consume(key, limit, deps.clock.now());
  }
  return state;
}

declare module 'fastify' {
  interface FastifyRequest {
    graphqlPrincipal: TokenPrincipal | undefined;
  }
}

/** The variables as an object; undefined when a JSON text does not hold one. */
function parseVariables(variables: GraphQLBody['variables']): Record<string, unknown> | null | undefined {
  if (typeof variables !== 'string') return variables ?? null;
  if (variables.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(variables);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

type Measured = { ok: true; cost: number; nodeCount: number } | { ok: false; errors: readonly GraphQLError[] };

/** The operation's cost, or why it may not run: variables that do not fit, or a limit of query-cost.ts passed. */
function measure(schema: GraphQLSchema, document: DocumentNode, variables: Record<string, unknown>, operationName: string | undefined): Measured {
  const operation = getOperationAST(document, operationName);
  // No such operation (or several and no name): execute says so, in graphql-js's words.
  if (!operation) return { ok: true, cost: 1, nodeCount: 0 };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables, { maxErrors: 10 });
  if (coerced.errors) return { ok: false, errors: coerced.errors };
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const measured = measureQuery(schema, operation, fragments, coerced.coerced);
  return measured.ok ? measured : { ok: false, errors: [measured.error] };
}

/** Registers the route in an encapsulated plugin: its body parsing and hooks stay its own. */
export async function registerGraphQLRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // GitHub reads the body as JSON whatever the Content-Type says (curl -d sends a form type); Fastify's own JSON
  // parser keeps prototype poisoning out and answers an unreadable body 400 "Problems parsing JSON".
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, body, done) => parseJson(request, body as string, done));
  app.decorateRequest('graphqlPrincipal', undefined);
  registerApiSecurityHeaders(app);
  registerCors(app);
  // Before the body is read: a request without a good credential gets its 401 whatever it sends.
  app.addHook('onRequest', async (request, reply) => {
    reply.header('Cache-Control', 'private, no-store');
    const principal = await authenticateGraphQLRequest(deps, request, reply);
    if (!principal) return reply;
    request.graphqlPrincipal = principal;
  });
  registerApiVersionCheck(app);
  // The route a browser's CORS preflight reaches; registerCors answers it (204) before authentication.
  app.options(GRAPHQL_PATH, async (_request, reply) => reply.code(204).send());

  app.post<{ Body: GraphQLBody }>(GRAPHQL_PATH, { schema: { body: bodySchema }, attachValidation: true }, async (request, reply) => {
    const principal = request.graphqlPrincipal!;
    if (request.validationError) {
      return { errors: [{ message: typeof request.body?.query === 'string' ? `Invalid request: ${request.validationError.message}` : 'A query attribute must be specified and must be a string.' }] };
    }
    const { schema } = githubSchema();
    const { query, operationName } = request.body;
    const variables = parseVariables(request.body.variables);
    if (variables === undefined) return { errors: [{ message: 'Variables are invalid JSON.' }] };
    const checked = checkedDocument(schema, query);
    const measured: Measured = checked.ok
      ? measure(schema, checked.document, variables ?? {}, operationName ?? undefined)
      : { ok: false, errors: checked.errors };

    // A refused query costs a point too, so sending broken ones is not free.
    const rate = await charge(deps, graphqlRateLimitKey(principal.user), measured.ok ? measured.cost : 1);
    if (rate.limit > 0) setGraphQLRateLimitHeaders(reply, rate, 'graphql');
    if (rate.exceeded) {
      // 200 with RATE_LIMITED, as GitHub answers it (Octokit's plugin-throttling reads exactly this).
      return { errors: [formatError(gitHubError('RATE_LIMITED', `API rate limit exceeded for user ID ${principal.user.id}.`), () => {})] };
    }
    if (!measured.ok || !checked.ok) return { errors: (measured.ok ? [] : measured.errors).map((error) => formatError(error, () => {})) };

    const { cost, nodeCount } = measured;
    const context: GraphQLContext = { deps, principal, rate, cost, nodeCount, repositoriesByOwner: new Map() };
    const result = await execute({
      schema,
      document: checked.document,
      rootValue: { ...queryRoot(context), ...mutationRoot(context) },
      contextValue: context,
      variableValues: variables ?? {},
      operationName: operationName ?? undefined,
    });
    const logUnexpected = (error: unknown) => request.log.error({ err: error }, 'GraphQL resolver failed');
    return {
      ...(result.errors && { errors: result.errors.map((error) => formatError(error, logUnexpected)) }),
      ...('data' in result && { data: result.data }),
    };
  });
}
