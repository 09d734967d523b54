/**
 * The REST API's protocol behaviour as GitHub documents it, for every route under /api/v3 (CORS and the API version
 * check also for /api/graphql):
 * - CORS for browser clients: `Access-Control-Allow-Origin: *` and GitHub's exposed headers on every answer, and a
 *   204 preflight for any OPTIONS. Credentials are never allowed cross-origin (no Allow-Credentials) and the API
 *   never reads a cookie, so a page on another site can only call the API with a token it already has.
 * - `X-GitHub-Api-Version`: a dated version Tessera supports, else 400 in GitHub's words; the answer names the
 *   version used in `X-GitHub-Api-Version-Selected`.
 * - Conditional requests: a weak `ETag` of every successful GET body (api/etag.ts); `If-None-Match` (or `If-Modified-Since` where a
 *   route sets `Last-Modified`) gets a 304 with no body, which does not count against the rate limit
 *   (api-authentication.ts defers counting such requests until the answer is known).
 * - `Vary`, the media-type header and caching headers GitHub sends.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { sendApiError } from '../api/api-error.ts';
import { weakETag } from '../api/etag.ts';
import { SUPPORTED_API_VERSIONS } from '../api/discovery.ts';
import { settleDeferredRateLimit } from './api-authentication.ts';

const EXPOSED_HEADERS = [
  'ETag', 'Link', 'Location', 'Retry-After', 'X-GitHub-OTP', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Used',
  'X-RateLimit-Resource', 'X-RateLimit-Reset', 'X-OAuth-Scopes', 'X-Accepted-OAuth-Scopes', 'X-Poll-Interval',
  'X-GitHub-Media-Type', 'X-GitHub-SSO', 'X-GitHub-Request-Id', 'Deprecation', 'Sunset',
].join(', ');
const ALLOWED_HEADERS = [
  'Authorization', 'Content-Type', 'If-Match', 'If-Modified-Since', 'If-None-Match', 'If-Unmodified-Since', 'Accept-Encoding',
  'X-GitHub-OTP', 'X-Requested-With', 'User-Agent', 'GraphQL-Features', 'X-GitHub-Api-Version',
].join(', ');
/** A day, as GitHub's preflight answers allow browsers to remember them. */
const PREFLIGHT_MAX_AGE_S = 86_400;

const NEWEST_VERSION = SUPPORTED_API_VERSIONS[SUPPORTED_API_VERSIONS.length - 1]!;

function unsupportedVersionMessage(version: string): string {
  const listed = SUPPORTED_API_VERSIONS.map((supported) => `"${supported}"${supported === NEWEST_VERSION ? ' (most recent)' : ''}`).join(', ');
  return `The version you specified in the "X-GitHub-Api-Version" request header, "${version}", is not a supported version. The following versions are currently supported: ${listed}.`;
}

function matchesETag(header: string, etag: string): boolean {
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === strip(etag));
}

/** Whether a successful GET may be answered 304 instead (RFC 9110 §13.1.2, 13.1.3: If-None-Match wins). */
function isNotModified(request: FastifyRequest, reply: FastifyReply, etag: string): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch !== undefined) return matchesETag(ifNoneMatch, etag);
  const ifModifiedSince = request.headers['if-modified-since'];
  const lastModified = reply.getHeader('last-modified');
  if (ifModifiedSince === undefined || typeof lastModified !== 'string') return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

export function isConditionalRequest(request: FastifyRequest): boolean {
  return (request.method === 'GET' || request.method === 'HEAD')
    && (request.headers['if-none-match'] !== undefined || request.headers['if-modified-since'] !== undefined);
}

/**
 * Registered after authentication, so that a refused version, like every other answer, carries the rate-limit
 * headers (and counts, as GitHub counts it).
 */
export function registerApiVersionCheck(app: FastifyInstance): void {
  // The protocol's hooks are synchronous (a callback, no promise): they run on every API request.
  app.addHook('onRequest', (request, reply, done) => {
    const version = request.headers['x-github-api-version'];
    if (version !== undefined && !(SUPPORTED_API_VERSIONS as readonly string[]).includes(String(version))) {
      sendApiError(reply, 400, unsupportedVersionMessage(String(version)));
      return;
    }
    reply.header('x-github-api-version-selected', version ?? NEWEST_VERSION);
    done();
  });
}

/**
 * CORS as GitHub answers it, on /api/v3 and /api/graphql alike. Register it before authentication: a browser's
 * preflight carries no credential and must get its 204 all the same.
 */
export function registerCors(app: FastifyInstance): void {
  app.addHook('onRequest', (request, reply, done) => {
    // Header names in lower case on every API answer: Fastify lower-cases each name it is given (and sends them so),
    // and a name that is already lower case is one string fewer to make and look up per header per request.
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-expose-headers', EXPOSED_HEADERS);
    reply.header('vary', 'Accept, Authorization, Accept-Encoding');
    if (request.method === 'OPTIONS') {
      reply.code(204).header('Access-Control-Allow-Headers', ALLOWED_HEADERS)
        .header('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE')
        .header('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S).send();
      return;
    }
    done();
  });
}

export function registerApiProtocol(app: FastifyInstance, deps: AppDeps): void {
  registerCors(app);

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-github-media-type', 'github.v3; format=json');
    let body = payload;
    const cacheable = (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200
      && (typeof payload === 'string' || Buffer.isBuffer(payload));
    if (cacheable) {
      // A handler that keeps its body ready-made may know its ETag too (GET /user, see json/user-json.ts).
      const known = reply.getHeader('etag');
      const etag = typeof known === 'string' ? known : weakETag(payload as string | Buffer);
      reply.header('etag', etag);
      reply.header('cache-control', request.headers.authorization ? 'private, max-age=60, s-maxage=60' : 'public, max-age=60, s-maxage=60');
      if (isNotModified(request, reply, etag)) {
        reply.code(304);
        reply.removeHeader('content-type');
        reply.removeHeader('content-length');
        body = '';
      }
    } else {
      reply.removeHeader('last-modified');
      reply.header('cache-control', 'private, no-store');
    }
    if (!request.deferredRateLimit) return done(null, body);
    settleDeferredRateLimit(request, reply, deps).then(() => done(null, body), done);
  });
}
