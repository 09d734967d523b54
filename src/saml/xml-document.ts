/**
 * The one XML parser of the SAML code: node-saml's own (@xmldom/xmldom with an error handler that refuses what it
 * cannot parse), so Tessera's checks and node-saml's signature verification read the same tree. A parser
 * differential between the code that checks and the code that verifies is the root of several SAML bypasses
 * (ruby-saml CVE-2025-25291/25292; passport-saml and xmldom's multiple roots, CVE-2022-39299/39353).
 *
 * Stricter than the parser itself, and before it runs: no markup declaration of any kind (`<!`), which refuses
 * DOCTYPEs, and so external entities (XXE) and entity expansion ("billion laughs"), as well as comments, which let a
 * signed value be split into text nodes that some readers read only in part (the NameID comment attack), and CDATA
 * sections, which split text nodes the same way; no processing instruction but the XML declaration; exactly one root
 * element and nothing but white space beside it; no encoding but UTF-8; a bounded depth.
 */
import { parseDomFromString } from '@node-saml/node-saml/lib/xml.js';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The part of the DOM the SAML code reads (node-saml's types need the DOM library, which Tessera does not load). */
export interface XmlNode {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  localName: string | null;
  namespaceURI: string | null;
  parentNode: XmlNode | null;
  childNodes: ArrayLike<XmlNode>;
  textContent: string | null;
}

export interface XmlElement extends XmlNode {
  getAttributeNode(name: string): { value: string } | null;
  attributes: ArrayLike<{ name: string; value: string }>;
}

const ELEMENT = 1;
const TEXT = 3;
const PROCESSING_INSTRUCTION = 7;
/** SAML responses nest about a dozen levels; far deeper is an attack on recursive code (canonicalization). */
const MAX_DEPTH = 40;

function childNodes(node: XmlNode): XmlNode[] {
  return Array.from(node.childNodes);
}

/** The root element of `text`, or undefined when it is not one plain UTF-8 XML document (see the header). */
export async function parseStrictXml(text: string): Promise<XmlElement | undefined> {
  if (text.includes('<!')) return undefined;
  const encoding = /^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']/.exec(text)?.[1];
  if (encoding !== undefined && encoding.toLowerCase() !== 'utf-8') return undefined;
  let document: XmlNode;
  try {
    document = (await parseDomFromString(text)) as unknown as XmlNode;
  } catch {
    return undefined;
  }
  let root: XmlElement | undefined;
  for (const node of childNodes(document)) {
    if (node.nodeType === ELEMENT && !root) root = node as XmlElement;
    else if (node.nodeType === TEXT && node.nodeValue?.trim() === '') continue;
    else if (node.nodeType === PROCESSING_INSTRUCTION && node.nodeName === 'xml') continue;
    else return undefined;
  }
  return root && isPlainTree(root) ? root : undefined;
}

/** Only elements and text below `root` (no comment, processing instruction or entity node), at most MAX_DEPTH deep. */
function isPlainTree(root: XmlElement): boolean {
  const pending: Array<[XmlNode, number]> = [[root, 1]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [node, depth] = next;
    if (depth > MAX_DEPTH) return false;
    for (const child of childNodes(node)) {
      if (child.nodeType === ELEMENT) pending.push([child, depth + 1]);
      else if (child.nodeType !== TEXT) return false;
    }
  }
  return true;
}

export function isElement(node: XmlNode, namespace: string, localName: string): node is XmlElement {
  return node.nodeType === ELEMENT && node.namespaceURI === namespace && node.localName === localName;
}

/** The element children of `element`, or those with this name. */
export function childElements(element: XmlNode, namespace?: string, localName?: string): XmlElement[] {
  return childNodes(element).filter((node): node is XmlElement =>
    node.nodeType === ELEMENT && (namespace === undefined || isElement(node, namespace, localName ?? '')));
}

/** The one child with this name; undefined when there is none or more than one. */
export function onlyChild(element: XmlNode, namespace: string, localName: string): XmlElement | undefined {
  const found = childElements(element, namespace, localName);
  return found.length === 1 ? found[0] : undefined;
}

/** Every element below `root` (not `root` itself), in document order. */
export function descendantElements(root: XmlNode): XmlElement[] {
  const found: XmlElement[] = [];
  const pending = childElements(root).reverse();
  for (let element = pending.pop(); element; element = pending.pop()) {
    found.push(element);
    pending.push(...childElements(element).reverse());
  }
  return found;
}

/** An attribute's value; undefined when absent (xmldom's getAttribute answers '' for both). */
export function attribute(element: XmlElement, name: string): string | undefined {
  return element.getAttributeNode(name)?.value;
}

/** The text of an element that holds text only; undefined when it has element children. */
export function textOnly(element: XmlElement): string | undefined {
  return childElements(element).length === 0 ? (element.textContent ?? '') : undefined;
}
