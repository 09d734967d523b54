/**
 * The headers a browser uses to protect what Tessera sends, in three sets.
 *
 * Pages (everything renderPage sends, error and not-found pages included) get @fastify/helmet's, set as the page is
 * rendered, with a Content-Security-Policy that runs no script but the site's own files and the inline scripts that
 * carry this response's nonce (no 'unsafe-inline', no eval), applies only the site's own stylesheets (no style
 * attributes), loads nothing from elsewhere, sends forms only here (and to an organization's identity provider on the
 * pages whose forms start a SAML sign-in) and lets no other site frame the page (plus
 * X-Frame-Options for browsers without frame-ancestors); `nosniff`; `Referrer-Policy: same-origin`, so a token
 * page's address never leaves for another site. HSTS and upgrade-insecure-requests only on a request that came over
 * HTTPS (directly, or from a trusted proxy that says so): over plain HTTP they would be ignored, or break the page.
 * HSTS leaves out includeSubDomains: Tessera often runs on one name of a domain whose other hosts are not its own.
 *
 * The REST and GraphQL APIs get the small fixed set GitHub's API sends (its own CSP `default-src 'none'` and
 * referrer policy among them): JSON is never a document, and API clients expect nothing else. Git answers are for
 * git, which reads no such headers; they only say nosniff. Static files say nosniff, and so do avatars, whose SVG
 * also gets `default-src 'none'` so that no script inside an SVG could ever run.
 */
import { randomBytes } from 'node:crypto';
import helmet, { type FastifyHelmetOptions } from '@fastify/helmet';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** A year: long enough to count for browsers and preload lists, short enough to undo. */
const HSTS_MAX_AGE_S = 365 * 24 * 60 * 60;

const PAGE_POLICY = {
  global: false,
  contentSecurityPolicy: false,
  strictTransportSecurity: false,
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'same-origin' },
} satisfies FastifyHelmetOptions;

function pageDirectives(nonce: string, https: boolean, formActions: readonly string[]): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'", `'nonce-${nonce}'`],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    // Primer draws the arrows of its select boxes with data: images.
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'"],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'", ...formActions],
    'frame-ancestors': ["'none'"],
    ...(https && { 'upgrade-insecure-requests': [] }),
  };
}

/**
 * GitHub's API headers, as api.github.com sends them; HSTS is added over HTTPS. Names in lower case, as Fastify sends
 * them anyway: on every API answer, a name that is already lower case saves making and looking up a new string.
 */
const API_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'deny',
  'x-xss-protection': '0',
  'referrer-policy': 'origin-when-cross-origin, strict-origin-when-cross-origin',
};
const HSTS_VALUE = `max-age=${HSTS_MAX_AGE_S}`;

export const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;
/** For images Tessera draws (SVG avatars): nothing inside may load or run anything. */
export const IMAGE_HEADERS = { ...NOSNIFF, 'Content-Security-Policy': "default-src 'none'" } as const;

/** Registers @fastify/helmet for pages (applied by applyPageSecurityHeaders, never to API or Git answers). */
export async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(helmet, PAGE_POLICY);
}

/** A fresh nonce for one page's inline scripts: 128 random bits, as CSP Level 3 asks. */
export function createCspNonce(): string {
  return randomBytes(16).toString('base64');
}

/** `formActions`: other origins the page's forms may lead to, redirects included (an organization's SAML IdP). */
export function applyPageSecurityHeaders(reply: FastifyReply, nonce: string, formActions: readonly string[] = []): void {
  const https = reply.request.protocol === 'https';
  void reply.helmet({
    contentSecurityPolicy: { useDefaults: false, directives: pageDirectives(nonce, https, formActions) },
    strictTransportSecurity: https ? { maxAge: HSTS_MAX_AGE_S, includeSubDomains: false } : false,
  });
}

export function applyApiSecurityHeaders(reply: FastifyReply): FastifyReply {
  reply.headers(API_HEADERS);
  if (reply.request.protocol === 'https') reply.header('Strict-Transport-Security', HSTS_VALUE);
  return reply;
}

/** GitHub's API headers on every answer of this context (registered for /api/v3 and /api/graphql). */
export function registerApiSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onRequest', (_request, reply, done) => {
    applyApiSecurityHeaders(reply);
    done();
  });
}
