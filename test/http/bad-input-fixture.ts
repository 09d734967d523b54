/**
 * What the bad-input tests share: requests written byte for byte on a socket, a browser of sorts that keeps cookies
 * and reads CSRF tokens, and the record of every response body, to check at the end that none carries a stack trace.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { TestServer } from '../helpers/server.ts';

export const ONE_MEGABYTE = 1024 * 1024;
/** A stack frame: "at fn (/path/file.ts:12:5)" or "at file:///path/file.js:3:1". */
export const STACK_FRAME = /\bat\s+(?:\S+\s+\()?(?:file:\/\/|node:|\/)[^\s)]*:\d+/;

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Every response body of the test file (one process each), to check at the end that none carries a stack trace. */
export const seenBodies: Array<{ what: string; body: string }> = [];

export function remember(what: string, body: string): string {
  seenBodies.push({ what, body });
  return body;
}

/** No body remembered so far carried a stack trace or a file path; and there were more than `atLeast` of them. */
export function assertNoStackTraceSeen(atLeast: number): void {
  assert.ok(seenBodies.length > atLeast, `${seenBodies.length} bodies seen`);
  for (const { what, body } of seenBodies) {
    assert.doesNotMatch(body, STACK_FRAME, what);
    assert.doesNotMatch(body, /\/work\/|node_modules|\.ts:\d+/, `${what}: no file path`);
  }
}

/** One HTTP/1.1 request written byte for byte on a socket, for headers fetch would refuse to send. */
export function rawRequest(server: TestServer, head: Buffer, body = Buffer.alloc(0)): Promise<RawResponse> {
  const { port } = new URL(server.baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
      const headers = new Map(headerLines.map((line) => {
        const colon = line.indexOf(':');
        return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
      }));
      let rawBody = text.slice(split + 4);
      if (headers.get('transfer-encoding') === 'chunked') {
        let decoded = '';
        for (let at = 0; ;) {
          const lineEnd = rawBody.indexOf('\r\n', at);
          const size = parseInt(rawBody.slice(at, lineEnd), 16);
          if (!size) break;
          decoded += rawBody.slice(lineEnd + 2, lineEnd + 2 + size);
          at = lineEnd + 2 + size + 2;
        }
        rawBody = decoded;
      }
      resolve({ status: Number(statusLine.split(' ')[1]), headers, body: Buffer.from(rawBody, 'latin1').toString('utf8') });
    });
    socket.write(Buffer.concat([head, body]));
  });
}

export function apiGetWithAuthorization(server: TestServer, path: string, authorization: Buffer): Promise<RawResponse> {
  const head = Buffer.concat([
    Buffer.from(`GET /api/v3${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\nAuthorization:`),
    authorization,
    Buffer.from('\r\n\r\n'),
  ]);
  return rawRequest(server, head);
}

/** A browser of sorts: keeps cookies, does not follow redirects, and reads the CSRF token out of forms. */
export class Browser {
  readonly cookies = new Map<string, string>();
  /** Every cookie value the server ever set, to look for in the logs. */
  readonly cookieValuesSeen: Array<{ name: string; value: string }> = [];

  private readonly server: TestServer;

  constructor(server: TestServer) {
    this.server = server;
  }

  async request(path: string, options: { method?: string; form?: Record<string, string | string[]>; body?: string; contentType?: string } = {}) {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    let body: string | undefined = options.body;
    if (options.form) {
      const params = new URLSearchParams();
      for (const [name, value] of Object.entries(options.form)) {
        for (const item of Array.isArray(value) ? value : [value]) params.append(name, item);
      }
      body = params.toString();
    }
    if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
    const response = await fetch(`${this.server.baseUrl}${path}`, {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body, redirect: 'manual',
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair = ''] = setCookie.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (value === '' || /max-age=0\b|expires=thu, 01 jan 1970/i.test(setCookie)) this.cookies.delete(name);
      else {
        this.cookies.set(name, value);
        this.cookieValuesSeen.push({ name, value: decodeURIComponent(value) });
      }
    }
    const text = remember(`${options.method ?? 'GET/POST'} ${path}`, await response.text());
    return { status: response.status, location: response.headers.get('location'), contentType: response.headers.get('content-type'), text };
  }

  async csrfTokenOf(path: string): Promise<string> {
    const page = await this.request(path);
    assert.equal(page.status, 200, `GET ${path}`);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    assert.ok(token, `a CSRF token in the form of ${path}`);
    return token;
  }
}

export function assertHtmlRefusal(page: { status: number; contentType: string | null; text: string }, status: number, what: string): void {
  assert.equal(page.status, status, `${what}: ${page.text.slice(0, 300)}`);
  assert.match(String(page.contentType), /^text\/html/, what);
  assert.match(page.text, /<html/i, what);
  assert.doesNotMatch(page.text, STACK_FRAME, `${what}: no stack trace`);
}

export async function tokenCountWithNote(server: TestServer, note: string): Promise<number> {
  const rows = await server.db.selectFrom('personal_access_tokens').select('id').where('note', '=', note).execute();
  return rows.length;
}
