/**
 * The locale files say the same things in every language: a key in one language and not in another fails, as does a
 * plural that lacks one of its language's forms (Russian needs one, few, many and other: 1 день, 2 дня, 5 дней),
 * a placeholder that one translation forgets, or markup that one translation drops.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES } from './locales.ts';
import { readLocaleFiles, translatorFor } from './translator.ts';

const PLURAL_SUFFIX = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a namespace as `namespace:a.b.c` → its text. */
function leaves(value: unknown, prefix: string, into = new Map<string, string>()): Map<string, string> {
  if (typeof value === 'string') into.set(prefix, value);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) leaves(child, prefix.endsWith(':') ? `${prefix}${key}` : `${prefix}.${key}`, into);
  } else throw new Error(`${prefix} is neither text nor a group of keys`);
  return into;
}

const resources = readLocaleFiles();
const texts = Object.fromEntries(LOCALES.map((locale) => {
  const all = new Map<string, string>();
  for (const [namespace, tree] of Object.entries(resources[locale] ?? {})) leaves(tree, `${namespace}:`, all);
  return [locale, all];
})) as Record<(typeof LOCALES)[number], Map<string, string>>;

/** Keys without their plural suffix, each with the plural forms it has. */
function keyForms(all: Map<string, string>): Map<string, Set<string>> {
  const forms = new Map<string, Set<string>>();
  for (const key of all.keys()) {
    const form = PLURAL_SUFFIX.exec(key)?.[1];
    const base = key.replace(PLURAL_SUFFIX, '');
    const set = forms.get(base) ?? new Set<string>();
    if (form) set.add(form);
    forms.set(base, set);
  }
  return forms;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((match) => match[1]).sort();
const tags = (text: string) => [...text.matchAll(/<\/?([a-z]+)[^>]*>/g)].map((match) => match[0].replace(/\s+title="[^"]*"/, '')).sort();

test('every key of every language exists in every other', () => {
  const [first, ...others] = LOCALES;
  const base = new Set(keyForms(texts[first]).keys());
  for (const locale of others) {
    const other = new Set(keyForms(texts[locale]).keys());
    assert.deepEqual([...other].filter((key) => !base.has(key)), [], `in ${locale} and not in ${first}`);
    assert.deepEqual([...base].filter((key) => !other.has(key)), [], `in ${first} and not in ${locale}`);
  }
});

test("each plural has every form of its language's plural rules", () => {
  for (const locale of LOCALES) {
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories.filter((form) => form !== 'zero' || locale !== 'en');
    for (const [key, forms] of keyForms(texts[locale])) {
      if (forms.size === 0) continue;
      assert.deepEqual(needed.filter((form) => !forms.has(form)), [], `${locale} ${key} lacks plural forms`);
    }
  }
});

test('each translation keeps the placeholders and the markup of the English', () => {
  const english = texts.en;
  for (const locale of LOCALES.filter((name) => name !== 'en')) {
    for (const [key, text] of texts[locale]) {
      const base = english.get(key) ?? english.get(key.replace(PLURAL_SUFFIX, '_other'));
      if (base === undefined) continue;
      const expected = placeholders(base).filter((name) => name !== 'count');
      assert.deepEqual(placeholders(text).filter((name) => name !== 'count'), expected, `${locale} ${key}: placeholders`);
      assert.deepEqual(tags(text), tags(base), `${locale} ${key}: markup`);
    }
  }
});

test('Russian plurals read as a Russian speaker counts: 1 день, 2 дня, 5 дней, 21 день', () => {
  const { t } = translatorFor('ru');
  assert.deepEqual([1, 2, 5, 11, 21, 22, 25].map((count) => t('tokens:expiration.days', { count })), [
    '1 день', '2 дня', '5 дней', '11 дней', '21 день', '22 дня', '25 дней',
  ]);
  assert.deepEqual([1, 2].map((count) => translatorFor('en').t('tokens:expiration.days', { count })), ['1 day', '2 days']);
});
