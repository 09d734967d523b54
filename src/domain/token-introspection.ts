/**
 * What a token may do, asked without doing it: the same rule the API applies to a request (authorization.ts's
 * authorizeRoute: a route's required scope against the token's scopes, a parent scope granting its children),
 * answered as codes for the edge to word.
 */
import { authorizeRoute } from './authorization.ts';
import type { TokenPrincipal } from './principal.ts';
import type { Scope } from './scopes.ts';

/** What a route needs, as its registration declares it. */
export interface RouteRequirement {
  requiredScope?: Scope | undefined;
  /** The least scope the handler checks itself (it may need more, depending on the body or the resource). */
  scopeCheckedByHandler?: Scope | undefined;
}

export type PermissionCheck =
  | { allowed: true }
  | { allowed: false; code: 'not_found' }
  | { allowed: false; code: 'missing_scope'; scope: Scope; acceptedScopes: Scope[] };

/** `requirement` is undefined when no route matches the request. */
export function checkTokenPermission(principal: TokenPrincipal, requirement: RouteRequirement | undefined): PermissionCheck {
  if (!requirement) return { allowed: false, code: 'not_found' };
  for (const requiredScope of [requirement.requiredScope, requirement.scopeCheckedByHandler]) {
    const decision = authorizeRoute(principal, { requiredScope });
    if (!decision.ok && decision.code === 'missing_scope') {
      return { allowed: false, code: 'missing_scope', scope: decision.scope, acceptedScopes: decision.acceptedScopes };
    }
  }
  return { allowed: true };
}
