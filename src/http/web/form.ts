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

/** Only same-site paths: `//evil.example` and `/\evil.example` are other sites to a browser. */
export function safeReturnPath(candidate: string, fallback: string): string {
  return /^\/(?![/\\])/.test(candidate) ? candidate : fallback;
}
