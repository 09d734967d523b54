/**
 * A browser without a browser, for tests that only need the pages' HTTP: a cookie jar (cookies are per host, not
 * per port, as in a browser, so one jar serves every process on 127.0.0.1), the CSRF field of the last form page,
 * and redirects left for the test to follow (or send to another process).
 */
export interface PageResponse {
  status: number;
  headers: Headers;
  body: string;
  location: string | null;
}

export class WebClient {
  readonly #cookies = new Map<string, string>();
  #csrfToken = '';
  readonly #onResponse: (url: string, response: PageResponse) => void;

  constructor(onResponse: (url: string, response: PageResponse) => void = () => {}) {
    this.#onResponse = onResponse;
  }

  /** `headers` are sent beside the cookies (an Authorization header, say). */
  async get(url: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.#send(url, { method: 'GET', headers });
  }

  /** Posts the fields with the CSRF token of the last page that had one, as a browser submits a form. */
  async submit(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.post(url, { _csrf: this.#csrfToken, ...fields }, headers);
  }

  /** Posts exactly these fields: no CSRF token unless it is one of them (a forged or stale form). */
  async post(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
    const body = new URLSearchParams(fields);
    return this.#send(url, { method: 'POST', body, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' } });
  }

  /** The CSRF token of the last page that had a form. */
  get csrfToken(): string {
    return this.#csrfToken;
  }

  /** A cookie as if the server had set it (a session started without the sign-in form). */
  setCookie(name: string, value: string): void {
    this.#cookies.set(name, value);
  }

  async #send(url: string, init: RequestInit): Promise<PageResponse> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const raw = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), ...(cookie && { cookie }) } });
    for (const line of raw.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (value === '' || /max-age=0|expires=thu, 01 jan 1970/i.test(line)) this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const response = { status: raw.status, headers: raw.headers, body: await raw.text(), location: raw.headers.get('location') };
    const csrf = /name="_csrf" value="([^"]+)"/.exec(response.body)?.[1];
    if (csrf) this.#csrfToken = csrf;
    this.#onResponse(url, response);
    return response;
  }
}
