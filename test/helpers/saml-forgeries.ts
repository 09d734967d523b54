/**
 * Forged and broken variants of signed SAML Responses, made from what the test IdP signed: the eight signature
 * wrapping attacks of Somorovsky et al., "On Breaking SAML: Be Whoever You Want to Be" (USENIX Security 2012), in the
 * shapes SAML Raider (Compass Security) applies them; two SignedInfo and a comment in DigestValue (xml-crypto
 * CVE-2025-29775 and CVE-2025-29774); a comment in the NameID (Duo Labs, 2018); DOCTYPEs. The DOM work uses node-saml's
 * own parser only to build documents; what it produces is checked by the code under test.
 */
import { parseDomFromString } from '@node-saml/node-saml/lib/xml.js';

export const EVIL_NAME_ID = 'admin@example.test';

interface DomNode {
  nodeType: number;
  localName: string | null;
  parentNode: DomElement | null;
  textContent: string | null;
  toString(): string;
}

interface DomElement extends DomNode {
  childNodes: ArrayLike<DomNode>;
  getAttribute(name: string): string;
  setAttribute(name: string, value: string): void;
  cloneNode(deep: boolean): DomElement;
  appendChild(node: DomNode): DomNode;
  insertBefore(node: DomNode, before: DomNode | null): DomNode;
  removeChild(node: DomNode): DomNode;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<DomElement>;
}

interface Dom {
  documentElement: DomElement;
  createElement(name: string): DomElement;
  createComment(text: string): DomNode;
  createTextNode(text: string): DomNode;
  toString(): string;
}

async function parse(xml: string): Promise<Dom> {
  return (await parseDomFromString(xml)) as unknown as Dom;
}

/** The first element named `localName` below `within`, in any namespace. */
function find(within: DomElement, localName: string): DomElement {
  const found = within.getElementsByTagNameNS('*', localName)[0];
  if (!found) throw new Error(`no ${localName} element to forge`);
  return found;
}

/** The Signature that is a child of `element` (not one deeper down). */
function ownSignature(element: DomElement): DomElement {
  const found = Array.from(element.childNodes).find((node) => node.nodeType === 1 && node.localName === 'Signature');
  if (!found) throw new Error('no signature to forge around');
  return found as DomElement;
}

function setNameId(element: DomElement, nameId: string): void {
  find(element, 'NameID').textContent = nameId;
}

/** A copy of `element` with its own signature removed: what an attacker keeps of a signed element. */
function unsignedCopy(element: DomElement): DomElement {
  const copy = element.cloneNode(true);
  copy.removeChild(ownSignature(copy));
  return copy;
}

export type XswVariant = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8;

/**
 * XSW1 and XSW2 take a Response signed at the Response level; XSW3–8 one whose Assertion is signed. In each the
 * assertion a careless reader would read names EVIL_NAME_ID, and the signed original is still there, moved.
 */
export async function signatureWrapping(variant: XswVariant, signedXml: string): Promise<string> {
  const dom = await parse(signedXml);
  const response = dom.documentElement;
  const assertion = find(response, 'Assertion');
  switch (variant) {
    case 1: case 2: {
      // The signed Response, unsigned, goes into (1) or before (2) the signature of an evil Response around it.
      const original = unsignedCopy(response);
      setNameId(assertion, EVIL_NAME_ID);
      const signature = ownSignature(response);
      if (variant === 1) signature.appendChild(original);
      else response.insertBefore(original, signature);
      response.setAttribute('ID', '_evil_response');
      break;
    }
    case 3: case 4: {
      // An unsigned evil assertion with its own ID, before the signed one (3) or around it (4).
      const evil = unsignedCopy(assertion);
      setNameId(evil, EVIL_NAME_ID);
      evil.setAttribute('ID', '_evil_assertion');
      if (variant === 3) response.insertBefore(evil, assertion);
      else {
        response.appendChild(evil);
        evil.appendChild(assertion);
      }
      break;
    }
    case 5: case 6: {
      // The signed assertion turns evil where it is (its signature kept); an unsigned copy of the original goes to the
      // end of the Response (5) or into that signature (6).
      const original = unsignedCopy(assertion);
      setNameId(assertion, EVIL_NAME_ID);
      assertion.setAttribute('ID', '_evil_assertion');
      if (variant === 5) response.appendChild(original);
      else ownSignature(assertion).appendChild(original);
      break;
    }
    case 7: {
      // An unsigned evil copy (same ID) inside an Extensions element before the signed assertion.
      const extensions = dom.createElement('Extensions');
      response.insertBefore(extensions, assertion);
      const evil = unsignedCopy(assertion);
      setNameId(evil, EVIL_NAME_ID);
      extensions.appendChild(evil);
      break;
    }
    case 8: {
      // The signed assertion turns evil where it is; an unsigned copy of the original goes into an Object in its signature.
      const original = unsignedCopy(assertion);
      setNameId(assertion, EVIL_NAME_ID);
      const object = dom.createElement('Object');
      ownSignature(assertion).appendChild(object);
      object.appendChild(original);
      break;
    }
  }
  return dom.toString();
}

/** The NameID of the assertion changed after signing: no wrapping, just tampering. */
export async function withNameId(signedXml: string, nameId: string): Promise<string> {
  const dom = await parse(signedXml);
  setNameId(find(dom.documentElement, 'Assertion'), nameId);
  return dom.toString();
}

/**
 * The assertion's signature with two SignedInfo (xml-crypto CVE-2025-29775): the genuine one, whose SignatureValue is
 * kept, and the attacker's, whose digest matches the evil assertion. `evilXml` is the same response with the same IDs
 * and an evil NameID, signed by the attacker.
 */
export async function twoSignedInfo(genuineXml: string, evilXml: string): Promise<string> {
  const genuine = ownSignature(find((await parse(genuineXml)).documentElement, 'Assertion'));
  const dom = await parse(evilXml);
  const signature = ownSignature(find(dom.documentElement, 'Assertion'));
  signature.insertBefore(find(genuine, 'SignedInfo').cloneNode(true), find(signature, 'SignedInfo'));
  find(signature, 'SignatureValue').textContent = find(genuine, 'SignatureValue').textContent;
  return dom.toString();
}

/**
 * The evil assertion under the genuine signature, its DigestValue holding the evil assertion's digest in a comment
 * before the genuine one (xml-crypto CVE-2025-29774: the comment is dropped when SignedInfo is canonicalized, so the
 * SignatureValue verifies, but was read as the digest to compare).
 */
export async function commentInDigestValue(genuineXml: string, evilXml: string): Promise<string> {
  const genuine = ownSignature(find((await parse(genuineXml)).documentElement, 'Assertion'));
  const dom = await parse(evilXml);
  const assertion = find(dom.documentElement, 'Assertion');
  const evilSignature = ownSignature(assertion);
  const evilDigest = find(evilSignature, 'DigestValue').textContent ?? '';
  const signature = genuine.cloneNode(true);
  assertion.insertBefore(signature, evilSignature);
  assertion.removeChild(evilSignature);
  const digest = find(signature, 'DigestValue');
  const genuineDigest = digest.textContent ?? '';
  digest.textContent = '';
  digest.appendChild(dom.createComment(evilDigest));
  digest.appendChild(dom.createTextNode(genuineDigest));
  return dom.toString();
}

/** `signedXml` with an empty comment inserted at `at` characters into the NameID's text (signed without it). */
export async function commentInNameId(signedXml: string, at: number): Promise<string> {
  const dom = await parse(signedXml);
  const nameId = find(dom.documentElement, 'NameID');
  const text = nameId.textContent ?? '';
  nameId.textContent = '';
  nameId.appendChild(dom.createTextNode(text.slice(0, at)));
  nameId.appendChild(dom.createComment(''));
  nameId.appendChild(dom.createTextNode(text.slice(at)));
  return dom.toString();
}

/** An element elsewhere in the Response carrying the signed assertion's ID. */
export async function duplicateAssertionId(signedXml: string): Promise<string> {
  const dom = await parse(signedXml);
  const response = dom.documentElement;
  const assertion = find(response, 'Assertion');
  const extensions = dom.createElement('samlp:Extensions');
  const marker = dom.createElement('Marker');
  marker.setAttribute('ID', assertion.getAttribute('ID'));
  extensions.appendChild(marker);
  response.insertBefore(extensions, find(response, 'Status'));
  return dom.toString();
}

/** A DOCTYPE with `declarations` before the root, and the NameID's text replaced by `nameIdText` (an entity reference). */
export function withDoctype(xml: string, declarations: string, nameIdText: string): string {
  const body = xml.replace(/^<\?xml[^>]*\?>\s*/, '').replace(/(<saml:NameID[^>]*>)[^<]*(<\/saml:NameID>)/, `$1${nameIdText}$2`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE samlp:Response [${declarations}]>\n${body}`;
}

export const XXE_DECLARATION = '<!ENTITY xxe SYSTEM "file:///etc/passwd">';
/** "Billion laughs": ten levels of ten, a billion "lol"s from a kilobyte. */
export const BILLION_LAUGHS_DECLARATIONS = '<!ENTITY lol0 "lol">'
  + Array.from({ length: 9 }, (_, level) => `<!ENTITY lol${level + 1} "${`&lol${level};`.repeat(10)}">`).join('');
