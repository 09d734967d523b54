/**
 * Verifies a SAMLResponse posted to an organization's Assertion Consumer Service (HTTP-POST binding) and says who
 * signed in, or why not, as a code. The steps, each refusing with its code:
 *  1. decode: base64, at most MAX_SAML_RESPONSE_BYTES, UTF-8, one plain XML document (xml-document.ts: no DOCTYPE,
 *     entity, comment or CDATA, one root) → malformed;
 *  2. shape (response-structure.ts): a successful Response with one Assertion, signatures only where they belong, of
 *     SHA-256 or better → idp_error, encrypted_assertion, unsigned, bad_signature, weak_algorithm, malformed;
 *  3. signature (response-signature.ts, node-saml): the Response or the Assertion signed by a configured certificate
 *     of the organization → bad_signature; from here on only the verified bytes are read, and node-saml's reading
 *     of the NameID must equal Tessera's (a comment that split it would have been refused in step 1 already);
 *  4. meaning (assertion-checks.ts): issuer, Destination, Recipient, audience, times with a clock skew, InResponseTo
 *     present → wrong_*, expired, not_yet_valid, unknown_request;
 *  5. once: the assertion's ID is claimed in the shared replay cache until the assertion expires → replayed; then the
 *     AuthnRequest it answers is taken from the shared store, for this organization only → unknown_request.
 *
 * Stored: the request ID (with the caller's RelayState) until answered or SAML_REQUEST_TTL_MS, the assertion ID until
 * the assertion expires; never the response. The caller logs the code, never the response or the NameID of a failure.
 */
import { readAssertion } from './assertion.ts';
import { checkAssertion, replayWindowMs, SAML_CLOCK_SKEW_MS } from './assertion-checks.ts';
import { takeSamlRequest } from './request-store.ts';
import { checkResponseStructure } from './response-structure.ts';
import { verifySignedAssertion } from './response-signature.ts';
import { samlServiceProvider } from './service-provider.ts';
import { attribute, NS, onlyChild, parseStrictXml, textOnly } from './xml-document.ts';
import type { IdpSettings, SamlDeps, SamlOrganization, SamlResponseFailure, SamlResponseResult } from './types.ts';

/** Real responses are a few kilobytes, tens with many attributes. */
export const MAX_SAML_RESPONSE_BYTES = 256 * 1024;
/** The longest an organization's SAML session lasts, whatever the IdP says (GitHub's is 24 hours too). */
export const MAX_SAML_SESSION_MS = 24 * 60 * 60 * 1000;

export interface VerifyOptions {
  clockSkewMs?: number;
  maxSessionMs?: number;
}

const refuse = (code: SamlResponseFailure): SamlResponseResult => ({ ok: false, code });

/** The posted value as text; undefined when it is not base64 of at most MAX_SAML_RESPONSE_BYTES of UTF-8. */
function decodeSamlResponse(posted: string): string | undefined {
  const base64 = posted.replace(/[\r\n\t ]+/g, '');
  if (base64.length === 0 || base64.length > Math.ceil(MAX_SAML_RESPONSE_BYTES / 3) * 4) return undefined;
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(base64, 'base64')).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

export async function verifySamlResponse(
  deps: SamlDeps,
  input: { org: SamlOrganization; idp: IdpSettings; samlResponse: string },
  options: VerifyOptions = {},
): Promise<SamlResponseResult> {
  const clockSkewMs = options.clockSkewMs ?? SAML_CLOCK_SKEW_MS;
  const now = deps.clock.now();
  const sp = samlServiceProvider(deps.config.baseUrl, input.org.login);
  const xml = decodeSamlResponse(input.samlResponse);
  const root = xml === undefined ? undefined : await parseStrictXml(xml);
  if (xml === undefined || !root) return refuse('malformed');
  const structure = checkResponseStructure(root);
  if (!structure.ok) return structure;
  if (!readAssertion(structure.assertion)) return refuse('malformed');

  const signed = await verifySignedAssertion(xml, sp, input.idp);
  if (!signed.ok) return refuse('bad_signature');
  const verifiedRoot = await parseStrictXml(signed.assertionXml);
  const assertion = verifiedRoot && readAssertion(verifiedRoot);
  if (!assertion || assertion.id !== attribute(structure.assertion, 'ID')) return refuse('bad_signature');
  if (assertion.nameId !== signed.nameId) return refuse('malformed');

  const responseIssuer = onlyChild(root, NS.assertion, 'Issuer');
  const envelope = {
    destination: attribute(root, 'Destination'),
    inResponseTo: attribute(root, 'InResponseTo'),
    issuer: responseIssuer && (textOnly(responseIssuer) ?? ''),
  };
  const problem = checkAssertion(assertion, envelope, { sp, idp: input.idp, now, clockSkewMs });
  if (problem) return refuse(problem);

  const claimed = await deps.shared.replayCache.claim(`saml-assertion:${input.org.id}:${assertion.id}`, replayWindowMs(assertion, now, clockSkewMs), now);
  if (!claimed) return refuse('replayed');
  const request = await takeSamlRequest(deps.shared.oneTime, assertion.confirmation.inResponseTo!, input.org.id, now);
  if (!request) return refuse('unknown_request');

  const sessionCap = now.getTime() + (options.maxSessionMs ?? MAX_SAML_SESSION_MS);
  return {
    ok: true,
    nameId: assertion.nameId,
    nameIdFormat: assertion.nameIdFormat,
    sessionNotOnOrAfter: new Date(Math.min(assertion.sessionNotOnOrAfter?.getTime() ?? sessionCap, sessionCap)),
    attributes: assertion.attributes,
    relayState: request.relayState,
  };
}
