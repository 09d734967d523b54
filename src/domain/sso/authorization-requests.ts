/**
 * The link a refused token is given (`X-GitHub-SSO: required; url=…`, and the `remote:` lines of git): it leads its
 * owner through the organization's single sign-on to authorizing exactly that token, as GitHub's does.
 *
 * Stored: under a random ID (128 bits), the token's id and the organization's, in the shared one-time store (so the
 * link works on any process), for AUTHORIZATION_REQUEST_TTL_MS; opening it takes it. Never the token's secret. The
 * link authorizes nothing by itself: it is honoured only for the token's own user, signed in to Tessera, who then
 * confirms on a page (a POST with a CSRF token) after signing in through the organization's IdP.
 */
import { randomBytes } from 'node:crypto';
import type { SsoOrganization } from '../authorization.ts';
import type { Deps } from '../deps.ts';

/** GitHub's: "The URL expires after one hour." */
export const AUTHORIZATION_REQUEST_TTL_MS = 60 * 60 * 1000;

const ID_PATTERN = /^[0-9a-f]{32}$/;
const keyOf = (id: string) => `sso-authorization-request:${id}`;

/** A new link for this token and organization, valid for an hour. */
export async function issueSsoAuthorizationUrl(deps: Deps, tokenId: number, organization: SsoOrganization): Promise<string> {
  const id = randomBytes(16).toString('hex');
  await deps.shared.oneTime.put(keyOf(id), String(organization.id), JSON.stringify({ tokenId }), AUTHORIZATION_REQUEST_TTL_MS, deps.clock.now());
  return `${deps.config.baseUrl}/orgs/${encodeURIComponent(organization.login)}/sso?authorization_request=${id}`;
}

/** The token the link was issued for, if it was issued for this organization and is unused and unexpired. */
export async function takeSsoAuthorizationRequest(deps: Deps, id: string, organizationId: number): Promise<{ tokenId: number } | undefined> {
  if (!ID_PATTERN.test(id)) return undefined;
  const entry = (await deps.shared.oneTime.take(keyOf(id), deps.clock.now())).find((candidate) => candidate.field === String(organizationId));
  if (!entry) return undefined;
  const { tokenId } = JSON.parse(entry.value) as { tokenId: number };
  return { tokenId };
}
