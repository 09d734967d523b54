import { API_DOCS_PATH } from '../../src/http/api/operation-docs.ts';

/** The `documentation_url` Tessera answers: its own reference page, at the operation's anchor when there is one. */
export function docsUrl(server: { baseUrl: string }, anchor?: string): string {
  return `${server.baseUrl}${API_DOCS_PATH}${anchor ? `#${anchor}` : ''}`;
}
