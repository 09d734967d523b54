/**
 * An organization's IdP settings, from the IdP's metadata XML or typed by hand: entity ID, sign-on URL (HTTP-Redirect
 * binding, the one Tessera sends AuthnRequests with) and signing certificates. Certificates must hold an RSA key of
 * 2048 bits or more: node-saml's verifier (xml-crypto) checks RSA signatures only, so any other key could never
 * verify a response and is refused here, when the owner can still fix it.
 */
import { X509Certificate } from 'node:crypto';
import { attribute, childElements, isElement, NS, onlyChild, parseStrictXml, textOnly, type XmlElement } from './xml-document.ts';
import type { IdpSettings } from './types.ts';

export type IdpSettingsFailure =
  | 'malformed' | 'too_large' | 'not_idp_metadata' | 'several_idps'
  | 'missing_entity_id' | 'missing_sso_url' | 'bad_sso_url'
  | 'missing_certificate' | 'bad_certificate' | 'unsupported_certificate';

export type IdpSettingsResult = { ok: true; idp: IdpSettings } | { ok: false; code: IdpSettingsFailure };

/** One IdP's metadata is a few kilobytes; federation aggregates of thousands of entities are not what is asked for. */
export const MAX_METADATA_BYTES = 256 * 1024;
const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const MIN_RSA_BITS = 2048;

export async function parseIdpMetadata(xml: string): Promise<IdpSettingsResult> {
  if (Buffer.byteLength(xml) > MAX_METADATA_BYTES) return { ok: false, code: 'too_large' };
  const root = await parseStrictXml(xml.replace(/^\uFEFF/, ''));
  if (!root) return { ok: false, code: 'malformed' };
  const entities = isElement(root, NS.metadata, 'EntitiesDescriptor') ? childElements(root, NS.metadata, 'EntityDescriptor') : [root];
  const idps = entities.filter((entity) => isElement(entity, NS.metadata, 'EntityDescriptor') && idpDescriptorOf(entity));
  if (idps.length === 0) return { ok: false, code: 'not_idp_metadata' };
  if (idps.length > 1) return { ok: false, code: 'several_idps' };
  const entity = idps[0]!;
  const descriptor = idpDescriptorOf(entity)!;
  const ssoUrl = childElements(descriptor, NS.metadata, 'SingleSignOnService')
    .find((service) => attribute(service, 'Binding') === REDIRECT_BINDING);
  const certificates = childElements(descriptor, NS.metadata, 'KeyDescriptor')
    .filter((key) => (attribute(key, 'use') ?? 'signing') === 'signing')
    .flatMap((key) => childElements(key, NS.dsig, 'KeyInfo'))
    .flatMap((keyInfo) => childElements(keyInfo, NS.dsig, 'X509Data'))
    .flatMap((data) => childElements(data, NS.dsig, 'X509Certificate'))
    .map((certificate) => textOnly(certificate) ?? '');
  return checkIdpSettings({
    entityId: attribute(entity, 'entityID') ?? '',
    ssoUrl: ssoUrl ? attribute(ssoUrl, 'Location') ?? '' : '',
    certificates,
  });
}

function idpDescriptorOf(entity: XmlElement): XmlElement | undefined {
  const descriptor = onlyChild(entity, NS.metadata, 'IDPSSODescriptor');
  return descriptor && (attribute(descriptor, 'protocolSupportEnumeration') ?? '').split(/\s+/).includes(NS.protocol) ? descriptor : undefined;
}

/**
 * Settings typed by hand (or read from metadata), checked and normalised: certificates may be PEM (one or several
 * blocks in one string) or bare base64 DER, and come back as PEM.
 */
export function checkIdpSettings(input: { entityId: string; ssoUrl: string; certificates: string[] }): IdpSettingsResult {
  const entityId = input.entityId.trim();
  if (entityId === '' || entityId.length > 1024 || /[\s\p{Cc}]/u.test(entityId)) return { ok: false, code: 'missing_entity_id' };
  const ssoUrl = input.ssoUrl.trim();
  if (ssoUrl === '') return { ok: false, code: 'missing_sso_url' };
  if (!URL.canParse(ssoUrl) || !['https:', 'http:'].includes(new URL(ssoUrl).protocol)) return { ok: false, code: 'bad_sso_url' };
  const blocks = input.certificates.flatMap(splitCertificates);
  if (blocks.length === 0) return { ok: false, code: 'missing_certificate' };
  const certificates: string[] = [];
  for (const block of blocks) {
    const certificate = readCertificate(block);
    if (!certificate) return { ok: false, code: 'bad_certificate' };
    const key = certificate.publicKey;
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) {
      return { ok: false, code: 'unsupported_certificate' };
    }
    certificates.push(certificate.toString());
  }
  return { ok: true, idp: { entityId, ssoUrl, certificates: [...new Set(certificates)] } };
}

/** The base64 bodies of the PEM blocks in `text`, or `text` itself as one bare base64 body. */
function splitCertificates(text: string): string[] {
  if (!text.includes('-----BEGIN')) return text.trim() === '' ? [] : [text];
  const blocks = [...text.matchAll(/-----BEGIN CERTIFICATE-----([^-]*)-----END CERTIFICATE-----/g)].map((match) => match[1]!);
  return blocks.length > 0 ? blocks : [text];
}

function readCertificate(base64: string): X509Certificate | undefined {
  const compact = base64.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  try {
    return new X509Certificate(Buffer.from(compact, 'base64'));
  } catch {
    return undefined;
  }
}
