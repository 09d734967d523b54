/**
 * The security matrices split the routes between them by area: the REST API (security-matrix.test.ts), GraphQL
 * (graphql-security-matrix.test.ts), Git's smart HTTP (git-security-matrix.test.ts) and the web pages
 * (web-security-matrix.test.ts). Every route in app.registeredRoutes belongs to exactly one area, decided here and
 * nowhere else, so no route can fall between two files: each matrix's guard asks coverageProblems about its own
 * area, and test/http/route-areas.test.ts asks about all of them at once.
 *
 * An entry for GET covers HEAD at the same address: Fastify answers HEAD with the GET route's handler and hooks (and
 * registers a HEAD alone for a prefix's trailing-slash twin, `/api/v3/`).
 */
export type RouteArea = 'api' | 'graphql' | 'git' | 'web';
export const ROUTE_AREAS: readonly RouteArea[] = ['api', 'graphql', 'git', 'web'];

/** A route as a table lists it: its method and its address as registered (Fastify's syntax). */
export interface RouteKey {
  method: string;
  url: string;
}

const GIT_ENDPOINT = /\/(?:info\/refs|git-upload-pack|git-receive-pack)$/;
const underApi = (url: string) => url === '/api' || url.startsWith('/api/');

/** Each area's test, written independently, so that an address two of them claim is caught rather than assigned. */
const AREA_TESTS: Record<RouteArea, (url: string) => boolean> = {
  api: (url) => url === '/api/v3' || url.startsWith('/api/v3/'),
  graphql: (url) => url === '/api/graphql',
  git: (url) => GIT_ENDPOINT.test(url),
  web: (url) => !underApi(url) && !GIT_ENDPOINT.test(url),
};

/** The areas an address belongs to: exactly one for every route Tessera may register. */
export function areasOf(url: string): RouteArea[] {
  return ROUTE_AREAS.filter((area) => AREA_TESTS[area](url));
}

export function areaOf(url: string): RouteArea | undefined {
  const areas = areasOf(url);
  return areas.length === 1 ? areas[0] : undefined;
}

const describe = (route: RouteKey) => `${route.method} ${route.url}`;

/** Whether a table entry covers a route: the same method and address, or GET for HEAD. */
function covers(entry: RouteKey, route: RouteKey): boolean {
  return entry.url === route.url && (entry.method === route.method || (entry.method === 'GET' && route.method === 'HEAD'));
}

/**
 * What is wrong with the tables given (all areas, or some): a registered route in no area or in two, a route of a
 * given area that its table does not list, and an entry for a route that is not registered or is another area's.
 */
export function coverageProblems(registered: readonly RouteKey[], tables: Partial<Record<RouteArea, readonly RouteKey[]>>): string[] {
  const problems: string[] = [];
  for (const route of registered) {
    const areas = areasOf(route.url);
    if (areas.length !== 1) {
      problems.push(`${describe(route)} belongs to ${areas.length === 0 ? 'no area' : `several areas (${areas.join(', ')})`}: `
        + 'give it one in test/helpers/route-areas.ts');
      continue;
    }
    const table = tables[areas[0]!];
    if (!table) continue;
    if (!table.some((entry) => covers(entry, route))) {
      problems.push(`${describe(route)} is not in the ${areas[0]} security matrix`);
    }
  }
  for (const [area, table] of Object.entries(tables) as Array<[RouteArea, readonly RouteKey[]]>) {
    for (const entry of table) {
      if (!AREA_TESTS[area](entry.url)) problems.push(`${describe(entry)} is in the ${area} security matrix but belongs to ${areasOf(entry.url).join(', ') || 'no area'}`);
      else if (!registered.some((route) => covers(entry, route))) {
        problems.push(`${describe(entry)} is in the ${area} security matrix but not registered`);
      }
    }
  }
  return problems;
}
