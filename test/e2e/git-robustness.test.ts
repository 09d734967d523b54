/**
 * Git over HTTPS under stress: a push cut off mid-transfer, two pushes racing for one branch, a 50 MB push with
 * flat memory, and paths that try to leave the repository root.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { startTestServer } from '../helpers/server.ts';
import { bareGit, createGitClient, type GitClient, pktLine, withCredentials } from '../helpers/git.ts';

/** A server, a git client, and alice's repository NAME with a `repo` token in its URL. */
async function aliceRepository(t: TestContext, name: string, isPrivate: boolean) {
  const server = await startTestServer(t);
  const git = await createGitClient(t);
  const alice = await server.createUser({ username: 'alice' });
  const token = await server.createToken(alice, { scopes: ['repo'] });
  const repository = await server.createRepository(alice, name, { private: isPrivate });
  const url = withCredentials(`${server.baseUrl}/alice/${name}.git`, 'alice', token);
  return { server, git, token, repository, url };
}

async function commitFile(git: GitClient, dir: string, file: string, content: string | Buffer): Promise<string> {
  await writeFile(join(dir, file), content);
  await git.ok(['add', file], { cwd: dir });
  await git.ok(['commit', '-qm', `add ${file}`], { cwd: dir });
  return (await git.ok(['rev-parse', 'HEAD'], { cwd: dir })).stdout.trim();
}

/** Waits, within a bound, for something the server does after the client has gone. */
async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  assert.fail(`timed out waiting until ${what}`);
}

test('a push cut off mid-transfer leaves refs and objects as they were', async (t) => {
  const { server, git, token, repository, url } = await aliceRepository(t, 'priv', true);

  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  const base = await commitFile(git, work, 'a.txt', 'a\n');
  await git.ok(['push', '-q', url, 'main'], { cwd: work });
  const big = await commitFile(git, work, 'big.bin', randomBytes(4 * 1024 * 1024));
  const pack = execFileSync('git', ['-C', work, 'pack-objects', '--stdout', '--revs', '-q'], { input: `${big}\n^${base}\n`, maxBuffer: 64 << 20 });

  // Send the ref update and half of the pack, then drop the connection, as a killed client would.
  await new Promise<void>((resolve) => {
    const req = request(`${server.baseUrl}/alice/priv.git/git-receive-pack`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`alice:${token}`).toString('base64')}`,
        'content-type': 'application/x-git-receive-pack-request',
        'transfer-encoding': 'chunked',
      },
    });
    req.on('error', () => resolve());
    req.on('response', (response) => { response.resume(); response.on('end', resolve); });
    req.write(Buffer.concat([pktLine(`${base} ${big} refs/heads/main\0 report-status\n`), Buffer.from('0000'), pack.subarray(0, pack.length >> 1)]), () => {
      req.destroy();
      resolve();
    });
  });

  const objectsDir = join(server.deps.repositoryFiles.pathOf(repository), 'objects');
  await eventually(async () => !(await readdir(objectsDir)).some((name) => name.startsWith('tmp_objdir')), 'the quarantine is gone');
  assert.equal(bareGit(server, repository, ['rev-parse', 'refs/heads/main']).trim(), base);
  assert.throws(() => bareGit(server, repository, ['cat-file', '-e', big]), 'no object of the aborted push is kept');
  bareGit(server, repository, ['fsck', '--strict', '--no-progress']);

  // The repository still takes a whole push afterwards.
  await git.ok(['push', '-q', url, 'main'], { cwd: work });
  assert.equal(bareGit(server, repository, ['rev-parse', 'refs/heads/main']).trim(), big);
});

test('two clients pushing to one branch at once: one wins, the other is refused, refs stay sound', async (t) => {
  const { server, git, repository, url } = await aliceRepository(t, 'shared', false);

  const seed = join(git.home, 'seed');
  await git.ok(['init', '-q', seed]);
  await commitFile(git, seed, 'a.txt', 'a\n');
  await git.ok(['push', '-q', url, 'main'], { cwd: seed });
  const clones = ['one', 'two'].map((name) => join(git.home, name));
  for (const dir of clones) await git.ok(['clone', '-q', url, dir]);
  const heads = await Promise.all(clones.map((dir, i) => commitFile(git, dir, `from-${i}.txt`, randomBytes(256 * 1024))));

  const results = await Promise.all(clones.map((dir) => git.run(['push', 'origin', 'main'], { cwd: dir })));
  const winners = results.filter((result) => result.code === 0);
  assert.equal(winners.length, 1, results.map((r) => r.stderr).join('\n---\n'));
  const loserIndex = results.findIndex((result) => result.code !== 0);
  assert.match(results[loserIndex]!.stderr, /fetch first|failed to update ref|cannot lock ref|stale info/);
  assert.equal(bareGit(server, repository, ['rev-parse', 'refs/heads/main']).trim(), heads[1 - loserIndex]);
  bareGit(server, repository, ['fsck', '--strict', '--no-progress']);

  // The loser does what git told it to: fetch, rebase, push.
  await git.ok(['pull', '-q', '--rebase', 'origin', 'main'], { cwd: clones[loserIndex] });
  await git.ok(['push', '-q', 'origin', 'main'], { cwd: clones[loserIndex] });
});

test('a 50 MB push and clone stream through without buffering the pack', async (t) => {
  const { git, url } = await aliceRepository(t, 'large', true);
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await mkdir(join(work, 'data'));
  for (let i = 0; i < 5; i++) await writeFile(join(work, 'data', `part-${i}.bin`), randomBytes(10 * 1024 * 1024));
  await git.ok(['add', '.'], { cwd: work });
  await git.ok(['commit', '-qm', '50 MB of incompressible data'], { cwd: work });

  // Live memory (after a full collection, so garbage chunks already passed on do not count), sampled throughout.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const live = () => { gc(); const usage = process.memoryUsage(); return usage.heapUsed + usage.arrayBuffers; };
  const before = live();
  let peak = before;
  const sampler = setInterval(() => { peak = Math.max(peak, live()); }, 100);
  try {
    await git.ok(['push', '-q', url, 'main'], { cwd: work });
    await git.ok(['clone', '-q', url, join(git.home, 'copy')]);
  } finally {
    clearInterval(sampler);
  }
  const head = (await git.ok(['rev-parse', 'HEAD'], { cwd: work })).stdout;
  assert.equal((await git.ok(['rev-parse', 'HEAD'], { cwd: join(git.home, 'copy') })).stdout, head);
  await git.ok(['fsck', '--no-progress'], { cwd: join(git.home, 'copy') });
  t.diagnostic(`live server memory grew by ${Math.round((peak - before) / 1048576)} MB at most during push and clone`);
  // A server that buffered the pack would hold its 50 MB at once; streaming holds a few chunks.
  assert.ok(peak - before < 20 * 1024 * 1024, `server memory grew by ${Math.round((peak - before) / 1048576)} MB`);
});

test('paths that try to leave the repository root get a clean 4xx and read nothing outside it', async (t) => {
  const server = await startTestServer(t);
  const git = await createGitClient(t);
  const alice = await server.createUser({ username: 'alice' });
  const bob = await server.createUser({ username: 'bob' });
  const token = await server.createToken(alice, { scopes: ['repo'] });
  await server.createRepository(alice, 'pub', { private: false });
  await server.createRepository(bob, 'secret', { private: true });

  // Sentinel repositories beside the data folder, beside the repositories root and inside it under a non-id name.
  const sentinelCommitMessage = `SENTINEL-${randomBytes(8).toString('hex')}`;
  const sentinels = [join(server.dataDir, '..', `${randomBytes(4).toString('hex')}-sentinel.git`), join(server.dataDir, 'sentinel.git'), join(server.deps.repositoryFiles.root, 'sentinel.git')];
  const sentinelIds: string[] = [];
  for (const path of sentinels) {
    t.after(() => execFileSync('rm', ['-rf', path]));
    await git.ok(['init', '-q', '--bare', path]);
    const work = join(git.home, `w-${sentinelIds.length}`);
    await git.ok(['init', '-q', work]);
    sentinelIds.push(await commitFile(git, work, 's.txt', sentinelCommitMessage));
    await git.ok(['push', '-q', path, 'main'], { cwd: work });
  }
  const sentinelName = sentinels[0]!.split('/').pop()!.replace(/\.git$/, '');

  const paths = [
    '/alice/../../sentinel.git/info/refs?service=git-upload-pack',
    `/alice/..%2F..%2F..%2F${sentinelName}/info/refs?service=git-upload-pack`,
    '/alice/..%2Fsentinel/info/refs?service=git-upload-pack',
    '/..%2F..%2Fsentinel.git/x/info/refs?service=git-upload-pack',
    '/alice/sentinel.git/info/refs?service=git-upload-pack',
    '/alice%2Fpub/x/info/refs?service=git-upload-pack',
    '/alice/pub%2F..%2F..%2Fsentinel/info/refs?service=git-upload-pack',
    '/alice/pub/info/refs?service=git-evil-pack',
    '/alice/pub/info/refs?service=git-upload-pack%00',
    '/alice/pub/info/refs',
    '/alice/pub.git/HEAD',
    '/alice/pub.git/objects/info/packs',
    '/alice/pub/git-upload-pack/../../sentinel',
    '/bob/secret/info/refs?service=git-upload-pack',
    '/bob/secret.git/info/refs?service=git-receive-pack',
  ];
  const authorization = `Basic ${Buffer.from(`alice:${token}`).toString('base64')}`;
  for (const path of paths) {
    for (const headers of [{}, { authorization }, { authorization, 'user-agent': 'git/2.39.5' }]) {
      const { status, body, type } = await new Promise<{ status: number; body: string; type: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: new URL(server.baseUrl).port, path, headers }, (response) => {
          let body = '';
          response.setEncoding('latin1').on('data', (chunk: string) => { body += chunk; });
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body, type: response.headers['content-type'] ?? '' }));
        });
        req.on('error', reject);
        req.end();
      });
      assert.ok(status >= 400 && status < 500, `${path} answered ${status}`);
      assert.ok(!body.includes(sentinelCommitMessage) && !sentinelIds.some((id) => body.includes(id)), `${path} leaked the sentinel`);
      assert.doesNotMatch(body, /\n\s+at .+:\d+:\d+/, `${path} showed a stack trace`);
      // git prints only a text/plain body (as `remote:` lines), so that is what a git client always gets.
      if ('user-agent' in headers) assert.match(type, /^text\/plain/, `${path} answered git with ${type}`);
    }
  }
});
