/**
 * What the SAML settings form says about IdP settings it cannot use (src/saml/idp-metadata.ts's codes), and the
 * notices of the SAML pages: each a key of the sso namespace (src/i18n/locales/<language>/sso.json). A Record over
 * every code makes a new code without words a type error.
 */
import type { IdpSettingsFailure } from '../../../saml/idp-metadata.ts';
import type { Translate } from '../../../i18n/translator.ts';

const IDP_SETTINGS_ERROR_KEYS: Record<IdpSettingsFailure, string> = {
  malformed: 'sso:idpSettingsErrors.malformed',
  too_large: 'sso:idpSettingsErrors.too_large',
  not_idp_metadata: 'sso:idpSettingsErrors.not_idp_metadata',
  several_idps: 'sso:idpSettingsErrors.several_idps',
  missing_entity_id: 'sso:idpSettingsErrors.missing_entity_id',
  missing_sso_url: 'sso:idpSettingsErrors.missing_sso_url',
  bad_sso_url: 'sso:idpSettingsErrors.bad_sso_url',
  missing_certificate: 'sso:idpSettingsErrors.missing_certificate',
  bad_certificate: 'sso:idpSettingsErrors.bad_certificate',
  unsupported_certificate: 'sso:idpSettingsErrors.unsupported_certificate',
};

/** The settings form's words for a code; the command line (`tessera org sso`) passes English's `t`, as the API speaks English. */
export function idpSettingsError(t: Translate, code: IdpSettingsFailure): string {
  return t(IDP_SETTINGS_ERROR_KEYS[code]);
}

/** The `?notice=` of the SAML settings and authorizations pages, each its key. */
export const SAML_SETTINGS_NOTICES: Record<string, string> = {
  saved: 'sso:notices.saved',
  unchanged: 'sso:notices.unchanged',
  'test-succeeded': 'sso:notices.test-succeeded',
  enforced: 'sso:notices.enforced',
  'not-enforced': 'sso:notices.not-enforced',
  'not-tested': 'sso:notices.not-tested',
  disabled: 'sso:notices.disabled',
  'identity-removed': 'sso:notices.identity-removed',
  revoked: 'sso:notices.revoked',
};
