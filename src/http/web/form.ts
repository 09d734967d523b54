/** Helpers for url-encoded form bodies, where a field may be missing, a string, or repeated. */
export type FormBody = Record<string, string | string[] | undefined>;

export function field(body: unknown, name: string): string {
  const value = (body as FormBody | undefined)?.[name];
  return typeof value === 'string' ? value : Array.isArray(value) ? (value[0] ?? '') : '';
}

export function fieldList(body: unknown, name: string): string[] {
  const value = (body as FormBody | undefined)?.[name];
  return typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
}

/**
 * Only a path on this site, in printable ASCII: `//evil.example`, `/\evil.example` and `/<tab>/evil.example` (browsers
 * drop the tab) are other sites, and a control character cannot go into a Location header at all.
 */
export function safeReturnPath(candidate: string, fallback: string): string {
  return /^\/(?![/\\])[\x21-\x7e]*$/.test(candidate) && candidate.length <= 2000 ? candidate : fallback;
}
