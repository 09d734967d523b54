/**
 * GraphQL's routes, for its matrix (graphql-security-matrix.test.ts) and the guard over every area
 * (test/http/route-areas.test.ts). The matrix sends every operation to POST; the preflight is listed with its reason.
 */
import type { RouteKey } from '../../helpers/route-areas.ts';

export const GRAPHQL_ROUTES: Array<RouteKey & { reason?: string }> = [
  { method: 'POST', url: '/api/graphql' },
  {
    method: 'OPTIONS', url: '/api/graphql',
    reason: 'the CORS preflight: answered 204 with no data before any credential is read (protocol.test.ts)',
  },
];
