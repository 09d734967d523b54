/**
 * GitHub's published REST description (the newest GitHub Enterprise Server one that `@octokit/openapi` ships,
 * dereferenced) as a contract: a recorded response is checked against the schema of its operation (found by path
 * template and method) and status, and a deviation is reported with the path of the first field that deviates.
 *
 * Statuses an operation does not document (GitHub documents the usual ones; a 401 for a bad credential or a 403 for
 * the rate limit can come from any endpoint) are checked against GitHub's generic "Basic Error". 204 and 304 must
 * have no body. The description is large (60+ MB): it is read once per test process, and only the schemas used are
 * compiled.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

export interface RecordedResponse {
  method: string;
  /** The path as requested, under /api/v3, with any query. */
  path: string;
  status: number;
  contentType: string;
  body: string;
}

interface Operation {
  template: string;
  pattern: RegExp;
  parameters: number;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

interface Description {
  info: { version: string };
  paths: Record<string, Record<string, Operation['responses'] extends infer R ? { responses: R } : never>>;
  components?: { schemas?: Record<string, object> };
}

const API_PREFIX = '/api/v3';

function newestGhesDescription(): { file: string; version: string } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@octokit/openapi/package.json')), 'generated');
  const versions = readdirSync(dir).map((name) => /^ghes-(\d+)\.(\d+)\.deref\.json$/.exec(name)).filter((match) => match !== null)
    .map((match) => ({ file: join(dir, match[0]), major: Number(match[1]), minor: Number(match[2]) }))
    .sort((a, b) => a.major - b.major || a.minor - b.minor);
  const newest = versions.at(-1);
  if (!newest) throw new Error(`no GHES description in ${dir}`);
  return { file: newest.file, version: `${newest.major}.${newest.minor}` };
}

/**
 * Which of GitHub's descriptions to check against: GitHub Enterprise Server's by default, or GitHub Enterprise Cloud's
 * for what only the cloud has (organizations' SAML single sign-on and its credential authorizations).
 */
export type DescriptionName = 'ghes' | 'ghec';

type LoadedDescription = { version: string; operations: Map<string, Operation[]>; basicError: object };
const loaded = new Map<DescriptionName, LoadedDescription>();

function ghecDescription(): { file: string; version: string } {
  const dir = join(dirname(createRequire(import.meta.url).resolve('@octokit/openapi/package.json')), 'generated');
  return { file: join(dir, 'ghec.deref.json'), version: 'ghec' };
}

function description(name: DescriptionName = 'ghes'): LoadedDescription {
  const cached = loaded.get(name);
  if (cached) return cached;
  const { file, version } = name === 'ghes' ? newestGhesDescription() : ghecDescription();
  const document = JSON.parse(readFileSync(file, 'utf8')) as Description;
  const operations = new Map<string, Operation[]>();
  for (const [template, methods] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
    for (const [method, operation] of Object.entries(methods)) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const list = operations.get(method.toUpperCase()) ?? [];
      list.push({ template, pattern, parameters: (template.match(/\{/g) ?? []).length, responses: operation.responses as Operation['responses'] });
      operations.set(method.toUpperCase(), list);
    }
  }
  const basicError = document.components?.schemas?.['basic-error']
    ?? Object.values(document.paths['/user']!.get!.responses['401']!.content!)[0]!.schema!;
  const result = { version, operations, basicError };
  loaded.set(name, result);
  return result;
}

const ajv = new Ajv({ strict: false, allErrors: false, logger: false });
(addFormatsModule as unknown as (instance: Ajv) => void)(ajv);
for (const format of ['int32', 'int64', 'uri-template', 'binary', 'repo.nwo', 'ssh-key', 'ssh-key fingerprint']) ajv.addFormat(format, true);
const compiled = new Map<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

export function descriptionVersion(): string {
  return description().version;
}

/** The operation's path template (`/users/{username}`), or undefined when GitHub's description has no such operation. */
export function operationTemplate(method: string, path: string, name: DescriptionName = 'ghes'): string | undefined {
  return findOperation(method, path, name)?.template;
}

function findOperation(method: string, path: string, name: DescriptionName = 'ghes'): Operation | undefined {
  let bare = path.split('?', 1)[0]!;
  if (bare.startsWith(API_PREFIX)) bare = bare.slice(API_PREFIX.length);
  if (bare === '') bare = '/';
  const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return (description(name).operations.get(upper) ?? []).filter((operation) => operation.pattern.test(bare))
    .sort((a, b) => a.parameters - b.parameters)[0];
}

/** The first error, descended into oneOf/anyOf so the message names a field rather than "must match one schema". */
function describeErrors(schema: object, data: unknown, errors: ErrorObject[]): string {
  const first = errors[0]!;
  const branches = (schema as { oneOf?: object[]; anyOf?: object[] }).oneOf ?? (schema as { anyOf?: object[] }).anyOf;
  if (branches && /^#\/(oneOf|anyOf)\b/.test(first.schemaPath)) {
    return branches.map((branch) => {
      const validate = validatorFor(branch);
      const title = (branch as { title?: string }).title ?? 'a branch';
      return validate(data) ? `${title}: matched` : `${title}: ${describeErrors(branch, data, validate.errors!)}`;
    }).join('; ');
  }
  const where = first.instancePath === '' ? '(the body)' : first.instancePath;
  return `${where} ${first.message}${first.params && Object.keys(first.params).length ? ` ${JSON.stringify(first.params)}` : ''}`;
}

/** Undefined when the response conforms; else why not, beginning with the operation and the deviating field. */
export function contractViolation(response: RecordedResponse): string | undefined {
  return contractViolationIn('ghes', response);
}

/** contractViolation against the description named. */
export function contractViolationIn(name: DescriptionName, response: RecordedResponse): string | undefined {
  const operation = findOperation(response.method, response.path, name);
  if (!operation) return `${response.method} ${response.path}: no such operation in GitHub's description`;
  const label = `${response.method} ${operation.template} ${response.status}`;
  if (response.status === 204 || response.status === 304 || response.method === 'HEAD') {
    return response.body === '' ? undefined : `${label}: must have no body`;
  }
  const documented = operation.responses[String(response.status)];
  const content = documented?.content ? Object.entries(documented.content)[0] : undefined;
  const schema = content?.[1].schema ?? (response.status >= 400 ? description(name).basicError : undefined);
  if (!schema) return `${label}: GitHub's description documents no body for this status`;
  const mediaType = content?.[0] ?? 'application/json';
  let data: unknown = response.body;
  if (/json/.test(mediaType)) {
    if (!/json/.test(response.contentType)) return `${label}: content type ${response.contentType}, not JSON`;
    data = JSON.parse(response.body);
  }
  const validate = validatorFor(schema);
  return validate(data) ? undefined : `${label}: ${describeErrors(schema, data, validate.errors!)}`;
}

/** A fetch that records every response (method, path, status, content type, body) for contractViolation. */
export function recordingFetch(recorded: RecordedResponse[]): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const response = await fetch(request);
    const body = await response.clone().text();
    const url = new URL(request.url);
    recorded.push({
      method: request.method, path: `${url.pathname}${url.search}`, status: response.status,
      contentType: response.headers.get('content-type') ?? '', body,
    });
    return response;
  };
}

/** The statuses seen for each of GitHub's operations (`GET /users/{username}`), from recorded responses. */
export function statusesSeen(recorded: readonly RecordedResponse[], name: DescriptionName = 'ghes'): Map<string, Set<number>> {
  const seen = new Map<string, Set<number>>();
  for (const response of recorded) {
    const template = operationTemplate(response.method, response.path, name);
    if (!template) continue;
    const key = `${response.method} ${template}`;
    seen.set(key, (seen.get(key) ?? new Set()).add(response.status));
  }
  return seen;
}
