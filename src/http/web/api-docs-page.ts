/**
 * `GET /docs/api`: Tessera's API reference, one section per operation with the anchor its errors' `documentation_url`
 * points at, its method and path, and the scope it needs, read from the route's own config so the page cannot drift
 * from what the server checks.
 */
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { API_PREFIX } from '../api/github-json.ts';
import { API_DOCS_PATH, GRAPHQL_DOC, REST_OPERATION_DOCS } from '../api/operation-docs.ts';
import { renderPage } from './render.ts';

function scopeNeeded(config: FastifyContextConfig): string {
  if (config.requiredScope) return config.requiredScope;
  if (config.scopeCheckedByHandler) return `${config.scopeCheckedByHandler} (or more, depending on the request)`;
  return config.requiresAuthentication ? 'any token, no scope' : 'none: anonymous callers too';
}

/** Registered at the root: every error handler, inside the API or not, reads `apiDocsUrl`. */
export function registerApiDocsUrl(app: FastifyInstance, deps: AppDeps): void {
  app.decorate('apiDocsUrl', { getter: () => `${deps.config.baseUrl}${API_DOCS_PATH}` });
}

export function registerApiDocsPage(app: FastifyInstance, deps: AppDeps): void {
  app.get(API_DOCS_PATH, async (_request, reply) => {
    const operations = app.registeredRoutes
      .filter((route) => route.method !== 'HEAD' && (route.url === API_PREFIX || route.url.startsWith(`${API_PREFIX}/`)))
      .flatMap((route) => {
        const doc = REST_OPERATION_DOCS.find((entry) => entry.method === route.method && `${API_PREFIX}${entry.path}` === route.url);
        return doc ? [{ ...doc, path: route.url.replace(/:([^/]+)/g, '{$1}'), scope: scopeNeeded(route.config) }] : [];
      });
    return renderPage(reply, 'api-docs', {
      title: 'API reference',
      apiUrl: `${deps.config.baseUrl}${API_PREFIX}`,
      operations,
      graphql: { ...GRAPHQL_DOC, scope: 'any token; each field needs the scope its REST counterpart needs' },
    });
  });
}
