/**
 * A test SAML identity provider: its own RSA key and self-signed certificate (openssl), its metadata XML, and SAML
 * Responses built as real IdPs build them and signed with xmlsec1 (saml-xmlsec.ts), on the Response, the Assertion,
 * both or neither, by its key or another, with any field changed. The forged and broken variants are in
 * saml-forgeries.ts and the table of them in saml-corpus.ts; saml-idp-server.ts serves this IdP over HTTP for tests
 * with a browser.
 */
import { randomBytes } from 'node:crypto';
import { after, before, type TestContext } from 'node:test';
import type { IdpSettings } from '../../src/saml/types.ts';
import {
  ASSERTION_SIGNATURE_XPATH, type DigestName, makeSigningKey, makeWorkDir, RESPONSE_SIGNATURE_XPATH, signatureTemplate,
  signWithXmlsec, type SigningKey,
} from './saml-xmlsec.ts';

export type { SigningKey } from './saml-xmlsec.ts';

export interface TestSp {
  entityId: string;
  acsUrl: string;
}

export interface TestResponseOptions {
  sp: TestSp;
  /** The AuthnRequest answered; null for an unsolicited response. */
  inResponseTo: string | null;
  now: Date;
  nameId?: string;
  nameIdFormat?: string;
  /** What carries a signature (default: the assertion, as most IdPs do). */
  sign?: 'response' | 'assertion' | 'both' | 'none';
  /** The key that signs (default: the IdP's own). */
  signer?: SigningKey;
  /** Base64 certificate put in KeyInfo (default: the signer's); null for no KeyInfo. */
  keyInfoCertificate?: string | null;
  digest?: DigestName;
  /** null leaves the attribute out. */
  destination?: string | null;
  recipient?: string;
  audience?: string;
  issuer?: string;
  issueInstant?: Date;
  notBefore?: Date;
  notOnOrAfter?: Date;
  confirmationNotOnOrAfter?: Date;
  /** null leaves it out (the IdP does not say). */
  sessionNotOnOrAfter?: Date | null;
  attributes?: Record<string, string[]>;
  status?: string;
  responseId?: string;
  assertionId?: string;
}

export interface TestIdp {
  entityId: string;
  ssoUrl: string;
  key: SigningKey;
  /** Its settings as an organization owner configures them. */
  settings: IdpSettings;
  metadataXml(): string;
  /** A Response as XML, signed as asked. */
  responseXml(options: TestResponseOptions): Promise<string>;
  /** Another key pair, in the IdP's temporary folder (an attacker's, or the IdP's next one). */
  makeKey(name: string): Promise<SigningKey>;
  /** Signs the template that `nodeXpath` selects in `xml` (saml-xmlsec.ts's XPaths). */
  sign(xml: string, key: SigningKey, nodeXpath: string): Promise<string>;
}

const MINUTE = 60 * 1000;
const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';

/** base64 of the XML, as an IdP's form posts it. */
export function encodeSamlResponse(xml: string): string {
  return Buffer.from(xml, 'utf8').toString('base64');
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const iso = (date: Date) => date.toISOString();
export const newSamlId = () => `_${randomBytes(16).toString('hex')}`;

export async function createTestIdp(
  t: TestContext | { after(fn: () => Promise<void>): void },
  options: { entityId?: string; ssoUrl?: string } = {},
): Promise<TestIdp> {
  const dir = await makeWorkDir(t);
  const key = await makeSigningKey(dir, 'idp');
  const entityId = options.entityId ?? 'https://idp.example.test/saml';
  const ssoUrl = options.ssoUrl ?? 'https://idp.example.test/sso';
  const idp: TestIdp = {
    entityId,
    ssoUrl,
    key,
    settings: { entityId, ssoUrl, certificates: [key.certificate] },
    metadataXml: () => idpMetadataXml(entityId, ssoUrl, [key.certificateBase64]),
    makeKey: (name) => makeSigningKey(dir, name),
    sign: (xml, signer, nodeXpath) => signWithXmlsec(dir, xml, signer, nodeXpath),
    async responseXml(response) {
      const signer = response.signer ?? key;
      const keyInfo = response.keyInfoCertificate === null ? undefined : (response.keyInfoCertificate ?? signer.certificateBase64);
      const sign = response.sign ?? 'assertion';
      let xml = unsignedResponseXml(idp, response, {
        response: sign === 'response' || sign === 'both', assertion: sign === 'assertion' || sign === 'both', keyInfo,
      });
      // The assertion first: the Response's digest covers the assertion's finished signature.
      if (sign === 'assertion' || sign === 'both') xml = await signWithXmlsec(dir, xml, signer, ASSERTION_SIGNATURE_XPATH);
      if (sign === 'response' || sign === 'both') xml = await signWithXmlsec(dir, xml, signer, RESPONSE_SIGNATURE_XPATH);
      return xml;
    },
  };
  return idp;
}

/**
 * A test IdP and an attacker's key, made once before the tests of the suite (describe or file) that calls this and
 * removed after them; read its fields inside tests, once the suite has started.
 */
export function testIdpForSuite(options: { entityId?: string; ssoUrl?: string } = {}): { idp: TestIdp; attacker: SigningKey } {
  const cleanups: Array<() => Promise<void>> = [];
  const made = {} as { idp: TestIdp; attacker: SigningKey };
  before(async () => {
    made.idp = await createTestIdp({ after: (fn: () => Promise<void>) => void cleanups.push(fn) }, options);
    made.attacker = await made.idp.makeKey('attacker');
  });
  after(async () => { for (const cleanup of cleanups) await cleanup(); });
  return made;
}

export function idpMetadataXml(entityId: string, ssoUrl: string, certificatesBase64: string[]): string {
  const keys = certificatesBase64.map((certificate) => '<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>'
    + `<ds:X509Certificate>${certificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${escapeXml(entityId)}">`
    + '<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">'
    + keys
    + '<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>'
    + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${escapeXml(ssoUrl)}"/>`
    + `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${escapeXml(ssoUrl)}"/>`
    + '</md:IDPSSODescriptor></md:EntityDescriptor>';
}

function unsignedResponseXml(
  idp: TestIdp, options: TestResponseOptions, templates: { response: boolean; assertion: boolean; keyInfo: string | undefined },
): string {
  const { now, sp } = options;
  const responseId = options.responseId ?? newSamlId();
  const assertionId = options.assertionId ?? newSamlId();
  const issuer = escapeXml(options.issuer ?? idp.entityId);
  const inResponseTo = options.inResponseTo === null ? '' : ` InResponseTo="${escapeXml(options.inResponseTo)}"`;
  const destination = options.destination === null ? '' : ` Destination="${escapeXml(options.destination ?? sp.acsUrl)}"`;
  const sessionEnd = options.sessionNotOnOrAfter === null ? ''
    : ` SessionNotOnOrAfter="${iso(options.sessionNotOnOrAfter ?? new Date(now.getTime() + 8 * 60 * MINUTE))}"`;
  const format = options.nameIdFormat ?? 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
  const attributes = Object.entries(options.attributes ?? { email: [options.nameId ?? 'user@example.test'] })
    .map(([name, values]) => `<saml:Attribute Name="${escapeXml(name)}">`
      + values.map((value) => `<saml:AttributeValue>${escapeXml(value)}</saml:AttributeValue>`).join('') + '</saml:Attribute>')
    .join('');
  const template = (id: string, wanted: boolean) => (wanted ? signatureTemplate(id, templates.keyInfo, options.digest) : '');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + '<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"'
    + ` ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}"${destination}${inResponseTo}>`
    + `<saml:Issuer>${issuer}</saml:Issuer>${template(responseId, templates.response)}`
    + `<samlp:Status><samlp:StatusCode Value="${escapeXml(options.status ?? SUCCESS)}"/></samlp:Status>`
    + `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${iso(options.issueInstant ?? now)}">`
    + `<saml:Issuer>${issuer}</saml:Issuer>${template(assertionId, templates.assertion)}`
    + `<saml:Subject><saml:NameID Format="${format}">${escapeXml(options.nameId ?? 'user@example.test')}</saml:NameID>`
    + '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
    + `<saml:SubjectConfirmationData${inResponseTo} Recipient="${escapeXml(options.recipient ?? sp.acsUrl)}"`
    + ` NotOnOrAfter="${iso(options.confirmationNotOnOrAfter ?? new Date(now.getTime() + 5 * MINUTE))}"/>`
    + '</saml:SubjectConfirmation></saml:Subject>'
    + `<saml:Conditions NotBefore="${iso(options.notBefore ?? new Date(now.getTime() - MINUTE))}"`
    + ` NotOnOrAfter="${iso(options.notOnOrAfter ?? new Date(now.getTime() + 5 * MINUTE))}">`
    + `<saml:AudienceRestriction><saml:Audience>${escapeXml(options.audience ?? sp.entityId)}</saml:Audience></saml:AudienceRestriction>`
    + '</saml:Conditions>'
    + `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"${sessionEnd}>`
    + '<saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport'
    + '</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>'
    + `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>`
    + '</saml:Assertion></samlp:Response>';
}
