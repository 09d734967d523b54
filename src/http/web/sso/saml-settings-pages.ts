/**
 * An organization's SAML settings page (owners only): Tessera's service-provider details for the IdP's setup, the
 * IdP's settings (its metadata XML, or sign-on URL, issuer and certificate typed in), "Test SAML configuration" (a
 * real sign-in through the IdP), requiring SAML once a test succeeded, and turning SAML off.
 */
import { X509Certificate } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { disableOrganizationSaml, findOrganizationSaml, saveOrganizationSaml, type SamlSettingsInput, setSamlEnforcement } from '../../../domain/sso/saml-settings.ts';
import { MAX_METADATA_BYTES } from '../../../saml/idp-metadata.ts';
import { samlServiceProvider } from '../../../saml/service-provider.ts';
import type { OwnerRow } from '../../../store/database.ts';
import type { AppDeps } from '../../app-deps.ts';
import { field } from '../form.ts';
import { noticeText, pageText } from '../page-locale.ts';
import { renderPage } from '../render.ts';
import { formBody, keyOf, pageQuery, TEXT } from '../web-input.ts';
import { idpSettingsError, SAML_SETTINGS_NOTICES } from './saml-settings-messages.ts';
import { idpFormActions, orgParams, requireOrganizationOwner } from './sso-pages-common.ts';
import { startSignIn } from './sso-sign-in-pages.ts';

/** Metadata of MAX_METADATA_BYTES, form-encoded (up to three characters a byte), and the other fields. */
const SETTINGS_BODY_LIMIT = MAX_METADATA_BYTES * 3 + 64 * 1024;

const settingsPath = (organization: OwnerRow) => `/orgs/${encodeURIComponent(organization.login)}/settings/saml`;

/** The certificate's SHA-256 fingerprint; undefined when it cannot be read (the page says so). */
function fingerprintOf(pem: string): string | undefined {
  try {
    return new X509Certificate(pem).fingerprint256;
  } catch {
    return undefined;
  }
}

export function registerSamlSettingsPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = app.csrfProtection;

  async function renderSettings(reply: FastifyReply, organization: OwnerRow, extra: { values?: Record<string, string>; error?: string; notice?: string | undefined }) {
    const saml = await findOrganizationSaml(deps, organization);
    return renderPage(reply, 'saml-settings', {
      title: pageText(reply.request).t('sso:settings.title', { org: organization.login }),
      organization,
      sp: samlServiceProvider(deps.config.baseUrl, organization.login),
      saml,
      fingerprints: saml?.idp.certificates.map(fingerprintOf) ?? [],
      values: extra.values ?? {},
      error: extra.error,
      notice: extra.notice,
    }, idpFormActions(saml?.idp.ssoUrl));
  }

  app.get<{ Params: { org: string }; Querystring: { notice?: string } }>('/orgs/:org/settings/saml', {
    schema: { params: orgParams, querystring: pageQuery({ notice: keyOf(SAML_SETTINGS_NOTICES) }) },
  }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    return renderSettings(reply, owner.organization, { notice: noticeText(pageText(request).t, SAML_SETTINGS_NOTICES, request.query.notice) });
  });

  app.post<{ Params: { org: string } }>('/orgs/:org/settings/saml', {
    preHandler: csrf, bodyLimit: SETTINGS_BODY_LIMIT,
    schema: { params: orgParams, body: formBody({ metadata_xml: TEXT, sso_url: TEXT, entity_id: TEXT, certificate: TEXT }) },
  }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    const values = {
      metadata_xml: field(request.body, 'metadata_xml'),
      sso_url: field(request.body, 'sso_url'),
      entity_id: field(request.body, 'entity_id'),
      certificate: field(request.body, 'certificate'),
    };
    const input: SamlSettingsInput = values.metadata_xml.trim() !== ''
      ? { kind: 'metadata', xml: values.metadata_xml }
      : { kind: 'manual', entityId: values.entity_id, ssoUrl: values.sso_url, certificate: values.certificate };
    const result = await saveOrganizationSaml(deps, owner.organization, input);
    if (!result.ok) return renderSettings(reply.code(422), owner.organization, { values, error: idpSettingsError(pageText(request).t, result.code) });
    return reply.redirect(`${settingsPath(owner.organization)}?notice=${result.changed ? 'saved' : 'unchanged'}`);
  });

  app.post<{ Params: { org: string } }>('/orgs/:org/settings/saml/test', { preHandler: csrf, schema: { params: orgParams, body: formBody() } }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    const saml = await findOrganizationSaml(deps, owner.organization);
    if (!saml) return reply.redirect(settingsPath(owner.organization));
    return startSignIn(reply, deps, owner.organization, saml, owner.user, { kind: 'test' });
  });

  app.post<{ Params: { org: string } }>('/orgs/:org/settings/saml/enforcement', {
    preHandler: csrf, schema: { params: orgParams, body: formBody({ enforce: { type: 'string', enum: ['on', 'off'] } }, ['enforce']) },
  }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    const enforce = field(request.body, 'enforce') === 'on';
    const result = await setSamlEnforcement(deps, owner.organization, enforce);
    const notice = result.ok ? (enforce ? 'enforced' : 'not-enforced') : result.code === 'not_tested' ? 'not-tested' : '';
    return reply.redirect(`${settingsPath(owner.organization)}?notice=${notice}`);
  });

  app.post<{ Params: { org: string } }>('/orgs/:org/settings/saml/disable', { preHandler: csrf, schema: { params: orgParams, body: formBody() } }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    await disableOrganizationSaml(deps, owner.organization);
    return reply.redirect(`${settingsPath(owner.organization)}?notice=disabled`);
  });
}
