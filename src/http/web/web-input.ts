/**
 * What a page accepts, checked before any handler runs, for every route of the web context (registerWebInput):
 * - the query string: a route declares the parameters it reads with `pageQuery({...})`; one that declares none reads
 *   none, and whatever is sent is dropped;
 * - the body: a POST route declares its form fields with `formBody({...})` (which adds the CSRF field); one without
 *   stops the server at start-up, so a form can never reach a handler unchecked;
 * - path parameters: the route's own params schema; an address whose parameter fails it names no page (a 404 page,
 *   errors.ts), as `/settings/tokens/abc` does.
 * Undeclared fields are removed before the handler sees the request, so nothing unchecked can be used. A field of the
 * wrong type (a parameter given twice where one is expected, text where a number is) is refused with 400 and a
 * sentence that says which field and why, in the page's language. Bodies are forms only
 * (application/x-www-form-urlencoded, as browsers send them): JSON or text sent to a page gets 415, never a value of a
 * type the handler does not expect.
 */
import { Ajv, type ErrorObject } from 'ajv';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { type Translate, translatorFor } from '../../i18n/translator.ts';

/** Form values arrive as text; `coerceTypes: 'array'` makes a lone value of a repeatable field a list of one. */
const ajv = new Ajv({ removeAdditional: 'all', coerceTypes: 'array', useDefaults: true, allErrors: false, verbose: true, strict: false });

type Properties = Record<string, object>;

/** One value, as text. */
export const TEXT = { type: 'string' } as const;
/** A field a form may send several times (checkbox groups); a single value becomes a list of one. */
export const TEXT_LIST = { type: 'array', items: { type: 'string' } } as const;

/** One of the keys of a static table (the `?notice=` of a page): an own key, never an inherited one. */
export function keyOf(table: Readonly<Record<string, unknown>>) {
  return { type: 'string', enum: Object.keys(table) } as const;
}

export function pageQuery(properties: Properties) {
  return { type: 'object', properties } as const;
}

/** A form's fields, plus the CSRF token every form carries (plugins/csrf.ts reads it after validation). */
export function formBody(properties: Properties = {}, required: string[] = []) {
  return { type: 'object', properties: { _csrf: TEXT, ...properties }, required } as const;
}

const NO_QUERY = pageQuery({});
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function fieldName(error: ErrorObject): string {
  const path = error.instancePath.split('/').filter(Boolean);
  if (error.keyword === 'required') path.push((error.params as { missingProperty: string }).missingProperty);
  return path[0] ?? '';
}

/** The ajv error as words about the field (a key of errors.json's `input`), for the page that refuses the request. */
function describeProblem(t: Translate, error: ErrorObject): string {
  const field = fieldName(error);
  if (field === '') return t('errors:input.unreadable');
  const say = (problem: string) => t(`errors:input.${problem}`, { field });
  switch (error.keyword) {
    case 'type':
      if (Array.isArray(error.data)) return say('givenTwice');
      return say((error.params as { type: string }).type === 'integer' ? 'wholeNumber' : 'wrongForm');
    case 'enum':
      return say('unknownValue');
    case 'required':
      return say('missing');
    case 'maxLength':
    case 'maxItems':
      return say('tooLong');
    case 'minimum':
    case 'maximum':
      return say('outOfRange');
    default:
      return say('invalid');
  }
}

/** Why a page refused its address or form, in the reader's language (plugins/errors.ts passes the page's words). */
export function describeWebValidation(t: Translate, errors: readonly ErrorObject[], part: string): string {
  const problem = errors[0] ? describeProblem(t, errors[0]) : t('errors:input.unreadable');
  return t(part === 'body' ? 'errors:input.body' : 'errors:input.address', { problem });
}

export function registerWebInput(web: FastifyInstance): void {
  web.removeContentTypeParser(['application/json', 'text/plain']);
  web.setValidatorCompiler(({ schema }) => ajv.compile(schema as object));
  // In English for the log; the page says it again in its reader's language from error.validation (plugins/errors.ts).
  web.setSchemaErrorFormatter((errors, part) => new Error(describeWebValidation(translatorFor('en').t, errors as ErrorObject[], part)));
  web.addHook('onRoute', (route) => {
    const schema: FastifySchema = { ...route.schema };
    schema.querystring ??= NO_QUERY;
    const methods = [route.method].flat();
    if (methods.some((method) => BODY_METHODS.has(method)) && !schema.body) {
      throw new Error(`${methods.join(',')} ${route.url} takes a form: declare its fields with formBody() (src/http/web/web-input.ts)`);
    }
    route.schema = schema;
  });
}

/** `table[key]` for an own key of the table only: `constructor` or `__proto__` names nothing in a static table. */
export function lookUp<T>(table: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}
