/**
 * The languages of the interface, and choosing one for a visitor: their account's setting, else the first of their
 * browser's `Accept-Language` that Tessera speaks, else the instance's default (TESSERA_DEFAULT_LOCALE).
 */
export const LOCALES = ['en', 'ru'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'en';

/** Each language named in itself, as language pickers name them (a reader finds their own). */
export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', ru: 'Русский' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The best language Tessera speaks from an `Accept-Language` header (RFC 9110 §12.5.4): highest q first, ties in the
 * order given; `ru-RU` matches `ru`; `q=0` refuses a language. Undefined when none matches.
 */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  let best: { locale: Locale; q: number } | undefined;
  for (const part of header.split(',', 20)) {
    const [range = '', ...params] = part.trim().split(';');
    const language = range.trim().toLowerCase().split('-')[0];
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!isLocale(language) || !(q > 0) || q > 1) continue;
    if (!best || q > best.q) best = { locale: language, q };
  }
  return best?.locale;
}

/** The language of a page: the account's choice, else the browser's, else the instance's. */
export function chooseLocale(accountLocale: string | null | undefined, acceptLanguage: string | undefined, instanceDefault: Locale): Locale {
  if (isLocale(accountLocale)) return accountLocale;
  return negotiateLocale(acceptLanguage) ?? instanceDefault;
}
