import { API_DOCS_PATH } from '../../src/http/api/operation-docs.ts';
import { scopeHelpAnchor, TOKEN_HELP_PATH, TOKEN_HELP_SECTIONS, type TokenHelpSection } from '../../src/http/token-help-links.ts';

/** The `documentation_url` Tessera answers: its own reference page, at the operation's anchor when there is one. */
export function docsUrl(server: { baseUrl: string }, anchor?: string): string {
  return `${server.baseUrl}${API_DOCS_PATH}${anchor ? `#${anchor}` : ''}`;
}

/**
 * The `documentation_url` of an error about the credential itself (bad, missing, a password, too many failures, a
 * scope it lacks): the section of the token help page that says what to do.
 */
export function helpUrl(server: { baseUrl: string }, section: TokenHelpSection | { scope: string }): string {
  const anchor = typeof section === 'string' ? TOKEN_HELP_SECTIONS[section] : scopeHelpAnchor(section.scope);
  return `${server.baseUrl}${TOKEN_HELP_PATH}#${anchor}`;
}
