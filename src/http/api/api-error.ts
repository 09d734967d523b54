import type { FastifyReply } from 'fastify';
import { type TokenHelpSection, tokenHelpUrl } from '../token-help-links.ts';
import { documentationUrl } from './operation-docs.ts';

/**
 * An API error in GitHub's shape: `{"message": …, "documentation_url": …}` plus any extra fields; the URL is the
 * operation's section of Tessera's own reference (operation-docs.ts).
 */
export function sendApiError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}) {
  return reply.code(status).type('application/json; charset=utf-8')
    .send({ message, documentation_url: documentationUrl(reply), ...extra });
}

/**
 * An error about the credential rather than the operation (a bad or expired token, a password, no token, a scope the
 * token lacks), in the same shape; its `documentation_url` is the section of the token help page that says what to
 * do about it, whichever operation was called.
 */
export function sendCredentialError(reply: FastifyReply, status: number, message: string, section: TokenHelpSection | { scope: string }) {
  return reply.code(status).type('application/json; charset=utf-8')
    .send({ message, documentation_url: tokenHelpUrl(reply, section) });
}
