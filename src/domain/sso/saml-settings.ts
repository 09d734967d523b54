/**
 * An organization's SAML settings: its identity provider (from the IdP's metadata XML, or its sign-on URL, entity ID
 * and signing certificate typed by an owner), whether members must sign in through it, and whether a test sign-in
 * succeeded with exactly these settings. Enforcement can be switched on only after such a test, so that owners do not
 * lock every member out with a typo; the site administrator's CLI may enforce at once (automation has no browser).
 * Turning SAML off removes the settings and, with them, every linked identity, SAML session and token authorization.
 */
import { checkIdpSettings, parseIdpMetadata, type IdpSettingsFailure } from '../../saml/idp-metadata.ts';
import type { IdpSettings } from '../../saml/types.ts';
import type { OrganizationSamlSettingsRow, OwnerRow } from '../../store/database.ts';
import { deleteSamlSettings, findSamlSettings, updateSamlSettings, upsertSamlSettings } from '../../store/saml-settings-store.ts';
import type { Deps } from '../deps.ts';

export interface OrganizationSaml {
  idp: IdpSettings;
  enforced: boolean;
  testedAt: Date | null;
}

export type SamlSettingsInput =
  | { kind: 'metadata'; xml: string }
  | { kind: 'manual'; entityId: string; ssoUrl: string; certificate: string };

export type SamlSettingsResult = { ok: true; changed: boolean } | { ok: false; code: IdpSettingsFailure };

function rowToSaml(row: OrganizationSamlSettingsRow): OrganizationSaml {
  return {
    idp: { entityId: row.idp_entity_id, ssoUrl: row.idp_sso_url, certificates: row.idp_certificates.split(/(?<=-----END CERTIFICATE-----)\s*/).filter(Boolean) },
    enforced: row.enforced === 1,
    testedAt: row.tested_at ? new Date(row.tested_at) : null,
  };
}

/** The organization's SAML settings, or undefined when it does not use SAML. */
export async function findOrganizationSaml(deps: Deps, organization: Pick<OwnerRow, 'id'>): Promise<OrganizationSaml | undefined> {
  const row = await findSamlSettings(deps.db, organization.id);
  return row && rowToSaml(row);
}

const pemList = (certificates: readonly string[]) => certificates.map((certificate) => certificate.trim()).join('\n');
const sameIdp = (a: IdpSettings, b: IdpSettings) => a.entityId === b.entityId && a.ssoUrl === b.ssoUrl
  && pemList(a.certificates) === pemList(b.certificates);

/**
 * Saves the identity provider. Unchanged settings keep their test and enforcement; changed ones must be tested again
 * before enforcement (which they switch off): the IdP that members were signing in with is not this one.
 */
export async function saveOrganizationSaml(deps: Deps, organization: OwnerRow, input: SamlSettingsInput): Promise<SamlSettingsResult> {
  const checked = input.kind === 'metadata'
    ? await parseIdpMetadata(input.xml)
    : checkIdpSettings({ entityId: input.entityId, ssoUrl: input.ssoUrl, certificates: [input.certificate] });
  if (!checked.ok) return checked;
  const current = await findOrganizationSaml(deps, organization);
  if (current && sameIdp(current.idp, checked.idp)) return { ok: true, changed: false };
  await upsertSamlSettings(deps.db, {
    id: organization.id,
    idp_entity_id: checked.idp.entityId,
    idp_sso_url: checked.idp.ssoUrl,
    idp_certificates: pemList(checked.idp.certificates),
    at: deps.clock.now().toISOString(),
  });
  return { ok: true, changed: true };
}

export type EnforcementResult = { ok: true } | { ok: false; code: 'not_configured' | 'not_tested' };

export async function setSamlEnforcement(
  deps: Deps, organization: OwnerRow, enforced: boolean, options: { withoutTest?: boolean } = {},
): Promise<EnforcementResult> {
  const current = await findOrganizationSaml(deps, organization);
  if (!current) return { ok: false, code: 'not_configured' };
  if (enforced && !current.testedAt && !options.withoutTest) return { ok: false, code: 'not_tested' };
  await updateSamlSettings(deps.db, organization.id, { enforced: enforced ? 1 : 0, updated_at: deps.clock.now().toISOString() });
  return { ok: true };
}

/** Records a successful test sign-in with the settings as they are now. */
export async function recordSamlTest(deps: Deps, organizationId: number): Promise<void> {
  const now = deps.clock.now().toISOString();
  await updateSamlSettings(deps.db, organizationId, { tested_at: now, updated_at: now });
}

/** Stops using SAML: the settings go, and with them every linked identity, SAML session and token authorization. */
export async function disableOrganizationSaml(deps: Deps, organization: OwnerRow): Promise<boolean> {
  return deleteSamlSettings(deps.db, organization.id);
}
