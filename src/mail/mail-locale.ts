/**
 * The language of a mail: the recipient's account choice (users.locale), else the language of the page whose request
 * caused it (a sign-up, a "forgot password"), else the instance's TESSERA_DEFAULT_LOCALE, else English. The domain
 * picks the language and passes it to a mail builder; it never passes sentences.
 */
import { DEFAULT_LOCALE, isLocale, type Locale } from '../i18n/locales.ts';

export function mailLocale(
  config: { defaultLocale?: Locale | undefined },
  recipient: { locale?: string | null } | undefined,
  requestLocale?: Locale,
): Locale {
  if (isLocale(recipient?.locale)) return recipient.locale;
  return requestLocale ?? config.defaultLocale ?? DEFAULT_LOCALE;
}
