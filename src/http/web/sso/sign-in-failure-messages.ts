/**
 * What a refused single sign-on says, in one sentence what was wrong and in another what to do. A Record over every
 * code makes a new code without words a type error. The codes are logged; these sentences are only shown.
 */
import type { SignInFailure } from '../../../domain/sso/saml-sign-in.ts';
import type { ServiceProvider } from '../../../saml/service-provider.ts';

export interface FailureMessage {
  problem: string;
  remedy: string;
}

type Words = (org: string, sp: ServiceProvider) => FailureMessage;

const ASK_OWNERS = (org: string) => `Ask an owner of ${org} to check the SAML settings and the identity provider's setup for Tessera.`;
const START_AGAIN = 'Start the sign-in again from Tessera.';

const MESSAGES: Record<SignInFailure, Words> = {
  malformed: (org) => ({ problem: 'The identity provider\'s answer could not be read as a SAML response.', remedy: `${START_AGAIN} If it happens again, tell an owner of ${org}: the identity provider's setup for Tessera needs checking.` }),
  idp_error: () => ({ problem: 'The identity provider did not sign you in: it answered with an error, or the sign-in was cancelled.', remedy: `${START_AGAIN} If the identity provider refuses you, ask its administrator whether you may use Tessera.` }),
  unsigned: (org) => ({ problem: 'The identity provider\'s response was not signed.', remedy: `${ASK_OWNERS(org)} It must sign its responses or assertions.` }),
  bad_signature: (org) => ({ problem: `The response's signature does not verify with the identity provider certificate configured for ${org}.`, remedy: ASK_OWNERS(org) }),
  weak_algorithm: (org) => ({ problem: 'The response was signed with SHA-1, which Tessera does not accept.', remedy: `${ASK_OWNERS(org)} It must sign with SHA-256.` }),
  encrypted_assertion: (org) => ({ problem: 'The identity provider encrypted the assertion, which Tessera cannot read.', remedy: `${ASK_OWNERS(org)} Assertion encryption must be off for Tessera.` }),
  wrong_issuer: (org) => ({ problem: `The response came from another identity provider than the one ${org} uses.`, remedy: ASK_OWNERS(org) }),
  wrong_destination: (org, sp) => ({ problem: `The response was sent for another address than ${org}'s sign-in address.`, remedy: `${ASK_OWNERS(org)} The Assertion Consumer Service URL must be ${sp.acsUrl}.` }),
  wrong_recipient: (org, sp) => ({ problem: `The assertion names another recipient than ${org}'s sign-in address.`, remedy: `${ASK_OWNERS(org)} The Assertion Consumer Service URL must be ${sp.acsUrl}.` }),
  wrong_audience: (org, sp) => ({ problem: `The assertion is meant for another service than ${org} on Tessera.`, remedy: `${ASK_OWNERS(org)} The audience (SP entity ID) must be ${sp.entityId}.` }),
  expired: () => ({ problem: 'The identity provider\'s response has expired.', remedy: `${START_AGAIN} If it happens again, the identity provider's clock may be wrong.` }),
  not_yet_valid: () => ({ problem: 'The identity provider\'s response is not valid yet.', remedy: `${START_AGAIN} If it happens again, the identity provider's clock may be ahead.` }),
  replayed: () => ({ problem: 'This response was already used to sign in.', remedy: START_AGAIN }),
  unknown_request: (org) => ({ problem: `The response does not answer a sign-in that Tessera started for ${org}, or the sign-in took longer than 15 minutes.`, remedy: `${START_AGAIN} Signing in from the identity provider's own dashboard does not work.` }),
  not_a_member: (org) => ({ problem: `You are not a member of ${org} (or, for a test sign-in, not one of its owners).`, remedy: `Ask an owner of ${org} to add you.` }),
  identity_mismatch: (org) => ({ problem: `Your Tessera account is linked to another identity at ${org}'s identity provider.`, remedy: `Sign in to the identity provider as the identity you linked before, or ask an owner of ${org} to remove your linked identity.` }),
  identity_taken: (org) => ({ problem: `This identity is already linked to another Tessera account in ${org}.`, remedy: `Sign in to Tessera with that account, or ask an owner of ${org} to remove the other account's linked identity.` }),
};

export function describeSignInFailure(code: SignInFailure, org: string, sp: ServiceProvider): FailureMessage {
  return MESSAGES[code](org, sp);
}
