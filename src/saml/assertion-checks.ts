/**
 * What the signature does not decide: that the verified assertion is from this organization's IdP, for this
 * organization's SP, delivered where the IdP meant it to go, and valid now. node-saml 5.1 checks neither the
 * Response's Destination nor the bearer SubjectConfirmationData's Recipient (SAML profiles 4.1.4.3 requires both),
 * and its time checks read the machine's clock, so all of this is Tessera's, against the caller's clock.
 */
import type { SamlAssertion } from './assertion.ts';
import type { ServiceProvider } from './service-provider.ts';
import type { IdpSettings, SamlResponseFailure } from './types.ts';

/** How far the IdP's clock and Tessera's may disagree. */
export const SAML_CLOCK_SKEW_MS = 2 * 60 * 1000;

/** The Response's own attributes, outside the assertion (signed only when the Response is). */
export interface ResponseEnvelope {
  destination: string | undefined;
  inResponseTo: string | undefined;
  issuer: string | undefined;
}

export function checkAssertion(
  assertion: SamlAssertion,
  response: ResponseEnvelope,
  context: { sp: ServiceProvider; idp: IdpSettings; now: Date; clockSkewMs: number },
): SamlResponseFailure | undefined {
  const { sp, idp, clockSkewMs } = context;
  const now = context.now.getTime();
  if (assertion.issuer !== idp.entityId || (response.issuer !== undefined && response.issuer !== idp.entityId)) return 'wrong_issuer';
  // Bindings 3.5.5.2: a signed message's Destination MUST be checked; Tessera requires it of every response.
  if (response.destination !== sp.acsUrl) return 'wrong_destination';
  if (assertion.confirmation.recipient !== sp.acsUrl) return 'wrong_recipient';
  const { audienceRestrictions } = assertion.conditions;
  if (audienceRestrictions.length === 0 || !audienceRestrictions.every((audiences) => audiences.includes(sp.entityId))) return 'wrong_audience';
  const starts = [assertion.conditions.notBefore, assertion.confirmation.notBefore, assertion.issueInstant];
  if (starts.some((start) => start && now + clockSkewMs < start.getTime())) return 'not_yet_valid';
  const ends = [assertion.conditions.notOnOrAfter, assertion.confirmation.notOnOrAfter, assertion.sessionNotOnOrAfter];
  if (ends.some((end) => end && now - clockSkewMs >= end.getTime())) return 'expired';
  // Only answers to Tessera's own requests: the signed InResponseTo is the one that counts; the Response's must agree.
  const requestId = assertion.confirmation.inResponseTo;
  if (requestId === undefined || (response.inResponseTo !== undefined && response.inResponseTo !== requestId)) return 'unknown_request';
  return undefined;
}

/** How long an accepted assertion's ID must be remembered: until it would be refused as expired anyway. */
export function replayWindowMs(assertion: SamlAssertion, now: Date, clockSkewMs: number): number {
  const lastValid = Math.max(assertion.conditions.notOnOrAfter.getTime(), assertion.confirmation.notOnOrAfter.getTime());
  return Math.max(lastValid + clockSkewMs - now.getTime(), 1);
}
