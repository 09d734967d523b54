/**
 * `GET /docs/api`: Tessera's API reference, one section per operation with the anchor its errors' `documentation_url`
 * points at, its method and path, and the scope it needs, read from the route's own config so the page cannot drift
 * from what the server checks. Titles and summaries are in the page's language (src/i18n/locales/<language>/apidocs.json);
 * anchors, methods, paths and scope names are the same in every language.
 */
import type { FastifyContextConfig, FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import type { Translate } from '../../i18n/translator.ts';
import { API_PREFIX } from '../api/github-json.ts';
import { API_DOCS_PATH, GRAPHQL_DOC, REST_OPERATION_DOCS } from '../api/operation-docs.ts';
import { pageText } from './page-locale.ts';
import { renderPage } from './render.ts';

/** The scope an operation needs: a scope's name (shown as code), words, or both. */
interface ScopeNeeded { scope?: string; words?: string }

function scopeNeeded(config: FastifyContextConfig, t: Translate): ScopeNeeded {
  if (config.requiredScope) return { scope: config.requiredScope };
  if (config.scopeCheckedByHandler) return { scope: config.scopeCheckedByHandler, words: t('apidocs:scope.orMore') };
  return { words: t(config.requiresAuthentication ? 'apidocs:scope.anyToken' : 'apidocs:scope.anonymous') };
}

/** Registered at the root: every error handler, inside the API or not, reads `apiDocsUrl`. */
export function registerApiDocsUrl(app: FastifyInstance, deps: AppDeps): void {
  app.decorate('apiDocsUrl', { getter: () => `${deps.config.baseUrl}${API_DOCS_PATH}` });
}

export function registerApiDocsPage(app: FastifyInstance, deps: AppDeps): void {
  app.get(API_DOCS_PATH, async (request, reply) => {
    const { t, html } = pageText(request);
    const words = (anchor: string) => ({ title: t(`apidocs:operations.${anchor}.title`), summary: html(`apidocs:operations.${anchor}.summary`) });
    const operations = app.registeredRoutes
      .filter((route) => route.method !== 'HEAD' && (route.url === API_PREFIX || route.url.startsWith(`${API_PREFIX}/`)))
      .flatMap((route) => {
        const doc = REST_OPERATION_DOCS.find((entry) => entry.method === route.method && `${API_PREFIX}${entry.path}` === route.url);
        return doc ? [{ ...doc, ...words(doc.anchor), path: route.url.replace(/:([^/]+)/g, '{$1}'), needed: scopeNeeded(route.config, t) }] : [];
      });
    return renderPage(reply, 'api-docs', {
      title: t('apidocs:title'),
      apiUrl: `${deps.config.baseUrl}${API_PREFIX}`,
      operations,
      graphql: { ...GRAPHQL_DOC, ...words(GRAPHQL_DOC.anchor), needed: { words: t('apidocs:scope.graphql') } },
    });
  });
}
