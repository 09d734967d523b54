/**
 * Maintenance after pushes, with the real git: a push through Tessera schedules it; it leaves a bitmap index; an
 * object no ref reaches is kept through the grace period and gone after it (not fetchable by hash any more), while
 * everything reachable still clones. Runs are awaited through the scheduler, never slept for.
 */
import { cliEnvironment, runCli } from '../helpers/cli.ts';
import assert from 'node:assert/strict';
import { EventEmitter, once } from 'node:events';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { createMaintenanceScheduler } from '../../src/git/maintenance-scheduler.ts';
import { maintainRepository } from '../../src/git/repository-maintenance.ts';
import { createGitClient, withCredentials } from '../helpers/git.ts';
import { fakeClock, startTestServer } from '../helpers/server.ts';

const GRACE_SECONDS = 3600;

test('after a push: a bitmap; an unreachable object survives the grace period, then is pruned', async (t) => {
  const server = await startTestServer(t);
  const git = await createGitClient(t);
  const alice = await server.createUser({ username: 'alice' });
  const token = await server.createToken(alice, { scopes: ['repo'] });
  const repository = await server.createRepository(alice, 'kept-clean', { private: true });
  const bare = server.deps.repositoryFiles.pathOf(repository);
  const url = withCredentials(`${server.baseUrl}/alice/kept-clean.git`, 'alice', token);

  const clock = fakeClock(new Date());
  const maintained = new EventEmitter();
  const scheduler = createMaintenanceScheduler({
    delayMs: 0,
    maintain: async (path) => {
      await maintainRepository(path, { pruneGraceSeconds: GRACE_SECONDS, now: clock.now() });
      maintained.emit('done', path);
    },
    onError: (error) => maintained.emit('error', error),
  });
  server.deps.repositoryMaintenance = scheduler;

  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await writeFile(join(work, 'README.md'), '# kept clean\n');
  await git.ok(['add', '.'], { cwd: work });
  await git.ok(['commit', '-qm', 'first'], { cwd: work });
  await git.ok(['checkout', '-qb', 'oops'], { cwd: work });
  await writeFile(join(work, 'secret.txt'), 'AKIA-not-for-anyone\n');
  await git.ok(['add', '.'], { cwd: work });
  await git.ok(['commit', '-qm', 'pushed a secret by mistake'], { cwd: work });
  const secretCommit = (await git.ok(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
  const secretBlob = (await git.ok(['rev-parse', 'HEAD:secret.txt'], { cwd: work })).stdout.trim();

  const firstRun = once(maintained, 'done');
  await git.ok(['push', '-q', url, 'main', 'oops'], { cwd: work });
  assert.deepEqual(await firstRun, [bare], 'the push scheduled maintenance of its repository');
  const packs = await readdir(join(bare, 'objects', 'pack'));
  assert.equal(packs.filter((name) => name.endsWith('.pack')).length, 1, packs.join());
  assert.equal(packs.filter((name) => name.endsWith('.bitmap')).length, 1, `a bitmap index: ${packs.join()}`);

  const secondRun = once(maintained, 'done');
  await git.ok(['push', '-q', url, ':oops'], { cwd: work });
  await secondRun;
  const exists = async (object: string) => (await git.run(['-C', bare, 'cat-file', '-e', object])).code === 0;
  assert.ok(await exists(secretBlob), 'unreachable, but within the grace period: kept');

  // From now, not from the clock's start: on a slow machine the objects became unreachable seconds after it.
  clock.set(new Date(Date.now() + (GRACE_SECONDS + 1) * 1000));
  assert.deepEqual(await scheduler.schedule(bare), { ok: true });
  assert.equal(await exists(secretBlob), false, 'past the grace period: the secret is gone');
  assert.equal(await exists(secretCommit), false);
  const empty = join(git.home, 'empty');
  await git.ok(['init', '-q', empty]);
  const fetched = await git.run(['fetch', '-q', url, secretCommit], { cwd: empty });
  assert.notEqual(fetched.code, 0, 'not fetchable by hash');

  await git.ok(['clone', '-q', url, join(git.home, 'clone')]);
  assert.equal((await git.ok(['log', '--format=%s'], { cwd: join(git.home, 'clone') })).stdout, 'first\n');
  assert.ok((await readdir(join(bare, 'objects', 'pack'))).some((name) => name.endsWith('.bitmap')));
});

test('the scheduler debounces a burst into one run, and never runs one repository twice at once', async () => {
  const events = new EventEmitter();
  let running = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const scheduler = createMaintenanceScheduler({
    delayMs: 0,
    maintain: async (path) => {
      running += 1;
      most = Math.max(most, running);
      await new Promise<void>((resolve) => {
        gates.push(resolve);
        events.emit('started', path);
      });
      running -= 1;
    },
  });
  const firstStart = once(events, 'started');
  const burst = [scheduler.schedule('/r'), scheduler.schedule('/r'), scheduler.schedule('/r')];
  await firstStart;
  // A push while it runs: one more run after it, not beside it.
  const during = scheduler.schedule('/r');
  const secondStart = once(events, 'started');
  gates[0]!();
  assert.deepEqual(await Promise.all(burst), [{ ok: true }, { ok: true }, { ok: true }]);
  await secondStart;
  assert.equal(gates.length, 2, 'three requests made one run; the one during it, one more');
  gates[1]!();
  assert.deepEqual(await during, { ok: true });
  assert.equal(most, 1, 'never two at once');
  scheduler.close();
});

test('tessera repo maintain: one repository or all of them, with progress', async (t) => {
  const server = await startTestServer(t);
  const git = await createGitClient(t);
  const alice = await server.createUser({ username: 'alice' });
  const token = await server.createToken(alice, { scopes: ['repo'] });
  const first = await server.createRepository(alice, 'first', { private: false });
  await server.createRepository(alice, 'second', { private: true });
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await writeFile(join(work, 'README.md'), '# first\n');
  await git.ok(['add', '.'], { cwd: work });
  await git.ok(['commit', '-qm', 'first'], { cwd: work });
  server.deps.repositoryMaintenance = { schedule: async () => ({ ok: true }), close() {} }; // By hand only, here.
  await git.ok(['push', '-q', withCredentials(`${server.baseUrl}/alice/first.git`, 'alice', token), 'main'], { cwd: work });

  const env = cliEnvironment(server);
  const cli = (...args: string[]) => runCli(env, 'repo', 'maintain', ...args);

  const one = await cli('--owner', 'alice', '--name', 'first');
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /^\[1\/1\] alice\/first: repacked and pruned in \d+\.\d s\nMaintained 1 repository\.\n$/);
  assert.ok((await readdir(join(server.deps.repositoryFiles.pathOf(first), 'objects', 'pack'))).some((name) => name.endsWith('.bitmap')));

  const all = await cli('--all');
  assert.equal(all.code, 0, all.stderr);
  assert.match(all.stdout, /^\[1\/2\] alice\/first: .*\n\[2\/2\] alice\/second: .*\nMaintained 2 repositories\.\n$/);

  const neither = await cli();
  assert.equal(neither.code, 1);
  assert.match(neither.stderr, /Give either --owner and --name for one repository, or --all\./);
  const missing = await cli('--owner', 'alice', '--name', 'nope');
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /alice has no repository named nope/);
});
