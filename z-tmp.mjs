import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
let t = Date.now();
const z = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs });
console.log('init ms', Date.now()-t);
for (const p of ['correct horse battery staple', 'password123', 'Tr0ub4dor&3', 'mona-e2e2026!', 'qwertyuiop', 'P@ssw0rd!', 'new correct horse battery staple 2', 'x'.repeat(256), 'a1!'.repeat(85),'correct horse battery staple','correct horse battery staple']) {
  t = performance.now();
  const r = z.check(p, ['mona-e2e', 'mona@example.test']);
  console.log(p.slice(0,40), r.score, JSON.stringify(r.feedback), (performance.now()-t).toFixed(1));
}
