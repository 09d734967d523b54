/**
 * Finds the API route a method and path would reach, from the routes as registered (app.registeredRoutes), so a dry
 * run reads the same configuration the authentication hook enforces. Fastify's own lookups (hasRoute, findRoute)
 * take a route's pattern, not a concrete path, hence this small matcher for the patterns the API uses: static
 * segments, `:param` segments and a trailing `*`. As in find-my-way, a static segment beats a parameter.
 */
import type { RegisteredRoute } from '../app.ts';
import { API_PREFIX } from './github-json.ts';

function segmentsOf(path: string): string[] {
  return path.split('/').slice(1);
}

/** How well `pattern` matches `path`: undefined for no match, else a score where static segments count most. */
function matchScore(pattern: string, path: string): number | undefined {
  const wanted = segmentsOf(pattern);
  const given = segmentsOf(path);
  let score = 0;
  for (let i = 0; i < wanted.length; i++) {
    const segment = wanted[i]!;
    if (segment === '*') return score;
    const value = given[i];
    if (value === undefined) return undefined;
    if (segment.startsWith(':')) {
      if (value === '') return undefined;
    } else if (segment === value) score += 1;
    else return undefined;
  }
  return wanted.length === given.length ? score : undefined;
}

/** The path as the API sees it: with the /api/v3 prefix, without a query or fragment. */
export function apiPathOf(path: string): string {
  const bare = path.split(/[?#]/, 1)[0]!;
  return bare === API_PREFIX || bare.startsWith(`${API_PREFIX}/`) ? bare : `${API_PREFIX}${bare}`;
}

/** The registered API route for `method` (HEAD is GET's) and `path` (relative to /api/v3, or with the prefix). */
export function findApiRoute(routes: readonly RegisteredRoute[], method: string, path: string): RegisteredRoute | undefined {
  const upper = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  const target = apiPathOf(path);
  let best: { route: RegisteredRoute; score: number } | undefined;
  for (const route of routes) {
    if (route.method !== upper || !route.url.startsWith(`${API_PREFIX}/`)) continue;
    const score = matchScore(route.url, target);
    if (score !== undefined && (!best || score > best.score)) best = { route, score };
  }
  return best?.route;
}
