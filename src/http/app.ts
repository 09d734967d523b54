/**
 * Builds the HTTP application: external plugins, then Tessera's plugins, then routes. It never listens; the CLI's
 * `serve` (or a test) does.
 */
import type { Server } from 'node:http';
import Fastify, { type FastifyBaseLogger, type FastifyContextConfig, type FastifyHttpOptions, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { ANONYMOUS } from '../domain/principal.ts';
import type { AppDeps } from './app-deps.ts';
import { LoggedResponse, OneLinePerRequest, registerRequestLog, requestLoggerFactory } from './request-logger.ts';
import { apiRoutes } from './api/index.ts';
import { API_PREFIX } from './api/github-json.ts';
import { gitRoutes } from './git/git-routes.ts';
import { registerGraphQLRoutes } from './graphql/routes.ts';
import { registerCsrfProtection } from './plugins/csrf.ts';
import { answerFrameworkError, registerErrorHandling, registerNotFoundHandler } from './plugins/errors.ts';
import { registerSecurityHeaders } from './plugins/security-headers.ts';
import { generateRequestId, registerRequestIdHeader } from './plugins/request-id.ts';
import { registerApiDocsPage, registerApiDocsUrl } from './web/api-docs-page.ts';
import { registerTokenHelpPage, registerTokenHelpUrl } from './web/token-help-page.ts';
import { registerAvatarRoutes } from './web/avatars.ts';
import { registerWebSession } from './plugins/web-session.ts';
import { DEFAULT_LOCALE } from '../i18n/locales.ts';
import { registerPageLocale } from './web/page-locale.ts';
import { registerAccountPages } from './web/account-pages.ts';
import { registerAccountSettingsPages } from './web/account-settings-pages.ts';
import { registerPasswordResetPages } from './web/password-reset-pages.ts';
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

export { asyncStdoutDestination, createLogger } from './request-log.ts';

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
  /** The app's logger (request-log.ts createLogger): one line per request, and what handlers log. None: silent. */
  logger?: FastifyBaseLogger;
  /** PEM certificate and key: the server speaks HTTPS (src/cli/tls-files.ts reads and checks them). */
  https?: { cert: Buffer; key: Buffer };
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
  // Node's server options: the timeouts, and responses that write their request's log line (request-logger.ts).
  const server = { ...timeouts.http, ServerResponse: LoggedResponse };
  // Fastify hands `http` to http.createServer only; an HTTPS server takes the same options beside its certificate.
  // The instance is typed as an HTTP one: nothing in Tessera depends on which of the two servers it runs on.
  // Fastify's own logger stays off: request-logger.ts says why, and what does its work.
  const app = Fastify({
    logger: false,
    logController: new OneLinePerRequest(),
    ...(options.logger && { childLoggerFactory: requestLoggerFactory(options.logger) }),
    bodyLimit: BODY_LIMIT_BYTES,
    ...timeouts,
    http: server,
    ...(options.https && { https: { ...server, ...options.https } }),
    // X-Forwarded-For/-Proto are believed only from the proxies named by TESSERA_TRUST_PROXY.
    trustProxy: deps.trustProxy.length > 0 ? deps.trustProxy : false,
    genReqId: generateRequestId,
    frameworkErrors: answerFrameworkError,
  } as FastifyHttpOptions<Server>) as FastifyInstance;
  if (options.logger) registerRequestLog(app, options.logger);

  // Pages can be rendered wherever an error is answered to a browser: each context that may render one has the
  // browser security headers (the web pages, Git addresses, static files), the API and GraphQL do not.
  await app.register(async (assets) => {
    await registerSecurityHeaders(assets);
    await registerStaticAssets(assets);
  });

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
  app.addHook('onClose', async () => deps.background?.settled());
  registerRequestIdHeader(app);
  registerApiDocsUrl(app, deps);
  registerTokenHelpUrl(app, deps);
  // Who is acting: every request starts anonymous; the API sets it from the Authorization header, pages from the
  // session cookie (plugins/web-session.ts).
  app.decorateRequest('principal', null as never);
  registerPageLocale(app, deps.config.defaultLocale ?? DEFAULT_LOCALE);
  app.addHook('onRequest', (request, _reply, done) => {
    request.principal = ANONYMOUS;
    done();
  });
  await app.register(async (api) => apiRoutes(api, deps), { prefix: API_PREFIX });
  await app.register(async (graphql) => registerGraphQLRoutes(graphql, deps));
  await app.register(async (git) => {
    await registerSecurityHeaders(git);
    await gitRoutes(git, deps);
  });
  // Cookies, forms, CSRF, the pages' security headers and the session look-up are the pages' alone: in their own
  // context, so that API and Git requests (which never read a cookie) do not pay for their hooks. The not-found page
  // is set here for the same reason, and so that it knows who is signed in; it still answers API-looking and Git
  // paths in their own shape.
  await app.register(async (web) => {
    await web.register(cookie);
    await web.register(formbody);
    await registerSecurityHeaders(web);
    await registerCsrfProtection(web, { secure: deps.config.baseUrl.startsWith('https://') });
    registerWebSession(web, deps);
    registerNotFoundHandler(web);
    registerApiDocsPage(web, deps);
    registerTokenHelpPage(web, deps);
    registerWebInput(web);
    registerSsoPageGate(web, deps);
    registerAccountPages(web, deps);
    registerPasswordResetPages(web, deps);
    registerAccountSettingsPages(web, deps);
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
