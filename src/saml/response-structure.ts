/**
 * The shape of a posted Response, checked before any signature is: one Assertion, where node-saml and Tessera read it
 * (a child of the Response); signatures only on the Response and on that Assertion, at most one each, each with one
 * SignedInfo holding one Reference to its own parent, and only the algorithms below; no ID given to two elements.
 *
 * This refuses the signature-wrapping family (XSW1–8 of "On Breaking SAML", 2012, which move the signed element into
 * a Signature, an Object, an Extensions or an evil Assertion, and put an unsigned copy where readers look), duplicate
 * IDs, two SignedInfo (xml-crypto CVE-2025-29775) and references to another node, without relying on the verifier
 * alone; node-saml then refuses them again by itself (test/saml/xsw.test.ts runs it on them without this step).
 */
import { attribute, childElements, descendantElements, isElement, NS, onlyChild, textOnly, type XmlElement } from './xml-document.ts';
import type { SamlResponseFailure } from './types.ts';

const SUCCESS = 'urn:oasis:names:tc:SAML:2.0:status:Success';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const C14N = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
const CANONICALIZATIONS = new Set([EXC_C14N, C14N]);
const TRANSFORMS = new Set(['http://www.w3.org/2000/09/xmldsig#enveloped-signature', EXC_C14N, C14N]);
const SIGNATURE_METHODS = new Set(['http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512']);
const DIGEST_METHODS = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);
/** SHA-1 is collision-broken (SHAttered, 2017); IdPs have signed with SHA-256 by default for years. */
const SHA1_METHODS = new Set(['http://www.w3.org/2000/09/xmldsig#rsa-sha1', 'http://www.w3.org/2000/09/xmldsig#sha1']);
/** The attributes xml-crypto resolves a Reference's URI against. */
const ID_ATTRIBUTES = ['ID', 'Id', 'id'];

export type ResponseStructure = { ok: true; assertion: XmlElement } | { ok: false; code: SamlResponseFailure };

export function checkResponseStructure(root: XmlElement): ResponseStructure {
  if (!isElement(root, NS.protocol, 'Response') || attribute(root, 'Version') !== '2.0' || !attribute(root, 'ID')) return refuse('malformed');
  if (childElements(root, NS.assertion, 'Issuer').length > 1) return refuse('malformed');
  const statusCode = onlyChild(root, NS.protocol, 'Status') && onlyChild(onlyChild(root, NS.protocol, 'Status')!, NS.protocol, 'StatusCode');
  if (!statusCode) return refuse('malformed');
  if (attribute(statusCode, 'Value') !== SUCCESS) return refuse('idp_error');
  const elements = descendantElements(root);
  if (elements.some((element) => element.localName === 'EncryptedAssertion')) return refuse('encrypted_assertion');
  const assertions = elements.filter((element) => element.localName === 'Assertion');
  if (assertions.length === 0) return refuse('malformed');
  if (assertions.length > 1) return refuse('bad_signature');
  const assertion = assertions[0]!;
  if (assertion.parentNode !== root || !isElement(assertion, NS.assertion, 'Assertion') || !attribute(assertion, 'ID')) return refuse('malformed');
  const signatures = elements.filter((element) => isElement(element, NS.dsig, 'Signature'));
  if (signatures.length === 0) return refuse('unsigned');
  for (const parent of [root, assertion]) {
    if (childElements(parent, NS.dsig, 'Signature').length > 1) return refuse('bad_signature');
  }
  for (const signature of signatures) {
    const code = checkSignatureElement(signature, root, assertion);
    if (code) return refuse(code);
  }
  const ids = elements.concat(root).flatMap((element) => ID_ATTRIBUTES.map((name) => attribute(element, name)).filter((id) => id !== undefined));
  if (new Set(ids).size !== ids.length) return refuse('bad_signature');
  return { ok: true, assertion };
}

function refuse(code: SamlResponseFailure): ResponseStructure {
  return { ok: false, code };
}

/** An enveloped signature of its own parent (the Response or the Assertion), with nothing beside what XML DSig needs. */
function checkSignatureElement(signature: XmlElement, root: XmlElement, assertion: XmlElement): SamlResponseFailure | undefined {
  const parent = signature.parentNode as XmlElement;
  if (parent !== root && parent !== assertion) return 'bad_signature';
  if (!hasOnly(signature, { SignedInfo: [1, 1], SignatureValue: [1, 1], KeyInfo: [0, 1] })) return 'bad_signature';
  const signedInfo = onlyChild(signature, NS.dsig, 'SignedInfo')!;
  if (!hasOnly(signedInfo, { CanonicalizationMethod: [1, 1], SignatureMethod: [1, 1], Reference: [1, 1] })) return 'bad_signature';
  const reference = onlyChild(signedInfo, NS.dsig, 'Reference')!;
  if (attribute(reference, 'URI') !== `#${attribute(parent, 'ID')}`) return 'bad_signature';
  if (!hasOnly(reference, { Transforms: [0, 1], DigestMethod: [1, 1], DigestValue: [1, 1] })) return 'bad_signature';
  if (textOnly(onlyChild(reference, NS.dsig, 'DigestValue')!) === undefined) return 'bad_signature';
  const transforms = childElements(reference, NS.dsig, 'Transforms').flatMap((list) => childElements(list));
  if (transforms.length > 2 || transforms.some((transform) => !isElement(transform, NS.dsig, 'Transform'))) return 'bad_signature';
  const algorithm = (element: XmlElement | undefined) => (element ? attribute(element, 'Algorithm') ?? '' : '');
  const signatureMethod = algorithm(onlyChild(signedInfo, NS.dsig, 'SignatureMethod'));
  const digestMethod = algorithm(onlyChild(reference, NS.dsig, 'DigestMethod'));
  if (SHA1_METHODS.has(signatureMethod) || SHA1_METHODS.has(digestMethod)) return 'weak_algorithm';
  if (!SIGNATURE_METHODS.has(signatureMethod) || !DIGEST_METHODS.has(digestMethod)) return 'bad_signature';
  if (!CANONICALIZATIONS.has(algorithm(onlyChild(signedInfo, NS.dsig, 'CanonicalizationMethod')))) return 'bad_signature';
  if (transforms.some((transform) => !TRANSFORMS.has(algorithm(transform)))) return 'bad_signature';
  return undefined;
}

/** True when `element`'s children are XML DSig elements named in `counts`, each within its [min, max]. */
function hasOnly(element: XmlElement, counts: Record<string, [number, number]>): boolean {
  const children = childElements(element);
  if (children.some((child) => child.namespaceURI !== NS.dsig || !Object.hasOwn(counts, child.localName ?? ''))) return false;
  return Object.entries(counts).every(([name, [min, max]]) => {
    const found = children.filter((child) => child.localName === name).length;
    return found >= min && found <= max;
  });
}
