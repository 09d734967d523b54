/**
 * `tessera serve` killed with SIGKILL while 40 repositories are being created over the API, then started again on
 * the same store and data folder: every repository that was answered 201 is listed and clones with the real git,
 * every listed repository clones, and no folder is left that is not a listed repository.
 */
import { runCli, runCliWithInput } from '../helpers/cli.ts';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createGitClient, withCredentials } from '../helpers/git.ts';
import { createTestStore } from '../helpers/store.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const CREATIONS = 40;

function cliEnvironment(dataDir: string, databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TESSERA_')) env[name] = value;
  env.TESSERA_DATA_DIR = dataDir;
  env.TESSERA_LOG_LEVEL = 'warn';
  if (databaseUrl) env.TESSERA_DATABASE_URL = databaseUrl;
  return env;
}

async function runCliOk(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { code, stdout, stderr } = await runCliWithInput(env, 'correct horse battery staple\n', ...args);
  assert.equal(code, 0, `tessera ${args.join(' ')} failed:\n${stderr}`);
  return stdout;
}

/** Starts `tessera serve --port 0` and resolves with the process and its base URL once it says where it listens. */
async function startServer(t: TestContext, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL'); });
  let output = '';
  child.stdout!.setEncoding('utf8');
  for await (const chunk of child.stdout!) {
    output += chunk;
    const url = /listening on (http:\/\/\S+?) /.exec(output)?.[1];
    if (url) return { child, baseUrl: url };
  }
  throw new Error(`tessera serve stopped before listening:\n${output}`);
}

test('a server killed during 40 concurrent creations keeps every answered repository, and lists only cloneable ones', async (t) => {
  const store = await createTestStore(t);
  const env = cliEnvironment(store.dataDir, store.databaseUrl);
  await runCliOk(env, 'user', 'create', '--username', 'crash', '--email', 'crash@example.test', '--verified');
  const token = (await runCliOk(env, 'token', 'create', '--user', 'crash', '--note', 'crash test', '--scopes', 'repo')).trim();
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };

  const first = await startServer(t, env);
  const answered: string[] = [];
  let killed = false;
  const exited = once(first.child, 'exit');
  const creations = Array.from({ length: CREATIONS }, (_, i) => `repo-${i}`).map(async (name) => {
    try {
      const response = await fetch(`${first.baseUrl}/api/v3/user/repos`, { method: 'POST', headers, body: JSON.stringify({ name, private: true }) });
      if (response.status === 201 && !killed) answered.push(name);
      else if (!killed) assert.fail(`POST /user/repos ${name}: ${response.status} ${await response.text()}`);
    } catch {
      // The connection died with the server: this creation was never answered.
    }
    // Killed mid-way: as soon as a few have been answered, while the rest are under way.
    if (answered.length === 3 && !killed) {
      killed = true;
      first.child.kill('SIGKILL');
    }
  });
  await Promise.all(creations);
  await exited;
  assert.ok(killed, 'the server was killed');
  assert.ok(answered.length >= 3 && answered.length < CREATIONS, `killed mid-way (${answered.length} answered)`);

  const second = await startServer(t, env);
  // One page holds them all (the API pages at 30 unless asked for up to 100).
  const listing = await fetch(`${second.baseUrl}/api/v3/user/repos?per_page=100`, { headers });
  assert.equal(listing.status, 200);
  const listed = (await listing.json()) as Array<{ name: string }>;
  const listedNames = listed.map((repository) => repository.name);
  for (const name of answered) assert.ok(listedNames.includes(name), `${name} was answered 201 and must be listed`);

  const git = await createGitClient(t);
  for (const repository of listed) {
    // Not clone_url: with --port 0 the configured base URL does not know the port the server got.
    const url = withCredentials(`${second.baseUrl}/crash/${repository.name}.git`, 'crash', token);
    await git.ok(['clone', '--bare', '-q', url, join(git.home, repository.name)]);
  }

  const root = join(store.dataDir, 'repositories');
  const entries = await readdir(root);
  const ownerFolders = entries.filter((entry) => /^\d+$/.test(entry));
  assert.equal(ownerFolders.length, 1);
  assert.equal((await readdir(join(root, ownerFolders[0]!))).length, listed.length, 'one folder per listed repository');
  for (const scratch of ['.incoming', '.trash']) {
    const inside = entries.includes(scratch) ? await readdir(join(root, scratch)) : [];
    // The running server's own (empty) incoming folder may exist; nothing of the killed one may.
    for (const entry of inside) assert.deepEqual(await readdir(join(root, scratch, entry)), [], `${scratch}/${entry} is empty`);
    if (scratch === '.trash') assert.deepEqual(inside, []);
  }
  assert.equal(entries.filter((entry) => !/^\d+$/.test(entry) && !['.incoming', '.trash'].includes(entry)).length, 0, entries.join());
  second.child.kill('SIGTERM');
  await once(second.child, 'exit');
});
