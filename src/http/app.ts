/**
 * Builds the HTTP application: external plugins, then Tessera's plugins, then routes. It never listens; the CLI's
 * `serve` (or a test) does.
 */
import type { Server } from 'node:http';
import Fastify, {
  LogController, type FastifyContextConfig, type FastifyHttpOptions, type FastifyInstance, type FastifyReply, type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import pino from 'pino';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { AppDeps } from './app-deps.ts';
import { apiRoutes } from './api/index.ts';
import { API_PREFIX } from './api/github-json.ts';
import { gitRoutes } from './git/git-routes.ts';
import { registerGraphQLRoutes } from './graphql/routes.ts';
import { registerCsrfProtection } from './plugins/csrf.ts';
import { answerFrameworkError, registerErrorHandling } from './plugins/errors.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { generateRequestId, registerRequestIdHeader } from './plugins/request-id.ts';
import { registerApiDocsPage } from './web/api-docs-page.ts';
import { registerAvatarRoutes } from './web/avatars.ts';
import { registerWebSession } from './plugins/web-session.ts';
import { registerAccountPages } from './web/account-pages.ts';
import { registerOrganizationPages } from './web/organization-pages.ts';
import { registerOrganizationPeoplePages } from './web/organization-people-pages.ts';
import { registerStaticAssets } from './web/static-assets.ts';
import { registerWebInput } from './web/web-input.ts';
import { registerRepositoryPages } from './web/repository-pages.ts';
import { registerSecurityLogPage } from './web/security-log-page.ts';
import { registerTokenPages } from './web/token-pages.ts';
import { registerTokenUsagePages } from './web/token-usage-pages.ts';
import { registerSessionPages } from './web/session-pages.ts';
import { registerOrganizationSsoPages } from './web/sso/index.ts';
import { registerSsoPageGate } from './web/sso/sso-page-gate.ts';

/** Forms and API bodies are small; 64 KiB is generous for both (Git traffic is streamed, not parsed). */
export const BODY_LIMIT_BYTES = 64 * 1024;

export interface RegisteredRoute {
  method: string;
  url: string;
  config: FastifyContextConfig;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RegisteredRoute[];
  }
}

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  /** PEM certificate and key: the server speaks HTTPS (src/cli/tls-files.ts reads and checks them). */
  https?: { cert: Buffer; key: Buffer };
}

/**
 * Logger settings: a request is logged once, when answered, as method, path, client address, status and response
 * time. Headers (Authorization, cookies) are never serialised, and the query string is cut off because one-time
 * links (email verification) carry secrets.
 */
export function loggerOptions(level: string, stream?: { write(line: string): void }) {
  return {
    level,
    ...(stream && { stream }),
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method, path: request.url.split('?')[0], remoteAddress: request.ip,
      }),
    },
  };
}

/**
 * stdout for `tessera serve`, written asynchronously: a synchronous write per line was a sixth of a request's cost.
 * Lines wait in memory only while the previous write is in progress; call flushSync() before the process exits.
 */
export function asyncStdoutDestination() {
  return pino.destination({ dest: 1, sync: false });
}

/**
 * One line per request instead of Fastify's two ("incoming request", "request completed"): the request's own
 * fields ride on the completion line. Errors are logged as Fastify does.
 */
class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * The server's timeouts, against clients that open connections and then send slowly or not at all: headers must
 * arrive within headersMs, a whole request within requestMs (long, for big pushes), and a connection on which nothing
 * moves for idleMs is closed, whatever it is doing (Git bodies have their own, shorter idle timeout in git-service.ts).
 * Node checks the first two every connectionsCheckingInterval, so that follows the shorter of them.
 */
function timeoutOptions(timeouts: AppDeps['serverTimeouts']): Partial<FastifyHttpOptions<Server>> {
  const requestMs = timeouts.requestMs;
  // Node refuses a headers timeout longer than the request timeout.
  const headersMs = requestMs > 0 && timeouts.headersMs > 0 ? Math.min(timeouts.headersMs, requestMs) : timeouts.headersMs;
  const checked = [headersMs, requestMs].filter((ms) => ms > 0);
  return {
    connectionTimeout: timeouts.idleMs,
    requestTimeout: requestMs,
    keepAliveTimeout: timeouts.keepAliveMs,
    http: {
      ...(headersMs > 0 && { headersTimeout: headersMs }),
      connectionsCheckingInterval: Math.max(100, Math.min(30_000, ...checked.map((ms) => Math.floor(ms / 2)))),
    },
  };
}

export async function buildApp(deps: AppDeps, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const timeouts = timeoutOptions(deps.serverTimeouts);
  // Fastify hands `http` to http.createServer only; an HTTPS server takes the same timeouts beside its certificate.
  // The instance is typed as an HTTP one: nothing in Tessera depends on which of the two servers it runs on.
  const app = Fastify({
    logger: options.logger ?? false,
    logController: new OneLinePerRequest(),
    bodyLimit: BODY_LIMIT_BYTES,
    ...timeouts,
    ...(options.https && { https: { ...timeouts.http, ...options.https } }),
    // X-Forwarded-For/-Proto are believed only from the proxies named by TESSERA_TRUST_PROXY.
    trustProxy: deps.trustProxy.length > 0 ? deps.trustProxy : false,
    genReqId: generateRequestId,
    frameworkErrors: answerFrameworkError,
  } as FastifyHttpOptions<Server>) as FastifyInstance;

  await app.register(cookie);
  await app.register(formbody);
  await registerSecurityHeaders(app);
  await registerCsrfProtection(app, { secure: deps.config.baseUrl.startsWith('https://') });
  await registerStaticAssets(app);

  // Every route with its config, so the security tests can check that each protected route is in their table.
  const routes: RegisteredRoute[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method, url: route.url, config: route.config ?? {} });
  });

  registerErrorHandling(app);
  // Token uses are written after the answer (domain/token-uses.ts): let them finish before the store closes.
  app.addHook('onClose', async () => deps.tokenUses.settled());
  registerRequestIdHeader(app);
  // At the root, so that error and not-found pages also know who is signed in.
  registerWebSession(app, deps);
  registerApiDocsPage(app, deps);
  await app.register(async (api) => apiRoutes(api, deps), { prefix: API_PREFIX });
  await app.register(async (graphql) => registerGraphQLRoutes(graphql, deps));
  await app.register(async (git) => gitRoutes(git, deps));
  await app.register(async (web) => {
    registerWebInput(web);
    registerSsoPageGate(web, deps);
    registerAccountPages(web, deps);
    registerTokenPages(web, deps);
    registerTokenUsagePages(web, deps);
    registerSessionPages(web, deps);
    registerOrganizationPages(web, deps);
    registerOrganizationPeoplePages(web, deps);
    registerRepositoryPages(web, deps);
    registerSecurityLogPage(web, deps);
    registerAvatarRoutes(web);
    registerOrganizationSsoPages(web, deps);
  });
  return app;
}
