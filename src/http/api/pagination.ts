/**
 * GitHub's paging for every list: `per_page` (default 30, at most 100) and `page` (from 1), with a `Link` header naming
 * `prev`, `next`, `last` and `first` in RFC 8288 form. The query schema takes whole numbers in range only; anything
 * else is a 422 that says what was wrong (GitHub quietly cuts a larger per_page to 100; a clear refusal was kept here
 * because a client asking for 500 and silently getting 100 may think it has everything).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from './github-json.ts';

export const DEFAULT_PER_PAGE = 30;
export const MAX_PER_PAGE = 100;
/** Far beyond any real list; keeps an offset a small number. */
export const MAX_PAGE = 100_000;

export const PAGE_QUERY_PROPERTIES = {
  page: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
  per_page: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE },
} as const;

/** A list's query schema: paging plus the list's own parameters. */
export function pagedQuery(properties: Record<string, object> = {}) {
  return { type: 'object', properties: { ...PAGE_QUERY_PROPERTIES, ...properties } } as const;
}

export interface PageQuery {
  page?: number;
  per_page?: number;
}

export interface Page {
  page: number;
  perPage: number;
}

export function pageOf(query: PageQuery): Page {
  return { page: query.page ?? 1, perPage: query.per_page ?? DEFAULT_PER_PAGE };
}

/** The request's own URL with `page` (and the effective `per_page`) replaced, absolute as GitHub writes it. */
function pageUrl(baseUrl: string, request: FastifyRequest, page: Page, target: number): string {
  const url = new URL(request.url, 'http://placeholder');
  // The request's other parameters in their order, then per_page and page, as GitHub writes its links.
  url.searchParams.delete('per_page');
  url.searchParams.delete('page');
  url.searchParams.append('per_page', String(page.perPage));
  url.searchParams.append('page', String(target));
  const path = url.pathname.startsWith(API_PREFIX) ? url.pathname : `${API_PREFIX}${url.pathname}`;
  return `<${baseUrl}${path}?${url.searchParams}>`;
}

/**
 * Sets `Link` for a list of `total` items (or, when the total is unknown, for a page that knows whether more follow:
 * then there is no `last`). Nothing is set for a list that fits on one page, as on GitHub.
 */
export function setPageLinks(reply: FastifyReply, baseUrl: string, page: Page, total: number | { hasMore: boolean }): void {
  const request = reply.request;
  const last = typeof total === 'number' ? Math.max(1, Math.ceil(total / page.perPage)) : undefined;
  const hasMore = typeof total === 'number' ? page.page < last! : total.hasMore;
  const links: string[] = [];
  if (page.page > 1) links.push(`${pageUrl(baseUrl, request, page, Math.min(page.page - 1, last ?? Infinity))}; rel="prev"`);
  if (hasMore) links.push(`${pageUrl(baseUrl, request, page, page.page + 1)}; rel="next"`);
  if (last !== undefined && page.page !== last) links.push(`${pageUrl(baseUrl, request, page, last)}; rel="last"`);
  if (page.page > 1) links.push(`${pageUrl(baseUrl, request, page, 1)}; rel="first"`);
  if (links.length > 0) reply.header('Link', links.join(', '));
}

/** One page of a list held in memory (lists are bounded: a user owns at most the repository quota). */
export function sendPage<T>(reply: FastifyReply, baseUrl: string, page: Page, items: readonly T[]): T[] {
  setPageLinks(reply, baseUrl, page, items.length);
  const start = (page.page - 1) * page.perPage;
  return items.slice(start, start + page.perPage);
}
