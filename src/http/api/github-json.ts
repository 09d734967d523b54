/**
 * Shared pieces of GitHub's REST shapes. The shapes themselves live in json/: users in user-json.ts, repositories in
 * repository-json.ts; every field GitHub's OpenAPI description marks required is there (test/http/contract.test.ts
 * checks them against the description), with GitHub's neutral values where Tessera has no such feature.
 */
export const API_PREFIX = '/api/v3';
/** What Fastify sends for a serialised object; a body sent as ready-made JSON text says the same. */
export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export { privateUserBody, privateUserJson, simpleUserJson, userJson } from './json/user-json.ts';
export { repositoryJson } from './json/repository-json.ts';

/** GitHub writes times to the second: 2026-11-25T10:00:00Z. */
export function isoSeconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}

/** GitHub's opaque global ids: base64 of a type-tagged id. */
export function nodeId(type: string, id: number): string {
  // GitHub's legacy global ids: `04:User1`, `010:Repository1296269` (a zero, the type's length, the type, the id).
  return Buffer.from(`0${type.length}:${type}${id}`).toString('base64');
}
