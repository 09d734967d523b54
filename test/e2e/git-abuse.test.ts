/**
 * Git over HTTPS under abuse: connections that start a request and go silent, floods of ref advertisements,
 * malformed or malicious objects in a push, pushes over the size limit and gzip bombs. Real sockets, real git, and
 * the git processes counted as the kernel sees them (children of this process in /proc).
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Config } from '../../src/config/config.ts';
import { startTestServer } from '../helpers/server.ts';
import { createGitClient, type GitClient, withCredentials } from '../helpers/git.ts';

/**
 * git processes whose parent is this process, which runs the server (no git client runs meanwhile), read from
 * /proc as `pgrep -P` does, without starting a process for each look.
 */
function liveGitChildren(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // Gone since the listing.
    }
    // pid (comm) state ppid …; comm may itself hold spaces or parentheses, so split after the last `)`.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(ppid) === process.pid && comm.startsWith('git') && state !== 'Z') count += 1;
  }
  return count;
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
    gitIdleTimeoutMs: 3000, idleTimeoutMs: 5000, requestTimeoutMs: 8000, headersTimeoutMs: 2000, gitMaxProcesses: 32, gitMaxProcessesPerClient: 4,
  }, { anonymousPerHour: 0 });
  assert.equal(liveGitChildren(), 0);
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, liveGitChildren(), server.deps.gitProcesses.running()); }, 50);
  t.after(() => clearInterval(sampler));

  // 200 connections: the first 20 from one loopback address (4 may run git), the rest from 45 others; 32 in all.
  const clients = Array.from({ length: 200 }, (_, i) => slowClient(port, i < 20 ? '127.0.0.9' : `127.0.0.${10 + (i % 45)}`));
  await eventually(() => clients.filter((client) => client.status() !== undefined).length >= 200 - 32, 'every connection beyond the caps is refused');

  // Within the idle timeout every connection is closed, each with its reason, and every git process is gone.
  const answers = await Promise.all(clients.map((client) => client.closed));
  clearInterval(sampler);
  const statuses = answers.map((answer) => /^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1]);
  assert.equal(statuses.filter((status) => status === '408').length, 32, 'the 32 that ran git were cut off');
  assert.equal(statuses.filter((status) => status === '429').length, 16, 'the 16 beyond 4 from 127.0.0.9 were refused');
  assert.equal(statuses.filter((status) => status === '503').length, 200 - 32 - 16);
  for (const answer of answers) {
    if (answer.startsWith('HTTP/1.1 408')) assert.match(answer, /\r\n\r\n(?:[0-9a-f]+\r\n)?The request body stalled; the connection was closed\.\n/);
    else assert.match(answer, /retry-after: 10\r\n[^]*\r\n\r\n(Too many Git operations at once from your address\.|The server is busy\.)/);
  }
  await eventually(() => liveGitChildren() === 0 && server.deps.gitProcesses.running() === 0, 'every git process is gone');
  assert.equal(peak, 32, `at most 32 git processes ran at once, not ${peak}`);
});

test('a client that sends half its headers and goes silent is disconnected', async (t) => {
  const { port } = await setUp(t, { headersTimeoutMs: 500, requestTimeoutMs: 1000, idleTimeoutMs: 2000 });
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => {});
  socket.write('GET /alice/pub.git/info/refs?service=git-upload-pack HTTP/1.1\r\nHost: tes');
  let received = '';
  socket.setEncoding('latin1').on('data', (text: string) => { received += text; });
  await new Promise((resolve) => socket.once('close', resolve));
  assert.match(received, /^HTTP\/1\.1 408 /);
});

test('an info/refs flood is refused after the limit, with a reason; anonymous clients are asked to sign in', async (t) => {
  const { server, git, token } = await setUp(t, {}, { anonymousPerHour: 5, authenticatedPerHour: 4 });
  const alice = (await server.db.selectFrom('users').selectAll().where('username', '=', 'alice').executeTakeFirstOrThrow());
  await server.createRepository(alice, 'priv', { private: true });
  const anonymousUrl = `${server.baseUrl}/alice/pub.git/info/refs?service=git-upload-pack`;
  for (let i = 0; i < 5; i++) {
    const response = await fetch(anonymousUrl);
    assert.equal(response.status, 200);
    await response.arrayBuffer();
  }
  // Over the anonymous limit: 401, so that a git holding a token sends it (git sends credentials only after a 401).
  const refused = await fetch(anonymousUrl);
  assert.equal(refused.status, 401);
  assert.ok(Number(refused.headers.get('retry-after')) > 0);
  assert.match(refused.headers.get('www-authenticate') ?? '', /^Basic /);
  assert.equal(await refused.text(), 'Rate limit exceeded for 127.0.0.1: 5 anonymous Git requests an hour. Sign in with a personal access token, or try again later.\n');
  const anonymous = await git.run(['ls-remote', `${server.baseUrl}/alice/pub.git`]);
  assert.notEqual(anonymous.code, 0);

  // alice's git goes on with her token, on her own budget (each ls-remote: one anonymous try, then info/refs and
  // ls-refs with the token)...
  const privateUrl = withCredentials(`${server.baseUrl}/alice/priv.git`, 'alice', token);
  for (let i = 0; i < 2; i++) await git.ok(['ls-remote', privateUrl]);
  // ...until that is used up too; git prints the reason.
  const limited = await git.run(['ls-remote', privateUrl]);
  assert.notEqual(limited.code, 0);
  assert.match(limited.stderr, /remote: Rate limit exceeded for alice: 4 Git requests an hour\. Please try again later\./);
  // The API's budget is apart from Git's.
  assert.equal((await fetch(`${server.apiUrl}/repos/alice/pub`)).status, 200);
});

test('a push with a .gitmodules that climbs out of the repository is refused with git\'s own message', async (t) => {
  const { server, git, repository, url } = await setUp(t, {});
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await commitFile(git, work, 'a.txt', 'a\n');
  await git.ok(['push', '-q', url, 'main'], { cwd: work });
  const good = (await git.ok(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
  // CVE-2018-11235: a submodule name with `..` lets a clone write hooks outside the submodule's folder.
  await commitFile(git, work, '.gitmodules', '[submodule "../../modules/evil"]\n\tpath = evil\n\turl = https://example.test/evil.git\n');

  const push = await git.run(['push', url, 'main'], { cwd: work });
  assert.notEqual(push.code, 0);
  assert.match(push.stderr, /remote: error: object [0-9a-f]{40}: gitmodulesName: disallowed submodule name: \.\.\/\.\.\/modules\/evil/);
  assert.match(push.stderr, /remote unpack failed|unpacker error/);
  const head = execFileSync('git', ['-C', server.deps.repositoryFiles.pathOf(repository), 'rev-parse', 'refs/heads/main'], { encoding: 'utf8' });
  assert.equal(head.trim(), good);
});

test('a push with a malformed commit is refused with git\'s own message', async (t) => {
  const { git, url } = await setUp(t, {});
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await commitFile(git, work, 'a.txt', 'a\n');
  const tree = (await git.ok(['rev-parse', 'HEAD^{tree}'], { cwd: work })).stdout.trim();
  // A commit whose author line has no date: git itself never writes one, fsck calls it badDate/missingSpaceBeforeDate.
  const bad = (await git.ok(['hash-object', '-w', '--literally', '-t', 'commit', '--stdin'], {
    cwd: work, input: `tree ${tree}\nauthor Mallory <m@example.test>\ncommitter Mallory <m@example.test> 0 +0000\n\nbad\n`,
  })).stdout.trim();
  await git.ok(['update-ref', 'refs/heads/bad', bad], { cwd: work });

  const push = await git.run(['push', url, 'bad'], { cwd: work });
  assert.notEqual(push.code, 0);
  assert.match(push.stderr, new RegExp(`remote: error: object ${bad}: \\w+: `));
  assert.match(push.stderr, /\[remote rejected\]|remote unpack failed|unpacker error/);
});

test('a push over the size limit is refused with a clear reason and changes nothing', async (t) => {
  const { server, git, repository, url } = await setUp(t, { gitMaxPushBytes: 64 * 1024 });
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await commitFile(git, work, 'small.txt', 'small\n');
  await git.ok(['push', '-q', url, 'main'], { cwd: work });
  await mkdir(join(work, 'data'));
  await commitFile(git, work, 'data/big.bin', randomBytes(512 * 1024));

  const push = await git.run(['push', url, 'main'], { cwd: work });
  assert.notEqual(push.code, 0);
  assert.match(push.stderr, /remote: fatal: pack exceeds maximum allowed size/);
  const bare = server.deps.repositoryFiles.pathOf(repository);
  assert.equal(execFileSync('git', ['-C', bare, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).trim(), '1');
  await eventually(() => liveGitChildren() === 0 && server.deps.gitProcesses.running() === 0, 'git has exited');
  // The refused push's connection was closed, not left to the keep-alive timeout.
  const connections = await new Promise<number>((resolve, reject) => server.app.server.getConnections((error, count) => error ? reject(error) : resolve(count)));
  assert.equal(connections, 0);
});

test('a gzip bomb sent to upload-pack is cut off at the negotiation limit', async (t) => {
  const { server, git, url } = await setUp(t, {}, { anonymousPerHour: 0 });
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await commitFile(git, work, 'a.txt', 'a\n');
  await git.ok(['push', '-q', url, 'main'], { cwd: work });
  const head = (await git.ok(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
  // A real want, then 101 MiB of `have` lines for objects that do not exist: git reads them all, waiting for `done`,
  // so only the byte count stops it.
  const line = `0032have ${'1'.repeat(40)}\n`;
  const negotiation = `0032want ${head}\n0000${line.repeat(Math.ceil((101 * 1024 * 1024) / line.length))}`;
  const bomb = gzipSync(Buffer.from(negotiation), { level: 9 });
  assert.ok(bomb.length < 1024 * 1024);
  const response = await fetch(`${server.baseUrl}/alice/pub.git/git-upload-pack`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
    body: bomb,
  });
  assert.equal(response.status, 413);
  assert.equal(await response.text(), 'Request refused: larger than the limit of 104857600 bytes.\n');
  await eventually(() => liveGitChildren() === 0 && server.deps.gitProcesses.running() === 0, 'git has exited');
});
