/**
 * Parsed and validated query documents, kept by their text: clients send the same few queries again and again, and
 * validating against GitHub's large schema costs more than running them. Parsing stops at MAX_TOKENS, before the
 * validation rules (some quadratic in the number of fields) can be made to run long.
 */
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';

/** gh's largest queries have a few hundred tokens and the full introspection query about 300. */
export const MAX_TOKENS = 10_000;
const CACHE_ENTRIES = 200;
/** Longer texts are checked each time rather than kept, so the cache stays small. */
const CACHE_TEXT_LENGTH = 16 * 1024;

export type CheckedDocument = { ok: true; document: DocumentNode } | { ok: false; errors: readonly GraphQLError[] };

const cache = new Map<string, CheckedDocument>();

function check(schema: GraphQLSchema, text: string): CheckedDocument {
  let document: DocumentNode;
  try {
    document = parse(text, { maxTokens: MAX_TOKENS, noLocation: false });
  } catch (error) {
    if (error instanceof GraphQLError) return { ok: false, errors: [error] };
    throw error;
  }
  const errors = validate(schema, document);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, document };
}

export function checkedDocument(schema: GraphQLSchema, text: string): CheckedDocument {
  const cached = cache.get(text);
  if (cached) {
    // Most recently used last: Map keeps insertion order, so the first key is the one to drop.
    cache.delete(text);
    cache.set(text, cached);
    return cached;
  }
  const checked = check(schema, text);
  if (text.length <= CACHE_TEXT_LENGTH) {
    cache.set(text, checked);
    if (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return checked;
}
