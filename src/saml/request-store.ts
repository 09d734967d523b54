/**
 * The AuthnRequests this SP has sent, so that a response is accepted only as the answer to one of them (InResponseTo):
 * no unsolicited (IdP-initiated) responses, which could be replayed or planted in a victim's browser (login CSRF).
 *
 * Kept in the shared one-time store (memory, or Redis so that the IdP may post back to any process) under the
 * request's ID, with the organization's id as the field: taking it removes it, so each request is answered once;
 * a request taken for another organization does not count. It lives SAML_REQUEST_TTL_MS: long enough for a password,
 * a second factor and a slow IdP, short enough that a stolen ID is soon worthless.
 */
import type { OneTimeStore } from '../domain/shared-state.ts';

export const SAML_REQUEST_TTL_MS = 15 * 60 * 1000;

/** IDs are xsd:ID (an NCName); Tessera's own are '_' and 40 hex digits. Anything else is never looked up. */
const REQUEST_ID = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;

const keyOf = (requestId: string) => `saml-request:${requestId}`;

export async function rememberSamlRequest(
  store: OneTimeStore, requestId: string, orgId: number | string, relayState: string | undefined, now: Date,
): Promise<void> {
  await store.put(keyOf(requestId), String(orgId), JSON.stringify({ relayState: relayState ?? null }), SAML_REQUEST_TTL_MS, now);
}

/** The request, consumed; undefined when this SP did not send it for this organization, or it was answered or expired. */
export async function takeSamlRequest(
  store: OneTimeStore, requestId: string, orgId: number | string, now: Date,
): Promise<{ relayState: string | undefined } | undefined> {
  if (!REQUEST_ID.test(requestId)) return undefined;
  const entry = (await store.take(keyOf(requestId), now)).find((candidate) => candidate.field === String(orgId));
  if (!entry) return undefined;
  const { relayState } = JSON.parse(entry.value) as { relayState: string | null };
  return { relayState: relayState ?? undefined };
}
