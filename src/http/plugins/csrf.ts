/**
 * Cross-site request forgery protection for every form (@fastify/csrf-protection).
 *
 * Stored: a random CSRF secret in a cookie of its own (HttpOnly, SameSite=Lax; under HTTPS `__Host-` prefixed and
 * Secure, so no other host of the domain and no plain-HTTP answer can set it). Each form carries a token derived
 * from that secret and bound to the browser's session: the token includes an HMAC of a hash of the session cookie
 * (or of "signed-out" before sign-in), and is accepted only with the same session cookie. So a token is good only for
 * the secret *and* the session it was made for: someone who plants their own CSRF cookie and token in a victim's
 * browser (cookie tossing from a sibling host, or a man in the middle on plain HTTP) still cannot act in the victim's
 * session, whose secret they do not know.
 *
 * The HMAC key need not be secret, and is not: what makes a token unforgeable is the secret cookie and the session
 * secret, neither of which leaves the browser; the key only separates these hashes from any other use. That is also
 * why every process of a deployment accepts every other's tokens without sharing a key.
 */
import { createHash } from 'node:crypto';
import csrf from '@fastify/csrf-protection';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from './web-session.ts';

const HMAC_KEY = 'tessera csrf token bound to a session';

/** The CSRF cookie's name: `__Host-` needs Secure, which a browser refuses to store from plain HTTP. */
export function csrfCookieName(secure: boolean): string {
  return secure ? '__Host-tessera_csrf' : 'tessera_csrf';
}

/** What a form token is bound to: the session cookie the browser holds (valid or not), or none. */
function sessionBinding(request: FastifyRequest): string {
  const session = request.cookies[SESSION_COOKIE];
  return session ? `session:${createHash('sha256').update(session).digest('base64url')}` : 'signed-out';
}

export async function registerCsrfProtection(app: FastifyInstance, options: { secure: boolean }): Promise<void> {
  await app.register(csrf, {
    cookieKey: csrfCookieName(options.secure),
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'lax', secure: options.secure, signed: false },
    getUserInfo: sessionBinding,
    csrfOpts: { hmacKey: HMAC_KEY, userInfo: true },
  });
}

/** The token for the forms of the page being rendered (and the CSRF cookie, when the browser has none yet). */
export function csrfTokenFor(reply: FastifyReply): string {
  return reply.generateCsrf({ userInfo: sessionBinding(reply.request) });
}
