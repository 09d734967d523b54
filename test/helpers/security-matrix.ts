/**
 * The security matrix's vocabulary (test/http/security-matrix.test.ts): the credential cases whose answer depends on
 * the route, the fixture every row's request is built from, and a row's shape (the ways a token is sent are in
 * credential-fixture.ts).
 */
import type { UserRow } from '../../src/store/database.ts';
import type { Scheme } from './credential-fixture.ts';

export const API = '/api/v3';

/** Cases whose answer depends on the route; every other case is 401 Bad credentials everywhere. */
export type RouteCase = 'no credential' | 'token lacking the scope' | 'token of another user' | 'valid token';

export interface Fixture {
  owner: UserRow;
  other: UserRow;
  /** An organization the owner owns, with a private repository named privateRepo. */
  organization: string;
  privateRepo: string;
  /** A private repository per scheme, for the one case that really deletes. */
  doomedRepo(scheme: Scheme): string;
  /** A member of the organization per scheme, for the one case that really removes. */
  doomedMember(scheme: Scheme): string;
}

export interface ProtectedRoute {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** As registered (Fastify's syntax, with the /api/v3 prefix). */
  url: string;
  requiresAuthentication: boolean;
  /** The scope the route needs; checked against the route's config where the config declares it. */
  scope?: string;
  request(fixture: Fixture, scheme: Scheme, caseName: RouteCase): { path: string; body?: unknown };
  expected: Record<RouteCase, number>;
  /** The body of this route's 404 when it is not GitHub's bare "Not Found". */
  notFoundBody?: Record<string, unknown>;
  /** What must not differ between schemes in a successful answer (bodies with counters or new ids vary). */
  comparable?(body: unknown): unknown;
}

export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-');
}

/** A repository's URLs (which contain its name) blanked, to compare two answers about different repositories. */
export function urlsOf(body: unknown): Record<string, 0> {
  return Object.fromEntries(Object.keys(body as object).filter((key) => key.endsWith('_url') || key === 'url').map((key) => [key, 0]));
}
