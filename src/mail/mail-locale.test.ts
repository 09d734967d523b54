import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mailLocale } from './mail-locale.ts';

test("a mail's language: the account's choice, else the page's that caused it, else the instance's, else English", () => {
  assert.equal(mailLocale({ defaultLocale: 'en' }, { locale: 'ru' }, 'en'), 'ru');
  assert.equal(mailLocale({}, { locale: null }, 'ru'), 'ru');
  assert.equal(mailLocale({ defaultLocale: 'ru' }, { locale: null }), 'ru');
  assert.equal(mailLocale({ defaultLocale: 'ru' }, undefined, 'en'), 'en');
  assert.equal(mailLocale({}, { locale: null }), 'en');
  assert.equal(mailLocale({}, { locale: 'de' }), 'en', 'a value Tessera does not speak counts as no choice');
});
