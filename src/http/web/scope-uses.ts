/**
 * What each scope lets a token do in Tessera, for the help page: the API operations whose route config asks for a
 * scope it grants (read from the registered routes, as the API reference reads them, so the page cannot drift from
 * what the server checks). What routes do not declare (Git, private repositories) the page says in words.
 */
import type { RegisteredRoute } from '../app.ts';
import { API_PREFIX } from '../api/github-json.ts';
import { API_DOCS_PATH, REST_OPERATION_DOCS } from '../api/operation-docs.ts';
import { scopesGranting, type Scope } from '../../domain/scopes.ts';

export interface ScopeUse {
  /** The operation's anchor, which also names its title in the apidocs namespace (`apidocs:operations.<anchor>.title`). */
  anchor: string;
  /** The operation's section of the API reference. */
  href: string;
  /** An operation on SAML authorizations of tokens, which only some editions have. */
  aboutSamlTokenAuthorization: boolean;
}

export function scopeUses(routes: readonly RegisteredRoute[]): Map<Scope, ScopeUse[]> {
  const uses = new Map<Scope, ScopeUse[]>();
  for (const route of routes) {
    const needed = route.config.requiredScope ?? route.config.scopeCheckedByHandler;
    if (!needed || route.method === 'HEAD') continue;
    const doc = REST_OPERATION_DOCS.find((entry) => entry.method === route.method && `${API_PREFIX}${entry.path}` === route.url);
    if (!doc) continue;
    for (const scope of scopesGranting(needed)) {
      const list = uses.get(scope) ?? [];
      if (!list.some((use) => use.anchor === doc.anchor)) {
        list.push({ anchor: doc.anchor, href: `${API_DOCS_PATH}#${doc.anchor}`, aboutSamlTokenAuthorization: doc.aboutSamlTokenAuthorization ?? false });
      }
      uses.set(scope, list);
    }
  }
  return uses;
}
