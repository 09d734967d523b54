/**
 * Git over HTTPS under abuse: connections that start a request and go silent, floods of ref advertisements,
 * malformed or malicious objects in a push, pushes over the size limit and gzip bombs. Real sockets, real git, and
 * the git processes counted as the kernel sees them (children of this process in /proc).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Config } from '../../src/config/config.ts';
import { startTestServer } from '../helpers/server.ts';
import { createGitClient, type GitClient, withCredentials } from '../helpers/git.ts';

/** git processes that are children of this process, which runs the server (no git client runs meanwhile). */
function liveGitChildren(): number {
  try {
    return execFileSync('pgrep', ['-P', String(process.pid), '^git'], { encoding: 'utf8' }).trim().split('\n').length;
  } catch {
    return 0; // pgrep exits 1 when nothing matches.
  }
}

/** Waits, within a bound, for something the server does on its own time. */
async function eventually(check: () => boolean | Promise<boolean>, what: string, bound = 300): Promise<void> {
  for (let attempt = 0; attempt < bound; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting until ${what}`);
}

async function setUp(t: TestContext, config: Partial<Config>, rateLimits = {}) {
  const server = await startTestServer(t, { config, rateLimits });
  const git = await createGitClient(t);
  const alice = await server.createUser({ username: 'alice' });
  const token = await server.createToken(alice, { scopes: ['repo'] });
  const repository = await server.createRepository(alice, 'pub', { private: false });
  const url = withCredentials(`${server.baseUrl}/alice/pub.git`, 'alice', token);
  return { server, git, token, repository, url, port: Number(new URL(server.baseUrl).port) };
}

async function commitFile(git: GitClient, dir: string, file: string, content: string | Buffer): Promise<void> {
  await writeFile(join(dir, file), content);
  await git.ok(['add', file], { cwd: dir });
  await git.ok(['commit', '-qm', `add ${file}`], { cwd: dir });
}

interface SlowClient {
  socket: Socket;
  /** Everything the server answered, once the connection is closed. */
  closed: Promise<string>;
  /** The status of the server's answer, as soon as one arrives. */
  status(): number | undefined;
}

/** A client that sends the headers and the start of an upload-pack request's first line, then nothing. */
function slowClient(port: number, localAddress: string): SlowClient {
  const socket = connect({ host: '127.0.0.1', port, localAddress });
  let received = '';
  socket.setEncoding('latin1').on('data', (text: string) => { received += text; });
  socket.on('error', () => {});
  socket.write('POST /alice/pub.git/git-upload-pack HTTP/1.1\r\nHost: tessera\r\n'
    + 'Content-Type: application/x-git-upload-pack-request\r\nTransfer-Encoding: chunked\r\n\r\n'
    // Half a pkt-line: git waits for the rest.
    + '9\r\n0032want \r\n');
  return {
    socket,
    closed: new Promise((resolve) => socket.once('close', () => resolve(received))),
    status: () => Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1]) || undefined,
  };
}

test('silent git connections are cut by the idle timeout and never hold more git processes than the caps', async (t) => {
  const { server, port } = await setUp(t, {
    gitIdleTimeoutMs: 1000, idleTimeoutMs: 3000, requestTimeoutMs: 6000, headersTimeoutMs: 2000, gitMaxProcesses: 32, gitMaxProcessesPerClient: 4,
  }, { anonymousPerHour: 0 });
  assert.equal(liveGitChildren(), 0);

  // 200 connections: the first 20 from one loopback address (4 may run git), the rest from 45 others; 32 in all.
  const clients = Array.from({ length: 200 }, (_, i) => slowClient(port, i < 20 ? '127.0.0.9' : `127.0.0.${10 + (i % 45)}`));
  let peak = 0;
  await eventually(() => {
    peak = Math.max(peak, liveGitChildren(), server.deps.gitProcesses.running());
    return clients.filter((client) => client.status() !== undefined).length >= 200 - 32 && liveGitChildren() === 32;
  }, 'every connection beyond the caps is refused and 32 git processes run');
  const statuses = clients.map((client) => client.status());
  assert.equal(statuses.filter((status) => status === undefined).length, 32, 'the git processes have not answered yet');
  assert.ok(statuses.every((status) => status === undefined || status === 429 || status === 503), `statuses: ${statuses.join(',')}`);
  assert.ok(statuses.includes(503), 'the total cap refused some (503)');

  // Within the idle timeout (plus Node's checks), every connection is closed and every git process gone.
  const answers = await Promise.all(clients.map((client) => client.closed));
  for (const answer of answers) {
    assert.match(answer, /^HTTP\/1\.1 (408|429|503) /);
    assert.match(answer, /Retry-After|stalled/i);
  }
  assert.ok(answers.some((answer) => answer.includes('Too many Git operations at once from your address.')));
  assert.ok(answers.some((answer) => answer.includes('The server is busy.')));
  await eventually(() => liveGitChildren() === 0 && server.deps.gitProcesses.running() === 0, 'every git process is gone');
  for (let i = 0; i < 20; i++) peak = Math.max(peak, liveGitChildren());
  assert.ok(peak <= 32, `at most 32 git processes ran at once, not ${peak}`);
  t.diagnostic(`peak git processes: ${peak}`);
});
