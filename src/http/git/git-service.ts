/**
 * Serves git's smart HTTP protocol with the installed git: `git upload-pack` (clone, fetch) and
 * `git receive-pack` (push) in `--stateless-rpc` mode, exactly as `git http-backend` runs them, but started directly:
 * one exec per request instead of two (http-backend, then the pack program), which is most of what a clone's three
 * requests cost beyond the transfer itself (bench/git-clone).
 *
 * Both ways are streamed: the request body goes to git's standard input as it arrives and git's output to the
 * client as it comes, so memory stays flat whatever the size of the pack. Pushes keep git's own quarantine: a push
 * cut off half-way leaves the repository as it was.
 */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GitService } from '../../domain/git-access.ts';
import { bodyRefusal, type GitRequestLimits, maxBodyBytes, receivePackConfig } from './git-limits.ts';
import { guardRequestBody } from './request-body-guard.ts';
import { NOSNIFF } from '../plugins/security-headers.ts';

/** git's own programs, found once through `git --exec-path`. */
let execPath: Promise<string> | undefined;
function gitProgram(service: GitService): Promise<string> {
  execPath ??= promisify(execFile)('git', ['--exec-path']).then(({ stdout }) => stdout.trim());
  return execPath.then((dir) => join(dir, service));
}

/** What http-backend sends so that no proxy or browser caches a ref advertisement or a pack. */
const NO_CACHE_HEADERS = {
  ...NOSNIFF,
  'Cache-Control': 'no-cache, max-age=0, must-revalidate',
  Expires: 'Fri, 01 Jan 1980 00:00:00 GMT',
  Pragma: 'no-cache',
};

/** `Git-Protocol: version=2` and the like; anything else is not passed on to git. */
const GIT_PROTOCOL_PATTERN = /^[A-Za-z0-9=:._-]{1,100}$/;

export interface GitServiceRequest {
  service: GitService;
  repositoryPath: string;
  /** The signed-in user, recorded as the committer of ref updates (as http-backend does with REMOTE_USER). */
  username: string | undefined;
  limits: GitRequestLimits;
}

function pktLine(text: string): string {
  return (text.length + 4).toString(16).padStart(4, '0') + text;
}

function gitEnvironment(request: FastifyRequest, target: GitServiceRequest): NodeJS.ProcessEnv {
  const protocol = request.headers['git-protocol'];
  return {
    PATH: process.env.PATH,
    ...receivePackConfig(target),
    ...(typeof protocol === 'string' && GIT_PROTOCOL_PATTERN.test(protocol) && { GIT_PROTOCOL: protocol }),
    ...(target.username !== undefined && {
      GIT_COMMITTER_NAME: target.username,
      GIT_COMMITTER_EMAIL: `${target.username}@http.${request.ip}`,
    }),
  };
}

/** Runs one git program for the request and streams its output as the response. */
async function runGit(
  request: FastifyRequest,
  reply: FastifyReply,
  target: GitServiceRequest,
  args: string[],
  response: { contentType: string; preamble: string },
  body: Readable | undefined,
): Promise<void> {
  const child = spawn(await gitProgram(target.service), [...args, target.repositoryPath], {
    env: gitEnvironment(request, target),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    if (stderr.length < 4096) stderr += text;
  });
  const started = await new Promise<boolean>((resolve) => {
    child.once('spawn', () => resolve(true));
    child.once('error', (error) => {
      request.log.error({ err: error }, 'could not start git');
      resolve(false);
    });
  });
  if (!started) {
    await reply.code(500).type('text/plain; charset=utf-8').send('The git service failed; please try again.\n');
    return;
  }

  // A client that goes away mid-transfer must not leave git half-fed: end it, and git discards the quarantine.
  const abort = () => child.kill('SIGTERM');
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort();
  });
  child.stdin.on('error', abort);
  reply.hijack();
  // Node lets go of the socket once the response is out; kept to close the connection when the body is not read.
  const socket = request.raw.socket;
  let refusal: { status: number; message: string } | undefined;
  if (body) {
    const guard = guardRequestBody({
      maxBytes: maxBodyBytes(target),
      idleTimeoutMs: target.limits.idleTimeoutMs,
      onFailure: (failure) => {
        request.log.warn({ failure, service: target.service }, 'git request body refused');
        refusal = bodyRefusal(failure, target);
        abort();
        // Once git has answered, there is no status left to give: only the connection can go.
        if (reply.raw.headersSent) socket.destroy();
      },
    });
    const gzipped = request.headers['content-encoding'] === 'gzip';
    (gzipped ? pipeline(body, createGunzip(), guard, child.stdin) : pipeline(body, guard, child.stdin)).catch(abort);
  } else {
    child.stdin.end();
  }

  // The status line waits for git's first bytes: git writes nothing before it has read the whole body, so a body
  // refused on the way still gets its own status and one line saying why (then the connection is closed).
  const startResponse = () => {
    if (reply.raw.headersSent) return;
    reply.raw.writeHead(200, { 'Content-Type': response.contentType, ...NO_CACHE_HEADERS });
    if (response.preamble) reply.raw.write(response.preamble);
  };
  if (!body) startResponse();
  try {
    await pipeline(child.stdout, async function* (output) {
      for await (const chunk of output) {
        startResponse();
        yield chunk as Buffer;
      }
      if (refusal && !reply.raw.headersSent) {
        reply.raw.writeHead(refusal.status, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close', ...NOSNIFF });
        yield Buffer.from(`${refusal.message}\n`);
      }
      startResponse();
    }, reply.raw);
  } catch {
    abort();
  }
  const code = await exited;
  // git may answer and exit before the whole body has arrived (a refused push, a body cut off): nobody will read
  // the rest, so the connection is closed now that the answer is out, instead of waiting for the keep-alive timeout.
  if (body && !request.raw.complete) socket.destroy();
  if (code !== 0) request.log.warn({ code, stderr, service: target.service }, 'git exited with an error');
}

/** GET info/refs?service=…: the ref advertisement (protocol v0/v1) or the capability advertisement (v2). */
export function serveInfoRefs(request: FastifyRequest, reply: FastifyReply, target: GitServiceRequest): Promise<void> {
  const isV2 = /(^|:)version=2(:|$)/.test(String(request.headers['git-protocol'] ?? ''));
  return runGit(request, reply, target, ['--stateless-rpc', '--advertise-refs'], {
    contentType: `application/x-${target.service}-advertisement`,
    // Protocol v0 wants the smart-HTTP service line first; v2 starts with git's own capability lines.
    preamble: isV2 ? '' : `${pktLine(`# service=${target.service}\n`)}0000`,
  }, undefined);
}

/** POST git-upload-pack / git-receive-pack: one stateless exchange, body in, result out. */
export function serveRpc(request: FastifyRequest, reply: FastifyReply, target: GitServiceRequest, body: Readable): Promise<void> {
  return runGit(request, reply, target, ['--stateless-rpc'], {
    contentType: `application/x-${target.service}-result`,
    preamble: '',
  }, body);
}
