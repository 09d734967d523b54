/**
 * Metadata both ways: the SP metadata an IdP administrator imports for an organization, and an IdP's metadata an
 * organization owner uploads (or its three settings typed by hand), with every way the upload can be wrong.
 */
import assert from 'node:assert/strict';
import { dirname } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkIdpSettings, MAX_METADATA_BYTES, parseIdpMetadata } from '../../src/saml/idp-metadata.ts';
import { buildServiceProviderMetadata, NAMEID_FORMAT_UNSPECIFIED, samlServiceProvider } from '../../src/saml/service-provider.ts';
import { attribute, childElements, NS, onlyChild, parseStrictXml, textOnly } from '../../src/saml/xml-document.ts';
import { createTestIdp, idpMetadataXml, type TestIdp } from '../helpers/saml-idp.ts';
import { BILLION_LAUGHS_DECLARATIONS, XXE_DECLARATION } from '../helpers/saml-forgeries.ts';
import { EC_P256, makeSigningKey, makeWorkDir, RSA_1024, type SigningKey } from '../helpers/saml-xmlsec.ts';

const BASE = 'https://code.example.test';

describe('SP metadata of an organization', () => {
  test('entity ID and ACS URL under /orgs/<org>, HTTP-POST, NameID format unspecified, assertions wanted signed', async () => {
    assert.deepEqual(samlServiceProvider(`${BASE}/`, 'acme'), {
      entityId: `${BASE}/orgs/acme`, acsUrl: `${BASE}/orgs/acme/saml/consume`, metadataUrl: `${BASE}/orgs/acme/saml/metadata`,
    });
    const root = await parseStrictXml(buildServiceProviderMetadata(BASE, 'acme'));
    assert.ok(root);
    assert.equal(attribute(root, 'entityID'), `${BASE}/orgs/acme`);
    const descriptor = onlyChild(root, NS.metadata, 'SPSSODescriptor');
    assert.ok(descriptor);
    assert.equal(attribute(descriptor, 'WantAssertionsSigned'), 'true');
    assert.equal(attribute(descriptor, 'AuthnRequestsSigned'), 'false');
    assert.equal(textOnly(onlyChild(descriptor, NS.metadata, 'NameIDFormat')!), NAMEID_FORMAT_UNSPECIFIED);
    const services = childElements(descriptor, NS.metadata, 'AssertionConsumerService');
    assert.deepEqual(services.map((service) => [attribute(service, 'Binding'), attribute(service, 'Location')]),
      [['urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST', `${BASE}/orgs/acme/saml/consume`]]);
    assert.equal(childElements(descriptor, NS.metadata, 'KeyDescriptor').length, 0);
  });

  test('an organization login is escaped into the URLs', () => {
    assert.equal(samlServiceProvider(BASE, 'a b/c').entityId, `${BASE}/orgs/a%20b%2Fc`);
  });

  test('with a signing key: AuthnRequestsSigned and the key\'s certificate for signing', async (t) => {
    const key = await makeSigningKey(await makeWorkDir(t), 'sp');
    const root = await parseStrictXml(buildServiceProviderMetadata(BASE, 'acme', key));
    const descriptor = onlyChild(root!, NS.metadata, 'SPSSODescriptor')!;
    assert.equal(attribute(descriptor, 'AuthnRequestsSigned'), 'true');
    const keyDescriptor = onlyChild(descriptor, NS.metadata, 'KeyDescriptor')!;
    assert.equal(attribute(keyDescriptor, 'use'), 'signing');
    const certificate = onlyChild(onlyChild(onlyChild(keyDescriptor, NS.dsig, 'KeyInfo')!, NS.dsig, 'X509Data')!, NS.dsig, 'X509Certificate')!;
    assert.equal(textOnly(certificate)!.replace(/\s+/g, ''), key.certificateBase64);
  });
});

describe('IdP metadata and settings', () => {
  let idp: TestIdp;
  let ec: SigningKey;
  let rsa1024: SigningKey;
  const cleanups: Array<() => Promise<void>> = [];
  before(async () => {
    idp = await createTestIdp({ after: (fn: () => Promise<void>) => void cleanups.push(fn) }, {
      entityId: 'https://idp.example.test/metadata', ssoUrl: 'https://idp.example.test/sso',
    });
    const dir = dirname(idp.key.keyFile);
    ec = await makeSigningKey(dir, 'ec', EC_P256);
    rsa1024 = await makeSigningKey(dir, 'rsa1024', RSA_1024);
  });
  after(async () => { for (const cleanup of cleanups) await cleanup(); });

  test('the IdP\'s metadata gives its entity ID, its HTTP-Redirect sign-on URL and its signing certificate, as PEM', async () => {
    assert.deepEqual(await parseIdpMetadata(idp.metadataXml()), {
      ok: true, idp: { entityId: 'https://idp.example.test/metadata', ssoUrl: 'https://idp.example.test/sso', certificates: [idp.key.certificate] },
    });
  });

  test('an EntitiesDescriptor holding one IdP (and an SP) is read; a byte-order mark is fine', async () => {
    const idpEntity = idp.metadataXml().replace(/^<\?xml[^>]*\?>\s*/, '');
    const spEntity = buildServiceProviderMetadata(BASE, 'acme').replace(/^<\?xml[^>]*\?>\s*/, '');
    const aggregate = `\uFEFF<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${idpEntity}${spEntity}</md:EntitiesDescriptor>`;
    assert.deepEqual(await parseIdpMetadata(aggregate), await parseIdpMetadata(idp.metadataXml()));
  });

  const metadata = (changes: { entityId?: string; ssoUrl?: string; certificates?: string[] } = {}) =>
    idpMetadataXml(changes.entityId ?? 'https://idp.example.test/metadata', changes.ssoUrl ?? 'https://idp.example.test/sso',
      changes.certificates ?? [idp.key.certificateBase64]);
  const body = () => metadata().replace(/^<\?xml[^>]*\?>\s*/, '');
  const withDoctype = (declarations: string) => metadata().replace('<md:EntityDescriptor', `<!DOCTYPE md:EntityDescriptor [${declarations}]><md:EntityDescriptor`);
  const refusals: Array<[string, () => string, string]> = [
    ['not XML', () => 'this is not XML', 'malformed'],
    ['a DOCTYPE', () => withDoctype(''), 'malformed'],
    ['an external entity (XXE)', () => withDoctype(XXE_DECLARATION).replace('https://idp.example.test/sso"', '&xxe;"'), 'malformed'],
    ['billion laughs', () => withDoctype(BILLION_LAUGHS_DECLARATIONS).replace('https://idp.example.test/metadata"', '&lol9;"'), 'malformed'],
    ['a comment', () => metadata().replace('<md:IDPSSODescriptor', '<!-- hi --><md:IDPSSODescriptor'), 'malformed'],
    ['two root elements', () => metadata() + body(), 'malformed'],
    ['larger than MAX_METADATA_BYTES', () => metadata().replace('</md:IDPSSODescriptor>', `${' '.repeat(MAX_METADATA_BYTES)}</md:IDPSSODescriptor>`), 'too_large'],
    ['an SP\'s metadata', () => buildServiceProviderMetadata(BASE, 'acme'), 'not_idp_metadata'],
    ['an IdP of SAML 1.1 only', () => metadata().replace(':SAML:2.0:protocol"', ':SAML:1.1:protocol"'), 'not_idp_metadata'],
    ['two IdPs', () => `<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">${body()}${body()}</md:EntitiesDescriptor>`, 'several_idps'],
    ['no entityID', () => metadata().replace(/ entityID="[^"]*"/, ''), 'missing_entity_id'],
    ['no HTTP-Redirect sign-on service', () => metadata().replace(/<md:SingleSignOnService Binding="[^"]*HTTP-Redirect"[^>]*\/>/, ''), 'missing_sso_url'],
    ['a javascript: sign-on URL', () => metadata({ ssoUrl: 'javascript:alert(1)' }), 'bad_sso_url'],
    ['no signing certificate', () => metadata({ certificates: [] }), 'missing_certificate'],
    ['an encryption certificate only', () => metadata().replace('use="signing"', 'use="encryption"'), 'missing_certificate'],
    ['a certificate that is not one', () => metadata({ certificates: ['bm90IGEgY2VydGlmaWNhdGU='] }), 'bad_certificate'],
    ['an EC certificate (xml-crypto verifies RSA only)', () => metadata({ certificates: [ec.certificateBase64] }), 'unsupported_certificate'],
    ['an RSA certificate of 1024 bits', () => metadata({ certificates: [rsa1024.certificateBase64] }), 'unsupported_certificate'],
  ];
  for (const [name, make, code] of refusals) {
    test(`refused: ${name} → ${code}`, async () => {
      assert.deepEqual(await parseIdpMetadata(make()), { ok: false, code });
    });
  }

  test('settings typed by hand: PEM or bare base64, several certificates in one field, surrounding blanks trimmed', async () => {
    const next = await makeSigningKey(dirname(idp.key.keyFile), 'next');
    assert.deepEqual(checkIdpSettings({
      entityId: ' https://idp.example.test/metadata ', ssoUrl: ' https://idp.example.test/sso\n',
      certificates: [`${idp.key.certificate}\n${next.certificate}`],
    }), {
      ok: true,
      idp: { entityId: 'https://idp.example.test/metadata', ssoUrl: 'https://idp.example.test/sso', certificates: [idp.key.certificate, next.certificate] },
    });
    assert.deepEqual(checkIdpSettings({ entityId: 'x', ssoUrl: 'https://idp.example.test/', certificates: [idp.key.certificateBase64] }),
      { ok: true, idp: { entityId: 'x', ssoUrl: 'https://idp.example.test/', certificates: [idp.key.certificate] } });
    const refused: Array<[Parameters<typeof checkIdpSettings>[0], string]> = [
      [{ entityId: '', ssoUrl: 'https://idp.example.test/', certificates: [idp.key.certificate] }, 'missing_entity_id'],
      [{ entityId: 'has space', ssoUrl: 'https://idp.example.test/', certificates: [idp.key.certificate] }, 'missing_entity_id'],
      [{ entityId: 'x', ssoUrl: '', certificates: [idp.key.certificate] }, 'missing_sso_url'],
      [{ entityId: 'x', ssoUrl: 'ftp://idp.example.test/', certificates: [idp.key.certificate] }, 'bad_sso_url'],
      [{ entityId: 'x', ssoUrl: 'https://idp.example.test/', certificates: [' '] }, 'missing_certificate'],
      [{ entityId: 'x', ssoUrl: 'https://idp.example.test/', certificates: [idp.key.privateKey] }, 'bad_certificate'],
      [{ entityId: 'x', ssoUrl: 'https://idp.example.test/', certificates: [ec.certificate] }, 'unsupported_certificate'],
    ];
    for (const [input, code] of refused) assert.deepEqual(checkIdpSettings(input), { ok: false, code }, JSON.stringify(input).slice(0, 80));
  });
});
