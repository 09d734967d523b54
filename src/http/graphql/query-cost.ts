/**
 * Bounds on what one query may ask, checked before anything runs, as GitHub documents them ("Rate limits and node
 * limits for the GraphQL API"): every connection needs `first` or `last` from 0 to 100; the possible nodes (each
 * connection's size times the sizes of the connections around it) may not pass 500,000; and the cost in points is
 * the number of page requests the query stands for, divided by 100, at least 1. On top of that, and for the same
 * reason, a depth limit and a limit on the fields a query expands to (fragments spread into fragments multiply).
 */
import {
  getNamedType, GraphQLInt, isCompositeType, isInterfaceType, isObjectType, Kind, valueFromAST,
  type FieldNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLSchema, type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { GraphQLError } from 'graphql';
import { gitHubError } from './errors.ts';

export const MAX_PAGE_SIZE = 100;
export const MAX_NODES = 500_000;
/** Deeper than any client's query we know (gh's go to 6, the full introspection query to 13). */
export const MAX_DEPTH = 25;
/**
 * Field selections once fragments are spread (gh's largest queries have under 100, the full introspection query about
 * 80): a bound on the lookups one query can start (`a1: repository(…) a2: repository(…) …`), and on the walk itself.
 */
export const MAX_SELECTIONS = 2_000;

export type QueryCost = { ok: true; cost: number; nodeCount: number } | { ok: false; error: GraphQLError };

class Refusal extends Error {
  readonly error: GraphQLError;
  constructor(error: GraphQLError) {
    super(error.message);
    this.error = error;
  }
}

function pageSize(field: FieldNode, argument: 'first' | 'last', variables: Record<string, unknown>): number | undefined {
  const node = field.arguments?.find((candidate) => candidate.name.value === argument);
  if (!node) return undefined;
  const value = valueFromAST(node.value, GraphQLInt, variables) as unknown;
  return typeof value === 'number' ? value : undefined;
}

export function measureQuery(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
  variables: Record<string, unknown>,
): QueryCost {
  let nodeCount = 0;
  let requests = 0;
  let selections = 0;

  function selectsItems(selectionSet: SelectionSetNode, seen = new Set<string>()): boolean {
    return selectionSet.selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === 'nodes' || selection.name.value === 'edges';
      if (selection.kind === Kind.INLINE_FRAGMENT) return selectsItems(selection.selectionSet, seen);
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) return false;
      seen.add(fragment.name.value);
      return selectsItems(fragment.selectionSet, seen);
    });
  }

  function connectionSize(field: FieldNode, path: readonly string[]): number {
    const name = field.name.value;
    const first = pageSize(field, 'first', variables);
    const last = pageSize(field, 'last', variables);
    // GitHub lets `watchers { totalCount }` through: without nodes or edges nothing is paged (gh asks that way).
    if (first === undefined && last === undefined && !selectsItems(field.selectionSet!)) return 0;
    if (first === undefined && last === undefined) {
      throw new Refusal(gitHubError('MISSING_PAGINATION_BOUNDARIES', `You must provide a \`first\` or \`last\` value to properly paginate the \`${name}\` connection.`));
    }
    for (const [argument, value] of [['first', first], ['last', last]] as const) {
      if (value === undefined) continue;
      if (value > MAX_PAGE_SIZE) {
        throw new Refusal(gitHubError('EXCESSIVE_PAGINATION', `Requesting ${value} records on the \`${name}\` connection exceeds the \`${argument}\` limit of ${MAX_PAGE_SIZE} records.`));
      }
      if (value < 0) throw new Refusal(gitHubError('EXCESSIVE_PAGINATION', `\`${argument}\` on the \`${name}\` connection cannot be less than zero (at ${path.join('.')}).`));
    }
    return Math.max(first ?? 0, last ?? 0);
  }

  function walk(selectionSet: SelectionSetNode, parent: GraphQLCompositeType | undefined, multiplier: number, depth: number, path: readonly string[]): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD || selection.kind === Kind.INLINE_FRAGMENT) {
        const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments[selection.name.value] : selection;
        if (!fragment) continue; // Validation has already refused unknown fragments.
        const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : parent;
        walk(fragment.selectionSet, condition && isCompositeType(condition) ? condition : undefined, multiplier, depth, path);
        continue;
      }
      selections += 1;
      if (selections > MAX_SELECTIONS) {
        throw new Refusal(gitHubError('MAX_SELECTIONS_EXCEEDED', `This query selects more than ${MAX_SELECTIONS.toLocaleString('en-US')} fields once its fragments are spread.`));
      }
      if (depth + 1 > MAX_DEPTH) {
        throw new Refusal(gitHubError('MAX_DEPTH_EXCEEDED', `Query has a depth of more than ${MAX_DEPTH}, which exceeds the maximum depth of ${MAX_DEPTH}.`));
      }
      if (!selection.selectionSet) continue;
      const name = selection.name.value;
      const here = [...path, selection.alias?.value ?? name];
      // Introspection is cheap and bounded by the schema; only its depth counts.
      const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) && !name.startsWith('__')
        ? parent.getFields()[name] : undefined;
      const type = definition ? getNamedType(definition.type) : undefined;
      const isConnection = definition !== undefined && type !== undefined && type.name.endsWith('Connection')
        && definition.args.some((argument) => argument.name === 'first');
      let childMultiplier = multiplier;
      if (isConnection) {
        const size = connectionSize(selection, here);
        requests += multiplier;
        nodeCount += multiplier * size;
        childMultiplier = multiplier * size;
        if (nodeCount > MAX_NODES) {
          throw new Refusal(gitHubError('MAX_NODE_LIMIT_EXCEEDED', `By the time this query traverses to the ${name} connection, it is requesting up to ${nodeCount.toLocaleString('en-US')} possible nodes which exceeds the maximum limit of ${MAX_NODES.toLocaleString('en-US')}.`));
        }
      }
      walk(selection.selectionSet, type && isCompositeType(type) ? type : undefined, childMultiplier, depth + 1, here);
    }
  }

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'subscription' ? schema.getSubscriptionType() : schema.getQueryType();
  try {
    walk(operation.selectionSet, root ?? undefined, 1, 0, []);
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, error: error.error };
    throw error;
  }
  return { ok: true, cost: Math.max(1, Math.round(requests / 100)), nodeCount };
}
