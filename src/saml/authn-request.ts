/**
 * SP-initiated sign-in: an AuthnRequest sent with the HTTP-Redirect binding (deflated, base64, in the query string;
 * signed with SigAlg and Signature when Tessera has a signing key), its ID remembered for the organization so the
 * response must answer it (request-store.ts).
 */
import { randomBytes } from 'node:crypto';
import { SAML } from '@node-saml/node-saml';
import { nodeSamlConfig } from './node-saml-options.ts';
import { rememberSamlRequest } from './request-store.ts';
import { samlServiceProvider } from './service-provider.ts';
import type { IdpSettings, SamlDeps, SamlOrganization, SpSigningKey } from './types.ts';

/** SAML Bindings 3.4.3: "RelayState data MUST NOT exceed 80 bytes in length". */
export const RELAY_STATE_MAX_BYTES = 80;
/**
 * node-saml 5.1 signs the query with querystring's encoding but sends it with URLSearchParams', which differ for these
 * characters (%20 or +, ! or %21…): an IdP that checks the signature over the query as sent (Bindings 3.4.4.1) would
 * refuse it. The caller's RelayState comes back from Tessera's store anyway, so an opaque value loses nothing.
 */
const RELAY_STATE_UNSAFE = /[ !'()~]/;

export type SamlSignInStart =
  | { ok: true; url: string; requestId: string }
  /** More than RELAY_STATE_MAX_BYTES, or holding one of the characters of RELAY_STATE_UNSAFE. */
  | { ok: false; code: 'bad_relay_state' };

export async function startSamlSignIn(
  deps: SamlDeps,
  input: { org: SamlOrganization; idp: IdpSettings; relayState?: string; signing?: SpSigningKey },
): Promise<SamlSignInStart> {
  const relayState = input.relayState || undefined;
  if (relayState !== undefined && (Buffer.byteLength(relayState) > RELAY_STATE_MAX_BYTES || RELAY_STATE_UNSAFE.test(relayState))) {
    return { ok: false, code: 'bad_relay_state' };
  }
  // An xsd:ID must not start with a digit; 160 random bits, as node-saml's own IDs.
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const sp = samlServiceProvider(deps.config.baseUrl, input.org.login);
  const saml = new SAML(nodeSamlConfig(sp, input.idp, { generateUniqueId: () => requestId }, input.signing));
  const url = await saml.getAuthorizeUrlAsync(relayState ?? '', undefined, {});
  await rememberSamlRequest(deps.shared.oneTime, requestId, input.org.id, relayState, deps.clock.now());
  return { ok: true, url, requestId };
}
