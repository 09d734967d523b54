/**
 * Request bodies the way GitHub reads them: as JSON whatever the Content-Type says (GitHub's own examples use
 * `curl -d '{…}'`, which sends a form content type, or none), so a form-encoded body is refused as "Problems parsing
 * JSON". Bodies are validated without any type coercion (`{"name":5}` is refused, never taken for "5"), and a refusal
 * reads as GitHub's: `Invalid request.\n\nFor 'properties/name', 5 is not a string.` Query strings and path
 * parameters arrive as text, so those are still coerced to the numbers their schemas ask for.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifyInstance, FastifySchemaCompiler } from 'fastify';

const ajvOptions = { removeAdditional: true, useDefaults: true, allErrors: false, verbose: true, strict: false } as const;
const bodyAjv = new Ajv({ ...ajvOptions, coerceTypes: false });
const textAjv = new Ajv({ ...ajvOptions, coerceTypes: 'array' });

const compileSchema: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodyAjv : textAjv).compile(schema as object);

/** A value as GitHub's Ruby validator prints it: `5`, `"five"`, `nil`, `[1]`. */
function inspect(value: unknown): string {
  return value === null || value === undefined ? 'nil' : JSON.stringify(value);
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean', object: 'an object', array: 'an array', null: 'null',
};

/** One ajv error in GitHub's words. */
export function describeSchemaError(error: ErrorObject): string {
  const where = error.instancePath === '' ? 'type' : `properties${error.instancePath}`;
  switch (error.keyword) {
    case 'required':
      return `"${(error.params as { missingProperty: string }).missingProperty}" wasn't supplied.`;
    case 'type': {
      const types = ([] as string[]).concat((error.params as { type: string | string[] }).type);
      return `For '${where}', ${inspect(error.data)} is not ${types.map((type) => TYPE_NAMES[type] ?? type).join(' or ')}.`;
    }
    case 'enum':
      return `For '${where}', ${inspect(error.data)} is not a member of ${JSON.stringify((error.params as { allowedValues: unknown[] }).allowedValues)}.`;
    default:
      return `For '${where}', ${inspect(error.data)} ${error.message ?? 'is not valid'}.`;
  }
}

export function registerApiBodies(app: FastifyInstance): void {
  // Clients (curl scripts, some SDKs) send a content type on a DELETE with no body; GitHub takes that as no body,
  // so do we. Anything else goes to Fastify's own JSON parser (prototype-poisoning safe), which answers an empty
  // POST or PATCH body, or a form, with "Problems parsing JSON".
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded']);
  for (const contentType of ['application/json', '*']) {
    app.addContentTypeParser(contentType, { parseAs: 'string' }, (request, body, done) => {
      if (body === '' && request.method === 'DELETE') return done(null, undefined);
      return parseJson(request, body as string, done);
    });
  }
  app.setValidatorCompiler(compileSchema);
  app.setSchemaErrorFormatter((errors) => new Error(describeSchemaError(errors[0]!)));
}
