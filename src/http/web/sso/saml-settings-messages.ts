/** What the SAML settings form says about IdP settings it cannot use (src/saml/idp-metadata.ts's codes). */
import type { IdpSettingsFailure } from '../../../saml/idp-metadata.ts';

export const IDP_SETTINGS_ERRORS: Record<IdpSettingsFailure, string> = {
  malformed: 'The metadata is not well-formed XML (or holds a DOCTYPE, which Tessera refuses).',
  too_large: 'The metadata is larger than 256 KB: upload the metadata of your identity provider alone, not of a federation.',
  not_idp_metadata: 'The metadata describes no SAML 2.0 identity provider (no IDPSSODescriptor).',
  several_idps: 'The metadata describes several identity providers: upload the metadata of one.',
  missing_entity_id: 'Enter the identity provider\'s issuer (entity ID), without spaces.',
  missing_sso_url: 'Enter the identity provider\'s sign-on URL (its HTTP-Redirect SingleSignOnService).',
  bad_sso_url: 'The sign-on URL must be an http:// or https:// address.',
  missing_certificate: 'Enter the identity provider\'s X.509 signing certificate (PEM or base64).',
  bad_certificate: 'The signing certificate could not be read: paste it as PEM (-----BEGIN CERTIFICATE-----) or base64.',
  unsupported_certificate: 'The signing certificate must hold an RSA key of 2048 bits or more.',
};

export const SAML_SETTINGS_NOTICES: Record<string, string> = {
  saved: 'Saved the identity provider. Test the SAML configuration before you require it.',
  unchanged: 'The identity provider is unchanged.',
  'test-succeeded': 'The test sign-in succeeded: the identity provider signed you in and its response verified. You can now require SAML single sign-on.',
  enforced: 'Members must now sign in through the identity provider to reach the organization, and tokens must be authorized for it.',
  'not-enforced': 'SAML single sign-on is no longer required. Members who linked an identity still need authorized tokens.',
  'not-tested': 'Test the SAML configuration with a successful sign-in before you require it.',
  disabled: 'SAML single sign-on is off: linked identities, SAML sessions and token authorizations were removed.',
  'identity-removed': 'Removed the linked identity: the member\'s SAML session ended and their token authorizations were revoked.',
  revoked: 'Revoked the token\'s authorization.',
};
