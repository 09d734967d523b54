/**
 * What a refused single sign-on says, in one sentence what was wrong and in another what to do, in the page's language
 * (the sso namespace's signInFailure.<code>). A Record over every code makes a new code without words a type error.
 * The codes are logged; these sentences are only shown.
 */
import type { SignInFailure } from '../../../domain/sso/saml-sign-in.ts';
import type { Translate } from '../../../i18n/translator.ts';
import type { ServiceProvider } from '../../../saml/service-provider.ts';

export interface FailureMessage {
  problem: string;
  remedy: string;
}

/** Each code's key under sso:signInFailure (its problem and remedy). */
const FAILURE_KEYS: Record<SignInFailure, string> = {
  malformed: 'malformed',
  idp_error: 'idp_error',
  unsigned: 'unsigned',
  bad_signature: 'bad_signature',
  weak_algorithm: 'weak_algorithm',
  encrypted_assertion: 'encrypted_assertion',
  wrong_issuer: 'wrong_issuer',
  wrong_destination: 'wrong_destination',
  wrong_recipient: 'wrong_recipient',
  wrong_audience: 'wrong_audience',
  expired: 'expired',
  not_yet_valid: 'not_yet_valid',
  replayed: 'replayed',
  unknown_request: 'unknown_request',
  not_a_member: 'not_a_member',
  identity_mismatch: 'identity_mismatch',
  identity_taken: 'identity_taken',
};

export const SIGN_IN_FAILURES = Object.keys(FAILURE_KEYS) as SignInFailure[];

export function describeSignInFailure(t: Translate, code: SignInFailure, org: string, sp: ServiceProvider): FailureMessage {
  const values = { org, acsUrl: sp.acsUrl, entityId: sp.entityId };
  const key = `sso:signInFailure.${FAILURE_KEYS[code]}`;
  return { problem: t(`${key}.problem`, values), remedy: t(`${key}.remedy`, values) };
}
