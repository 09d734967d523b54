/**
 * Every forged or broken SAML Response Tessera must refuse, with the code it must refuse it with: one table, replayed
 * by test/saml/forgery-corpus.test.ts against verifySamlResponse and, later, by the HTTP tests against an
 * organization's ACS URL (where each must end in an error page and no session). Each case builds its response from
 * a fresh context: a request Tessera really issued for the organization under test (org A), one it issued for
 * another organization (org B) served by the same IdP, and the time.
 */
import type { SamlResponseFailure } from '../../src/saml/types.ts';
import { encodeSamlResponse, newSamlId, type SigningKey, type TestIdp, type TestResponseOptions, type TestSp } from './saml-idp.ts';
import {
  BILLION_LAUGHS_DECLARATIONS, commentInDigestValue, commentInNameId, duplicateAssertionId, EVIL_NAME_ID, signatureWrapping,
  twoSignedInfo, withDoctype, withNameId, XXE_DECLARATION, type XswVariant,
} from './saml-forgeries.ts';
import { ASSERTION_SIGNATURE_XPATH, RESPONSE_SIGNATURE_XPATH, signatureTemplate } from './saml-xmlsec.ts';

export interface SamlCorpusContext {
  idp: TestIdp;
  /** A key the organization does not trust. */
  attacker: SigningKey;
  /** The organization the response is posted to (org A), and another one using the same IdP (org B). */
  sp: TestSp;
  otherSp: TestSp;
  /** A request Tessera issued for org A, and one it issued for org B; both unanswered. */
  requestId: string;
  otherOrgRequestId: string;
  now: Date;
  /** Posts a response that must be accepted, for the cases that need one accepted first. */
  deliver(samlResponse: string): Promise<void>;
}

export interface SamlCorpusCase {
  name: string;
  code: SamlResponseFailure;
  /**
   * The point of the forgery is that a careless reader reads another node, or another text, than the one whose
   * signature verifies (test/saml/signature-layer.test.ts also gives these to node-saml alone).
   */
  misread?: true;
  /** The SAMLResponse form field, base64. */
  build(context: SamlCorpusContext): Promise<string>;
}

const MINUTE = 60 * 1000;
const later = (context: SamlCorpusContext, ms: number) => new Date(context.now.getTime() + ms);

/** A response to org A's request, valid unless `overrides` say otherwise. */
function respond(context: SamlCorpusContext, overrides: Partial<TestResponseOptions> = {}): Promise<string> {
  return context.idp.responseXml({ sp: context.sp, inResponseTo: context.requestId, now: context.now, ...overrides });
}

const encoded = (make: (context: SamlCorpusContext) => Promise<string>) => async (context: SamlCorpusContext) => encodeSamlResponse(await make(context));

/** The genuine response and the attacker's evil twin (same IDs, evil NameID, signed by the attacker's key). */
export async function genuineAndEvilTwin(context: SamlCorpusContext): Promise<[string, string]> {
  const ids = { responseId: newSamlId(), assertionId: newSamlId() };
  return [
    await respond(context, ids),
    await respond(context, { ...ids, nameId: EVIL_NAME_ID, signer: context.attacker, keyInfoCertificate: context.idp.key.certificateBase64 }),
  ];
}

/** A response whose only signature sits in `where` but references the other element (`target`). */
async function misdirectedSignature(context: SamlCorpusContext, where: 'response' | 'assertion'): Promise<string> {
  const ids = { responseId: newSamlId(), assertionId: newSamlId() };
  const unsigned = await respond(context, { ...ids, sign: 'none' });
  const target = where === 'response' ? ids.assertionId : ids.responseId;
  const template = signatureTemplate(target, context.idp.key.certificateBase64);
  const issuerEnd = where === 'response' ? unsigned.indexOf('</saml:Issuer>') : unsigned.lastIndexOf('</saml:Issuer>');
  const at = issuerEnd + '</saml:Issuer>'.length;
  const withTemplate = unsigned.slice(0, at) + template + unsigned.slice(at);
  return context.idp.sign(withTemplate, context.idp.key, where === 'response' ? RESPONSE_SIGNATURE_XPATH : ASSERTION_SIGNATURE_XPATH);
}

const xsw = (variant: XswVariant): SamlCorpusCase => ({
  name: `signature wrapping XSW${variant}`,
  code: 'bad_signature',
  misread: true,
  build: encoded(async (context) => signatureWrapping(variant, await respond(context, { sign: variant <= 2 ? 'response' : 'assertion' }))),
});

export const SAML_FORGERY_CORPUS: SamlCorpusCase[] = [
  // Signatures
  { name: 'unsigned', code: 'unsigned', build: encoded((c) => respond(c, { sign: 'none' })) },
  { name: 'signed by another key, no KeyInfo', code: 'bad_signature', build: encoded((c) => respond(c, { signer: c.attacker, keyInfoCertificate: null })) },
  { name: 'signed by another key whose certificate is in KeyInfo', code: 'bad_signature', build: encoded((c) => respond(c, { signer: c.attacker })) },
  {
    name: 'signed by another key, KeyInfo naming the configured certificate', code: 'bad_signature',
    build: encoded((c) => respond(c, { signer: c.attacker, keyInfoCertificate: c.idp.key.certificateBase64 })),
  },
  { name: 'assertion NameID changed after signing', code: 'bad_signature', build: encoded(async (c) => withNameId(await respond(c), EVIL_NAME_ID)) },
  {
    name: 'Response signed, its assertion changed after signing', code: 'bad_signature',
    build: encoded(async (c) => withNameId(await respond(c, { sign: 'response' }), EVIL_NAME_ID)),
  },
  { name: 'signed with SHA-1', code: 'weak_algorithm', build: encoded((c) => respond(c, { digest: 'sha1' })) },
  ...([1, 2, 3, 4, 5, 6, 7, 8] as const).map(xsw),
  { name: 'two SignedInfo in one signature', code: 'bad_signature', misread: true, build: encoded(async (c) => twoSignedInfo(...await genuineAndEvilTwin(c))) },
  { name: 'comment inside DigestValue', code: 'malformed', misread: true, build: encoded(async (c) => commentInDigestValue(...await genuineAndEvilTwin(c))) },
  {
    name: 'comment inside NameID (user@evil.com<!---->.good.com)', code: 'malformed',
    misread: true,
    build: encoded(async (c) => commentInNameId(await respond(c, { nameId: 'user@evil.com.good.com' }), 'user@evil.com'.length)),
  },
  // The assertion read must be the node whose signature was verified.
  { name: 'Response signature referencing the Assertion', code: 'bad_signature', misread: true, build: encoded((c) => misdirectedSignature(c, 'response')) },
  { name: 'Assertion signature referencing the Response', code: 'bad_signature', misread: true, build: encoded((c) => misdirectedSignature(c, 'assertion')) },
  {
    name: 'another element carrying the signed assertion\'s ID', code: 'bad_signature', misread: true,
    build: encoded(async (c) => duplicateAssertionId(await respond(c))),
  },
  // Who it is from, for, and where it was sent
  { name: 'wrong audience', code: 'wrong_audience', build: encoded((c) => respond(c, { audience: 'https://other.example.test/sp' })) },
  { name: 'audience of org B', code: 'wrong_audience', build: encoded((c) => respond(c, { audience: c.otherSp.entityId })) },
  { name: 'wrong recipient', code: 'wrong_recipient', build: encoded((c) => respond(c, { recipient: c.otherSp.acsUrl })) },
  { name: 'wrong destination', code: 'wrong_destination', build: encoded((c) => respond(c, { destination: c.otherSp.acsUrl })) },
  { name: 'no destination', code: 'wrong_destination', build: encoded((c) => respond(c, { destination: null })) },
  { name: 'issued by another IdP', code: 'wrong_issuer', build: encoded((c) => respond(c, { issuer: 'https://evil.example.test/idp' })) },
  {
    name: 'a second Issuer on the Response', code: 'malformed',
    build: encoded(async (c) => (await respond(c)).replace('<saml:Issuer>', '<saml:Issuer>https://evil.example.test/idp</saml:Issuer><saml:Issuer>')),
  },
  {
    name: 'response for org B (its request, audience, ACS) posted to org A', code: 'wrong_destination',
    build: encoded((c) => c.idp.responseXml({ sp: c.otherSp, inResponseTo: c.otherOrgRequestId, now: c.now })),
  },
  // Time
  { name: 'expired (Conditions NotOnOrAfter)', code: 'expired', build: encoded((c) => respond(c, { notOnOrAfter: later(c, -5 * MINUTE) })) },
  {
    name: 'expired (SubjectConfirmationData NotOnOrAfter)', code: 'expired',
    build: encoded((c) => respond(c, { confirmationNotOnOrAfter: later(c, -5 * MINUTE) })),
  },
  { name: 'expired (SessionNotOnOrAfter)', code: 'expired', build: encoded((c) => respond(c, { sessionNotOnOrAfter: later(c, -5 * MINUTE) })) },
  { name: 'not yet valid (NotBefore)', code: 'not_yet_valid', build: encoded((c) => respond(c, { notBefore: later(c, 10 * MINUTE) })) },
  { name: 'not yet valid (issued in the future)', code: 'not_yet_valid', build: encoded((c) => respond(c, { issueInstant: later(c, 10 * MINUTE) })) },
  // Once, and only as an answer
  {
    name: 'replayed', code: 'replayed',
    build: async (c) => {
      const response = encodeSamlResponse(await respond(c));
      await c.deliver(response);
      return response;
    },
  },
  {
    name: 'a second assertion for an answered request', code: 'unknown_request',
    build: async (c) => {
      await c.deliver(encodeSamlResponse(await respond(c)));
      return encodeSamlResponse(await respond(c));
    },
  },
  { name: 'InResponseTo a request never issued', code: 'unknown_request', build: encoded((c) => respond(c, { inResponseTo: newSamlId() })) },
  { name: 'InResponseTo a request of org B', code: 'unknown_request', build: encoded((c) => respond(c, { inResponseTo: c.otherOrgRequestId })) },
  { name: 'unsolicited (no InResponseTo)', code: 'unknown_request', build: encoded((c) => respond(c, { inResponseTo: null })) },
  {
    name: 'Response InResponseTo differing from the assertion\'s', code: 'unknown_request',
    build: encoded(async (c) => (await respond(c, { sign: 'assertion' })).replace(`InResponseTo="${c.requestId}"`, `InResponseTo="${c.otherOrgRequestId}"`)),
  },
  // Parsing
  { name: 'external entity (XXE)', code: 'malformed', build: encoded(async (c) => withDoctype(await respond(c), XXE_DECLARATION, '&xxe;')) },
  { name: 'billion laughs', code: 'malformed', build: encoded(async (c) => withDoctype(await respond(c), BILLION_LAUGHS_DECLARATIONS, '&lol9;')) },
  { name: 'a DOCTYPE without entities', code: 'malformed', build: encoded(async (c) => withDoctype(await respond(c), '', 'user@example.test')) },
  {
    name: 'two root elements, the evil one first', code: 'malformed',
    build: encoded(async (c) => {
      const genuine = (await respond(c)).replace(/^<\?xml[^>]*\?>\s*/, '');
      return (await respond(c, { nameId: EVIL_NAME_ID, sign: 'none' })) + genuine;
    }),
  },
  {
    name: 'two root elements, the evil one second', code: 'malformed',
    build: encoded(async (c) => (await respond(c)) + (await respond(c, { nameId: EVIL_NAME_ID, sign: 'none' })).replace(/^<\?xml[^>]*\?>\s*/, '')),
  },
  { name: 'not base64', code: 'malformed', build: async () => 'not base64 at all!' },
  { name: 'not XML', code: 'malformed', build: async () => encodeSamlResponse('{"nameId":"admin@example.test"}') },
  {
    name: 'not a Response (an AuthnRequest)', code: 'malformed',
    build: async (c) => encodeSamlResponse('<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"'
      + ` ID="${newSamlId()}" Version="2.0" IssueInstant="${c.now.toISOString()}"/>`),
  },
  {
    name: 'an encrypted assertion', code: 'encrypted_assertion',
    build: encoded(async (c) => (await respond(c)).replace(/<saml:Assertion[\s\S]*<\/saml:Assertion>/,
      '<saml:EncryptedAssertion><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/></saml:EncryptedAssertion>')),
  },
  { name: 'IdP refused the sign-in', code: 'idp_error', build: encoded((c) => respond(c, { status: 'urn:oasis:names:tc:SAML:2.0:status:Requester' })) },
];
