/**
 * One error handler for the whole app. Client errors (4xx) keep a message written for the client; anything else is
 * logged with its stack and answered with a bare "Internal Server Error": a stack trace or a SQL message never
 * reaches a client. API paths answer in GitHub's JSON shape and in English (as GitHub's do), pages in HTML in the
 * reader's language (errors.json).
 *
 * The store being unreachable (PostgreSQL restarting, a connection lost, SQLite busy past its timeout; see
 * store/unavailable.ts) is no bug: it answers 503 with Retry-After, so clients and load balancers retry, and the
 * service heals by itself once the store is back.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../api/github-json.ts';
import { sendApiError } from '../api/api-error.ts';
import type { ErrorObject } from 'ajv';
import { chooseLocale, DEFAULT_LOCALE } from '../../i18n/locales.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { pageText } from '../web/page-locale.ts';
import { renderPage } from '../web/render.ts';
import { isStoreUnavailable } from '../../store/unavailable.ts';
import { describeWebValidation, lookUp } from '../web/web-input.ts';
import { applyApiSecurityHeaders, NOSNIFF } from './security-headers.ts';

/** Seconds a client is asked to wait when the store is unreachable: about a PostgreSQL restart or failover. */
export const STORE_UNAVAILABLE_RETRY_AFTER_S = 5;

const STORE_UNAVAILABLE_MESSAGE = 'The service is briefly unavailable. Try again in a few seconds.';
const CSRF_MESSAGE = 'The form was out of date or not sent by this site. Go back, reload the page and try again.';

/**
 * Fastify's own error codes, said the way a client can act on: `message` for the API and Git (English), `pageKey`
 * (errors.json) for a page. JSON never reaches a page (web-input.ts refuses it with 415).
 */
const CLIENT_MESSAGES: Record<string, { status: number; message: string; pageKey?: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, message: 'Request body is too large.', pageKey: 'errors:client.bodyTooLarge' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, message: 'Unsupported media type.', pageKey: 'errors:client.unsupportedMediaType' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, message: 'Problems parsing JSON' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, message: 'Problems parsing JSON' },
  FST_CSRF_INVALID_TOKEN: { status: 403, message: CSRF_MESSAGE, pageKey: 'errors:client.csrf' },
  FST_CSRF_MISSING_SECRET: { status: 403, message: CSRF_MESSAGE, pageKey: 'errors:client.csrf' },
};

/** Everything under /api answers JSON: REST at /api/v3 and GraphQL at /api/graphql, as on GitHub Enterprise Server. */
function isApiRequest(request: FastifyRequest): boolean {
  return request.url === API_PREFIX || request.url.startsWith(`${API_PREFIX}/`) || /^\/api(?:[/?]|$)/.test(request.url);
}

/** git prints a text/plain error body as `remote:` lines; an HTML page would only show as a bare status. */
function isGitClient(request: FastifyRequest): boolean {
  return /^git\//.test(request.headers['user-agent'] ?? '');
}

function sendPlainText(reply: FastifyReply, status: number, message: string) {
  return reply.code(status).headers(NOSNIFF).type('text/plain; charset=utf-8').send(`${message}\n`);
}

/** A page's address or form that failed its schema (web/web-input.ts words the message, in the page's language). */
function sendWebValidationRefusal(reply: FastifyReply, error: FastifyError) {
  // A path parameter that is not what the route takes (`/settings/tokens/abc`) names no page at all.
  if (error.validationContext === 'params') return sendPageNotFound(reply);
  const { t } = pageText(reply.request);
  const message = describeWebValidation(t, (error.validation ?? []) as unknown as ErrorObject[], error.validationContext ?? '');
  return renderPage(reply.code(400), 'error', { title: t('errors:refused.title'), message });
}

function sendPageNotFound(reply: FastifyReply) {
  const { t } = pageText(reply.request);
  return renderPage(reply.code(404), 'error', { title: t('errors:notFound.title'), message: t('errors:notFound.message') });
}

/**
 * The title and message of an error page, in the page's language. A refusal Tessera has no words of its own for
 * (one of Fastify's, in English) gets a general sentence in the page's language; English pages keep its own words.
 */
function sendErrorPage(request: FastifyRequest, reply: FastifyReply, error: FastifyError, status: number, message: string) {
  const { t, locale } = pageText(request);
  if (status === 503) return renderPage(reply.code(status), 'error', { title: t('errors:unavailable.title'), message: t('errors:unavailable.message') });
  if (status >= 500) return renderPage(reply.code(status), 'error', { title: t('errors:internal.title'), message: t('errors:internal.message') });
  const pageKey = lookUp(CLIENT_MESSAGES, error.code)?.pageKey;
  return renderPage(reply.code(status), 'error', { title: t('errors:refused.title'), message: pageKey ? t(pageKey) : locale === 'en' ? message : t('errors:refused.message') });
}

function describe(error: FastifyError): { status: number; message: string } {
  if (isStoreUnavailable(error)) return { status: 503, message: STORE_UNAVAILABLE_MESSAGE };
  const known = lookUp(CLIENT_MESSAGES, error.code);
  if (known) return known;
  if (error.validation) return { status: 422, message: `Invalid request.\n\n${error.message}` };
  if (error instanceof SyntaxError && error.statusCode === 400) return { status: 400, message: 'Problems parsing JSON' };
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, message: error.message };
  return { status: 500, message: 'Internal Server Error' };
}

/**
 * Requests the router refuses before any hook has run (no cookies, no session, so no page can be rendered): an
 * address with broken percent-encoding (400), or a path segment longer than any name (404, as for any address that
 * names nothing). The API answers in GitHub's shape, anything else a line of text under the strictest headers; never
 * Fastify's own JSON.
 */
export function answerFrameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  applyApiSecurityHeaders(reply);
  const badUrl = error.code === 'FST_ERR_BAD_URL';
  if (isApiRequest(request)) return sendApiError(reply, badUrl ? 400 : 404, badUrl ? 'Bad Request' : 'Not Found');
  // No session was read: the browser's language, else the instance's.
  const { t } = translatorFor(chooseLocale(undefined, request.headers['accept-language'], request.server?.defaultLocale ?? DEFAULT_LOCALE));
  return sendPlainText(reply, badUrl ? 400 : 404, t(badUrl ? 'errors:badAddress' : 'errors:notFound.message'));
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply: FastifyReply) => {
    const page = !isApiRequest(request) && !isGitClient(request);
    if (page && error.validation) {
      request.log.info({ code: error.code, part: error.validationContext }, 'request refused');
      return sendWebValidationRefusal(reply, error);
    }
    const { status, message } = describe(error);
    if (status === 503) {
      // One short line per request, not a stack: during an outage every request lands here.
      request.log.warn({ code: (error as { code?: unknown }).code, reason: error.message }, 'store unavailable');
      reply.header('Retry-After', STORE_UNAVAILABLE_RETRY_AFTER_S);
    } else if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: error.code, status }, 'request refused');
    if (reply.sent) return;
    if (isApiRequest(request)) return sendApiError(applyApiSecurityHeaders(reply), status, message);
    if (!page) return sendPlainText(reply, status, message);
    return sendErrorPage(request, reply, error, status, message);
  });
}

/** Paths no route answers: in GitHub's JSON under /api, as text to git, else as a page. */
export function registerNotFoundHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) => {
    if (isApiRequest(request)) return sendApiError(applyApiSecurityHeaders(reply), 404, 'Not Found');
    if (isGitClient(request)) return sendPlainText(reply, 404, 'Repository not found.');
    return sendPageNotFound(reply);
  });
}
