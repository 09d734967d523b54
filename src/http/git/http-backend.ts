/**
 * Runs the installed `git http-backend` as a CGI program for one request, streaming both ways: the request body
 * goes to its standard input and its output to the client as it comes, so memory stays flat whatever the size of
 * the pack. Pushes keep git's own quarantine: a push cut off half-way leaves the repository as it was.
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** More than git ever sends as CGI headers; anything longer is a broken backend. */
const MAX_CGI_HEAD_BYTES = 64 * 1024;

export interface HttpBackendRequest {
  projectRoot: string;
  /** `/<owner id>/<repository id>.git/info/refs` or `…/git-upload-pack` or `…/git-receive-pack`. */
  pathInfo: string;
  remoteUser: string | undefined;
  body: Readable | undefined;
}

interface CgiHead {
  status: number;
  headers: Record<string, string>;
  rest: Buffer;
}

function parseCgiHead(head: string): { status: number; headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
    else headers[name] = value;
  }
  return { status, headers };
}

function readCgiHead(stdout: Readable): Promise<CgiHead> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const finish = (error?: Error, head?: CgiHead) => {
      stdout.off('data', onData);
      stdout.off('end', onEnd);
      stdout.off('error', onEnd);
      if (head) resolve(head);
      else reject(error);
    };
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const crlf = buffered.indexOf('\r\n\r\n');
      const lf = buffered.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
      if (end >= 0) {
        stdout.pause();
        finish(undefined, { ...parseCgiHead(buffered.subarray(0, end).toString('latin1')), rest: buffered.subarray(end) });
      } else if (buffered.length > MAX_CGI_HEAD_BYTES) {
        finish(new Error('git http-backend sent an oversized header'));
      }
    };
    const onEnd = () => finish(new Error('git http-backend ended before its headers'));
    stdout.on('data', onData);
    stdout.once('end', onEnd);
    stdout.once('error', onEnd);
  });
}

export async function runHttpBackend(request: FastifyRequest, reply: FastifyReply, backend: HttpBackendRequest): Promise<void> {
  const headers = request.headers;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    GIT_PROJECT_ROOT: backend.projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: backend.pathInfo,
    REQUEST_METHOD: request.method,
    QUERY_STRING: request.url.includes('?') ? request.url.slice(request.url.indexOf('?') + 1) : '',
    REMOTE_ADDR: request.ip,
    CONTENT_TYPE: headers['content-type'] ?? '',
    ...(headers['content-length'] !== undefined && { CONTENT_LENGTH: headers['content-length'] }),
    ...(headers['content-encoding'] !== undefined && { HTTP_CONTENT_ENCODING: headers['content-encoding'] }),
    ...(typeof headers['git-protocol'] === 'string' && { HTTP_GIT_PROTOCOL: headers['git-protocol'] }),
    ...(backend.remoteUser !== undefined && { REMOTE_USER: backend.remoteUser }),
  };
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  child.once('error', (error) => request.log.error({ err: error }, 'could not start git http-backend'));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });

  // A client that goes away mid-transfer must not leave a half-fed backend: end it, and git discards the quarantine.
  const abort = () => child.kill('SIGTERM');
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort();
  });
  if (backend.body) {
    pipeline(backend.body, child.stdin).catch(abort);
  } else {
    child.stdin.end();
  }

  let head: CgiHead;
  try {
    head = await readCgiHead(child.stdout);
  } catch (error) {
    const code = await exited;
    request.log.error({ err: error, code, stderr }, 'git http-backend failed');
    await reply.code(500).type('text/plain; charset=utf-8').send('The git service failed; please try again.\n');
    return;
  }
  reply.hijack();
  reply.raw.writeHead(head.status, { ...head.headers, 'Cache-Control': 'no-cache, max-age=0, must-revalidate' });
  if (head.rest.length > 0) reply.raw.write(head.rest);
  try {
    await pipeline(child.stdout, reply.raw);
  } catch {
    abort();
  }
  const code = await exited;
  if (code !== 0) request.log.warn({ code, stderr, path: backend.pathInfo }, 'git http-backend exited with an error');
}
