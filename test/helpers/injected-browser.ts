/**
 * A signed-in browser for tests that need no socket (app.inject): its session cookie, its address and user agent,
 * its language, and forms sent with the CSRF token of the page they are on.
 */
import assert from 'node:assert/strict';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import type { UserRow } from '../../src/store/database.ts';
import type { TestServer } from './server.ts';

/** A signed-in browser: its session cookie, its address and user agent, and the CSRF token of a page's form. */
export class InjectedBrowser {
  readonly server: TestServer;
  readonly session: string;
  readonly address: string;
  readonly userAgent: string;
  /** The browser's Accept-Language, when it asks for a language. */
  language: string | undefined;

  constructor(server: TestServer, session: string, address: string, userAgent: string) {
    this.server = server;
    this.session = session;
    this.address = address;
    this.userAgent = userAgent;
  }

  static async signIn(server: TestServer, user: UserRow, address = '192.0.2.10', userAgent = 'Firefox/140') {
    return new InjectedBrowser(server, await startWebSession(server.deps, user, { clientAddress: address, userAgent }), address, userAgent);
  }

  get(url: string, cookie = '') {
    return this.server.app.inject({
      method: 'GET', url,
      headers: { cookie: `tessera_session=${this.session}${cookie}`, 'x-forwarded-for': this.address, 'user-agent': this.userAgent, ...this.languageHeader },
    });
  }

  get languageHeader() {
    return this.language ? { 'accept-language': this.language } : {};
  }

  /** Sends a form from `page` as the browser would: with the page's CSRF token and cookie (or without, if asked). */
  async post(page: string, url: string, form: Record<string, string | string[]>, options: { csrf?: boolean } = {}) {
    const shown = await this.get(page);
    assert.equal(shown.statusCode, 200, shown.body);
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(shown.body)?.[1];
    assert.ok(csrfToken);
    const csrfCookie = shown.cookies.map((cookie) => `; ${cookie.name}=${cookie.value}`).join('');
    const params = new URLSearchParams();
    if (options.csrf !== false) params.append('_csrf', csrfToken);
    for (const [name, value] of Object.entries(form)) for (const item of [value].flat()) params.append(name, item);
    return this.server.app.inject({
      method: 'POST', url, payload: params.toString(),
      headers: {
        cookie: `tessera_session=${this.session}${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': this.address, 'user-agent': this.userAgent, ...this.languageHeader,
      },
    });
  }
}

/** The texts of the elements with this data-testid. */
export function testIdTexts(html: string, testId: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g'))].map((match) => match[1]!);
}

/** The id of the user's newest token. */
export async function newestTokenId(server: TestServer, user: UserRow): Promise<number> {
  const row = await server.db.selectFrom('personal_access_tokens').select('id').where('user_id', '=', user.id)
    .orderBy('id', 'desc').executeTakeFirstOrThrow();
  return row.id;
}
