/**
 * The interface's words, in every language of LOCALES: one i18next instance whose resources are the JSON files in
 * `locales/<language>/<namespace>.json`, read once at start-up. A key names its namespace: `t('tokens:list.title')`.
 *
 * Interpolated values are not HTML-escaped here: pages print `t()` through Eta's escaping `<%= %>`. A sentence whose
 * translation holds markup (a link inside a sentence) goes through `html()`, which escapes the values put into it and
 * is printed raw (`<%~ %>`); its markup is ours, from the locale files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import i18next, { type TOptions } from 'i18next';
import { DEFAULT_LOCALE, type Locale, LOCALES } from './locales.ts';

export const LOCALES_DIR = fileURLToPath(new URL('./locales/', import.meta.url));

export type Translate = (key: string, options?: TOptions) => string;

export interface Translator {
  locale: Locale;
  /** Plain text, to be escaped where it is printed. */
  t: Translate;
  /** A sentence with our own markup, its interpolated values HTML-escaped: print raw. */
  html: Translate;
}

type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Every locale's namespaces: { en: { tokens: {...}, ... }, ru: { ... } }. */
export function readLocaleFiles(dir = LOCALES_DIR): Resources {
  const resources: Resources = {};
  for (const locale of LOCALES) {
    resources[locale] = {};
    for (const file of readdirSync(`${dir}${locale}`).filter((name) => name.endsWith('.json')).sort()) {
      resources[locale][file.slice(0, -'.json'.length)] = JSON.parse(readFileSync(`${dir}${locale}/${file}`, 'utf8'));
    }
  }
  return resources;
}

const resources = readLocaleFiles();
const instance = i18next.createInstance();
void instance.init({
  initAsync: false,
  resources,
  lng: DEFAULT_LOCALE,
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: [...LOCALES],
  ns: Object.keys(resources[DEFAULT_LOCALE] ?? {}),
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  returnNull: false,
});

const translators = new Map<Locale, Translator>();

export function translatorFor(locale: Locale): Translator {
  let translator = translators.get(locale);
  if (!translator) {
    const fixed = instance.getFixedT(locale);
    const t: Translate = (key, options) => fixed(key, options as TOptions) as string;
    const html: Translate = (key, options) => fixed(key, { ...options, interpolation: { escapeValue: true } } as TOptions) as string;
    translator = { locale, t, html };
    translators.set(locale, translator);
  }
  return translator;
}
