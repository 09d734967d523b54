/**
 * GitHub's own GraphQL schema (the `@octokit/graphql-schema` package), built once per process at the first GraphQL
 * request and shared by every app in it.
 *
 * The published SDL defines two fields of EnterpriseOwnerInfo twice, so graphql-js's SDL validation (and with it
 * mercurius, which builds through buildSchema) refuses it. It is built with `assumeValidSDL` (a repeated field keeps
 * its last definition) and then checked with validateSchema, which finds it sound (graphql-js would run that check at
 * the first query anyway). The whole build takes 0.1–0.2 s (bench/graphql-schema.ts), once, at the first request, so
 * neither `tessera serve`'s start nor the tests that never ask GraphQL pay it.
 *
 * Every field of every object type gets one resolver: a value the parent object carries under the field's name (a
 * function is called with the field's arguments), or else a GraphQL error naming the field. So a field Tessera has no
 * data for answers "Field 'Repository.issues' is not served by Tessera yet." in `errors`, never a crash.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  buildASTSchema, GraphQLError, GraphQLObjectType, parse, validateSchema, type GraphQLFieldResolver, type GraphQLResolveInfo, type GraphQLSchema,
} from 'graphql';

/** Beside the package's entry point, which is not imported: it would also parse the multi-megabyte JSON form. */
const SCHEMA_PATH = fileURLToPath(new URL('schema.graphql', import.meta.resolve('@octokit/graphql-schema')));

export interface SchemaBuild {
  schema: GraphQLSchema;
  /** How long reading, parsing and building took, for the record. */
  buildMs: number;
}

/** A field an object computes on demand, given the field's arguments. */
export type FieldFunction = (args: Record<string, unknown>, context: unknown, info: GraphQLResolveInfo) => unknown;

let built: SchemaBuild | undefined;

export function notServed(typeName: string, fieldName: string): GraphQLError {
  return new GraphQLError(`Field '${typeName}.${fieldName}' is not served by Tessera yet.`, {
    extensions: { type: 'NOT_SERVED' },
  });
}

function servedOrNamed(typeName: string, fieldName: string): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    if (source !== null && typeof source === 'object' && Object.hasOwn(source, fieldName)) {
      const value = (source as Record<string, unknown>)[fieldName];
      return typeof value === 'function' ? (value as FieldFunction)(args, context, info) : value;
    }
    throw notServed(typeName, fieldName);
  };
}

function attachResolvers(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) field.resolve = servedOrNamed(type.name, field.name);
  }
}

/** A fresh build (bench/graphql-schema.ts times it); the server uses githubSchema's one. */
export function buildGitHubSchema(): SchemaBuild {
  const started = performance.now();
  const schema = buildASTSchema(parse(readFileSync(SCHEMA_PATH, 'utf8'), { noLocation: true }), { assumeValidSDL: true });
  const problems = validateSchema(schema);
  if (problems.length > 0) throw new Error(`GitHub's GraphQL schema is invalid: ${problems[0]!.message}`);
  attachResolvers(schema);
  return { schema, buildMs: Math.round(performance.now() - started) };
}

export function githubSchema(): SchemaBuild {
  built ??= buildGitHubSchema();
  return built;
}

export { SCHEMA_PATH };
