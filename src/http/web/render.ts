/**
 * Server-rendered pages: Eta templates in src/views with auto-escaping on, so every `<%= %>` is HTML-escaped and
 * only the layout's body and octicon SVGs (our own markup) go out raw through `<%~ %>`. Every page goes out with the
 * browser security headers (plugins/security-headers.ts); an inline `<script>` runs only with
 * `nonce="<%= it.cspNonce %>"`, the nonce of this response.
 *
 * Every page gets its language's words: `it.t('namespace:key')` (src/i18n), `it.html(…)` for a sentence with our own
 * markup (printed raw, its values escaped), `it.formats` for dates and numbers, and `it.locale` (`<html lang>`).
 */
import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import octicons from '@primer/octicons';
import type { FastifyReply } from 'fastify';
import { csrfTokenFor } from '../plugins/csrf.ts';
import { formatsFor } from '../../i18n/formats.ts';
import { pageText } from './page-locale.ts';
import { applyPageSecurityHeaders, createCspNonce } from '../plugins/security-headers.ts';

const VIEWS_DIR = fileURLToPath(new URL('../../views/', import.meta.url));

const eta = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true });

function icon(name: keyof typeof octicons, label?: string): string {
  const octicon = octicons[name];
  return octicon ? octicon.toSVG(label ? { 'aria-label': label } : {}) : '';
}

/**
 * Renders a page with the layout. Pages never go into a shared cache: they may show a user's data. `formActions`
 * names the other origins this page's forms may lead to (an organization's identity provider, which a form's answer
 * redirects to): CSP's form-action also governs where a form's redirects go.
 */
export function renderPage(reply: FastifyReply, template: string, data: Record<string, unknown>, formActions: readonly string[] = []) {
  const cspNonce = createCspNonce();
  const { locale, t, html: tHtml } = pageText(reply.request);
  const html = eta.render(template, {
    ...data, currentUser: reply.request.webUser, csrfToken: csrfTokenFor(reply), cspNonce, icon, locale, t, html: tHtml, formats: formatsFor(locale),
  });
  applyPageSecurityHeaders(reply, cspNonce, formActions);
  return reply.header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(html);
}
