/**
 * Reads the session cookie into `request.principal` (and `request.webUser`) for pages; see domain/web-sessions.ts
 * for what is stored. The API, GraphQL and Git never take a cookie: their hooks set the principal from the
 * Authorization header alone.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserRow } from '../../store/database.ts';
import { ANONYMOUS, resolvePrincipal } from '../../domain/principal.ts';
import { type SessionActivity, WEB_SESSION_LIFETIME_MS } from '../../domain/web-sessions.ts';
import type { AppDeps } from '../app-deps.ts';

export const SESSION_COOKIE = 'tessera_session';

declare module 'fastify' {
  interface FastifyRequest {
    webUser: UserRow | undefined;
    webSessionSecret: string | undefined;
  }
}

/** Where the request came from, for the sessions page. */
export function sessionActivityOf(request: FastifyRequest): SessionActivity {
  const userAgent = request.headers['user-agent'];
  return { clientAddress: request.ip, userAgent: typeof userAgent === 'string' ? userAgent : undefined };
}

export function registerWebSession(app: FastifyInstance, deps: AppDeps): void {
  const secure = deps.config.baseUrl.startsWith('https://');
  // Fastify wants null here (an object default would be shared by every request); the hook below sets it at once.
  app.decorateRequest('principal', null as never);
  app.decorateRequest('webUser', undefined);
  app.decorateRequest('webSessionSecret', undefined);

  app.addHook('onRequest', async (request) => {
    request.principal = ANONYMOUS;
    const secret = request.cookies[SESSION_COOKIE];
    if (!secret) return;
    const result = await resolvePrincipal(deps, { kind: 'session', secret }, sessionActivityOf(request));
    if (!result.ok || result.principal.kind !== 'session') return;
    request.principal = result.principal;
    request.webUser = result.principal.user;
    request.webSessionSecret = secret;
  });

  app.decorateReply('setSessionCookie', function (this: FastifyReply, secret: string) {
    return this.setCookie(SESSION_COOKIE, secret, {
      path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: WEB_SESSION_LIFETIME_MS / 1000,
    });
  });
  app.decorateReply('clearSessionCookie', function (this: FastifyReply) {
    return this.clearCookie(SESSION_COOKIE, { path: '/' });
  });
}

declare module 'fastify' {
  interface FastifyReply {
    setSessionCookie(secret: string): FastifyReply;
    clearSessionCookie(): FastifyReply;
  }
}

/** Sends a signed-out visitor to the sign-in page and back here afterwards; returns the user otherwise. */
export function requireWebUser(request: FastifyRequest, reply: FastifyReply): UserRow | undefined {
  if (request.webUser) return request.webUser;
  void reply.redirect(`/login?return_to=${encodeURIComponent(request.url)}`);
  return undefined;
}
