/** The one XML parser of the SAML code and what it refuses before any SAML is read. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStrictXml } from '../../src/saml/xml-document.ts';

const nested = (depth: number) => '<a>'.repeat(depth) + '</a>'.repeat(depth);

const CASES: Array<[string, string, boolean]> = [
  ['one element', '<a x="1">text &amp; more</a>', true],
  ['an XML declaration, UTF-8', '<?xml version="1.0" encoding="UTF-8"?>\n<a/>\n', true],
  ['namespaced elements', '<p:a xmlns:p="urn:x"><p:b/></p:a>', true],
  ['40 levels deep', nested(40), true],
  ['41 levels deep', nested(41), false],
  ['a DOCTYPE', '<!DOCTYPE a><a/>', false],
  ['an internal entity', '<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', false],
  ['an external entity', '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>', false],
  ['a comment', '<a>x<!---->y</a>', false],
  ['a comment before the root', '<!-- c --><a/>', false],
  ['a CDATA section', '<a><![CDATA[x]]></a>', false],
  ['a processing instruction', '<a><?pi data?></a>', false],
  ['two roots', '<a/><b/>', false],
  ['text after the root', '<a/>junk', false],
  ['an encoding other than UTF-8', '<?xml version="1.0" encoding="ISO-8859-1"?><a/>', false],
  ['an attribute given twice', '<a b="1" b="2"/>', false],
  ['an undefined entity', '<a>&nope;</a>', false],
  ['nothing', '', false],
  ['not XML', 'hello', false],
];

for (const [name, text, accepted] of CASES) {
  test(`${name}: ${accepted ? 'parsed' : 'refused'}`, async () => {
    const root = await parseStrictXml(text);
    assert.equal(root !== undefined, accepted);
  });
}
