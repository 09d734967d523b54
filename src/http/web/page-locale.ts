/**
 * The language a page is written in for this request: the signed-in account's choice, else the browser's
 * Accept-Language, else the instance's TESSERA_DEFAULT_LOCALE. Worked out once per request, and only for requests that
 * render a page or write a sentence (the API's and Git's answers stay in English, as GitHub's do).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { chooseLocale, type Locale } from '../../i18n/locales.ts';
import type { TOptions } from 'i18next';
import { type Translate, type Translator, translatorFor } from '../../i18n/translator.ts';
import { lookUp } from './web-input.ts';

export function registerPageLocale(app: FastifyInstance, defaultLocale: Locale): void {
  app.decorate('defaultLocale', defaultLocale);
  app.decorateRequest('locale', undefined);
}

export function localeOf(request: FastifyRequest): Locale {
  request.locale ??= chooseLocale(request.webUser?.locale, request.headers['accept-language'], request.server.defaultLocale);
  return request.locale;
}

/** The words of this request's language, for a page's title and for sentences made in code. */
export function pageText(request: FastifyRequest): Translator {
  return translatorFor(localeOf(request));
}

/**
 * The sentence of a page's `?notice=` (or `?done=`): `notices` maps each value the page knows to its key in the
 * locale files; a value it does not know shows nothing.
 */
export function noticeText(
  t: Translate, notices: Readonly<Record<string, string>>, value: string | undefined, options?: TOptions,
): string | undefined {
  const key = lookUp(notices, value);
  return key && t(key, options);
}

declare module 'fastify' {
  interface FastifyInstance {
    defaultLocale: Locale;
  }
  interface FastifyRequest {
    locale: Locale | undefined;
  }
}
