/**
 * The help page "Creating a personal access token" (`GET /help/personal-access-tokens`) and its sections, named
 * here once: the page renders these anchors, token pages link to it ("Learn more"), and API errors about the
 * credential itself (a bad token, a password, a missing scope) link to the section that explains what to do.
 * Errors about an operation (not found, invalid input, rate limits) keep linking to the API reference.
 */
import type { FastifyReply } from 'fastify';

export const TOKEN_HELP_PATH = '/help/personal-access-tokens';

/** In the page's order. */
export const TOKEN_HELP_SECTIONS = {
  /** Only where the edition requires a verified email address before a token is created. */
  verifyingEmail: 'verifying-your-email-address',
  creating: 'creating-a-token',
  scopes: 'scopes',
  commandLine: 'using-a-token-on-the-command-line',
  api: 'using-a-token-with-the-api',
  sshRemotes: 'switching-remotes-from-ssh-to-https',
  stopsWorking: 'when-a-token-stops-working',
  unusedTokens: 'unused-tokens',
  /** Only where organizations can require SAML authorization of tokens (edition.samlTokenAuthorization). */
  samlSso: 'organizations-with-saml-single-sign-on',
} as const;

export type TokenHelpSection = keyof typeof TOKEN_HELP_SECTIONS;

/** The anchor of one scope's entry on the help page (`scope-user-email` for user:email). */
export function scopeHelpAnchor(scope: string): string {
  return `scope-${scope.replace(/[^A-Za-z0-9_]/g, '-')}`;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** `<baseUrl>/help/personal-access-tokens`, read when needed: the base URL may be settled after the app is built. */
    tokenHelpUrl: string;
  }
}

/** The absolute URL of a section (or a scope's entry) of the help page, for an error's `documentation_url`. */
export function tokenHelpUrl(reply: FastifyReply, section: TokenHelpSection | { scope: string }): string {
  const anchor = typeof section === 'string' ? TOKEN_HELP_SECTIONS[section] : scopeHelpAnchor(section.scope);
  return `${reply.server.tokenHelpUrl}#${anchor}`;
}
