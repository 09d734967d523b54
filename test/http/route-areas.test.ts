/**
 * One guard over every route: each route in app.registeredRoutes belongs to exactly one area (test/helpers/
 * route-areas.ts) and is in that area's security matrix: the API's (security-matrix.test.ts), GraphQL's, Git's or the
 * web pages'. A route registered without an entry anywhere fails here, whichever file should have had it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { areaOf, coverageProblems, ROUTE_AREAS, type RouteArea, type RouteKey } from '../helpers/route-areas.ts';
import { startTestServer } from '../helpers/server.ts';
import { PROTECTED_ROUTES } from './matrix/api-routes.ts';
import { GIT_ROUTES } from './matrix/git-table.ts';
import { GRAPHQL_ROUTES } from './matrix/graphql-routes.ts';
import { WEB_ROUTES } from './matrix/web-table.ts';

const TABLES: Record<RouteArea, readonly RouteKey[]> = { api: PROTECTED_ROUTES, graphql: GRAPHQL_ROUTES, git: GIT_ROUTES, web: WEB_ROUTES };

test('every registered route belongs to exactly one area and is in that area\'s security matrix', async (t) => {
  const server = await startTestServer(t);
  const routes = server.app.registeredRoutes;
  assert.deepEqual(coverageProblems(routes, TABLES), []);
  // Every area has routes, and every route one area: nothing falls between two files.
  for (const area of ROUTE_AREAS) assert.ok(routes.some((route) => areaOf(route.url) === area), `the ${area} area has routes`);
  assert.equal(routes.filter((route) => areaOf(route.url) === undefined).length, 0);
});

test('the guard fails on a route registered without an entry, whatever its area, and on an entry of no route', async (t) => {
  const server = await startTestServer(t);
  const invented: RouteKey[] = [
    { method: 'GET', url: '/api/v3/user/keys' },
    { method: 'GET', url: '/api/v4/user' },
    { method: 'GET', url: '/:owner/:repo.git/info/refs' },
    { method: 'POST', url: '/:owner/:repo/git-upload-archive' },
    { method: 'POST', url: '/settings/secret-thing' },
    // HEAD is covered by a GET entry at the same address, and only by that.
    { method: 'HEAD', url: '/settings/probe' },
  ];
  // Measured against what the guard says of the routes as they are, so that this test shows the guard alone.
  const already = new Set(coverageProblems(server.app.registeredRoutes, TABLES));
  const found = (routes: readonly RouteKey[], tables: typeof TABLES) => coverageProblems(routes, tables).filter((problem) => !already.has(problem));
  assert.deepEqual(found([...server.app.registeredRoutes, ...invented], TABLES), [
    'GET /api/v3/user/keys is not in the api security matrix',
    'GET /api/v4/user belongs to no area: give it one in test/helpers/route-areas.ts',
    'GET /:owner/:repo.git/info/refs is not in the git security matrix',
    'POST /:owner/:repo/git-upload-archive is not in the web security matrix',
    'POST /settings/secret-thing is not in the web security matrix',
    'HEAD /settings/probe is not in the web security matrix',
  ]);

  // An entry for a route nobody registered, or listed in the wrong area's table, fails too.
  const stale = { ...TABLES, web: [...WEB_ROUTES, { method: 'GET', url: '/settings/gone' }, { method: 'GET', url: '/api/v3/zen' }] };
  assert.deepEqual(found(server.app.registeredRoutes, stale), [
    'GET /settings/gone is in the web security matrix but not registered',
    'GET /api/v3/zen is in the web security matrix but belongs to api',
  ]);
});
