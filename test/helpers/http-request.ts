/**
 * One HTTP(S) request with node:http, for what fetch cannot do: trust a test certificate authority (`ca`), or send a
 * header twice (`headers` as a raw list of names and values, as in `message.rawHeaders`).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export function sendRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string> | string[]; body?: string; ca?: Buffer } = {},
): Promise<RawAnswer> {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  // Node adds Host to a header object, not to a raw list.
  const headers = Array.isArray(options.headers) ? ['host', new URL(url).host, ...options.headers] : options.headers ?? {};
  return new Promise((resolve, reject) => {
    const request = send(url, { method: options.method ?? 'GET', headers, ...(options.ca && { ca: options.ca }) }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { body += chunk; });
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    request.on('error', reject);
    request.end(options.body);
  });
}
