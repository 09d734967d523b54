import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emailKey, holdsEmailAddress, isValidEmailAddress, unclaimedEmailKey } from './email-address.ts';

test('one key for every spelling of an address: NFKC, then full case folding', () => {
  const same: Array<[string, string, string]> = [
    ['ASCII letter case', 'Mona@Example.COM', 'mona@example.com'],
    ['sharp s folds to ss', 'straße@example.de', 'STRASSE@EXAMPLE.DE'],
    ['capital sharp s too', 'STRAẞE@example.de', 'strasse@example.de'],
    ['final sigma is sigma', 'ΟΔΟΣ@example.gr', 'οδος@example.gr'],
    ['full-width forms', 'ｍｏｎａ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'mona@example.com'],
    ['ligatures', 'ﬁle@example.com', 'FILE@example.com'],
    ['Kelvin sign is K', 'k\u212A@example.com', 'kk@example.com'],
    ['composed and decomposed accents', 'caf\u00e9@example.fr', 'CAFE\u0301@example.fr'],
    ['long s', 'ſam@example.com', 'sam@example.com'],
    ['Greek with iota subscript folds in full', 'ᾈ@example.gr', 'ἀι@example.gr'],
  ];
  for (const [what, a, b] of same) assert.equal(emailKey(a), emailKey(b), what);
  const different: Array<[string, string, string]> = [
    ['another letter', 'mona@example.com', 'mono@example.com'],
    ['dotless i folds to itself, not to i', 'ıstanbul@example.tr', 'istanbul@example.tr'],
    ['an accent is a letter of its own', 'cafe@example.fr', 'café@example.fr'],
  ];
  for (const [what, a, b] of different) assert.notEqual(emailKey(a), emailKey(b), what);
  assert.equal(emailKey('Mona@Example.COM'), 'mona@example.com');
  for (const [, a] of same) assert.equal(emailKey(emailKey(a)), emailKey(a), 'a key is its own key');
});

test('addresses: a local part, an @, a dotted domain, at most 254 characters', () => {
  for (const good of ['a@b.c', 'mona.lisa+tessera@example.co.uk', 'почта@пример.рф']) assert.equal(isValidEmailAddress(good), true, good);
  for (const bad of ['', 'mona', 'mona@', '@example.com', 'mona@example', 'mo na@example.com', 'a@b@c.d', `${'a'.repeat(250)}@b.cd`, '<a@b.c>']) {
    assert.equal(isValidEmailAddress(bad), false, bad);
  }
});

test('an account holds its address only under the address\'s own key', () => {
  assert.equal(holdsEmailAddress({ email: 'Mona@Example.com', email_key: 'mona@example.com' }), true);
  assert.equal(holdsEmailAddress({ email: 'Mona@Example.com', email_key: unclaimedEmailKey(7) }), false);
  assert.equal(holdsEmailAddress({ email: 'Mona@Example.com', email_key: 'other@example.com' }), false);
  assert.equal(emailKey(unclaimedEmailKey(7)) === 'mona@example.com', false);
  assert.equal(isValidEmailAddress(unclaimedEmailKey('x')), false, 'no address looks like an unclaimed key');
});
