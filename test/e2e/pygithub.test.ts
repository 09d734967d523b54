/**
 * PyGithub, as Debian ships it (python3-github), with `base_url` pointing at Tessera as at a GitHub Enterprise
 * Server: it reads the user, creates a private repository, lists, fetches and deletes it (test/e2e/pygithub-client.py).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startTestServer } from '../helpers/server.ts';

const run = promisify(execFile);
const CLIENT = fileURLToPath(new URL('pygithub-client.py', import.meta.url));

/** Debian's Python, where python3-github installs, before any other python3 in PATH (pyenv's, a virtualenv's). */
const PYTHON = ['/usr/bin/python3', 'python3'].find((python) => spawnSync(python, ['-c', 'import github']).status === 0);

test('PyGithub with base_url lists, creates and deletes repositories', {
  skip: PYTHON ? false : 'PyGithub is not installed (apt-get install python3-github; scripts/test-prerequisites.sh installs it)',
}, async (t) => {
  const server = await startTestServer(t);
  const alice = await server.createUser({ username: 'alice' });
  await server.createRepository(alice, 'existing', { private: false });
  const token = await server.createToken(alice, { scopes: ['repo', 'delete_repo'] });

  const { stdout } = await run(PYTHON!, [CLIENT, server.apiUrl, token, 'made-by-pygithub'], {
    env: { PATH: process.env.PATH, LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' }, timeout: 30_000,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`PyGithub failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  const steps = stdout.trim().split('\n').map((line) => {
    const [step, value] = line.split('\t');
    return [step, JSON.parse(value!)] as const;
  });
  assert.deepEqual(steps, [
    ['login', 'alice'],
    ['created', {
      full_name: 'alice/made-by-pygithub', private: true, description: 'made by PyGithub',
      clone_url: `${server.baseUrl}/alice/made-by-pygithub.git`,
    }],
    ['listed', ['alice/existing', 'alice/made-by-pygithub']],
    ['fetched', 'alice/made-by-pygithub'],
    ['after delete', 404],
    ['listed after delete', ['alice/existing']],
  ]);
  for (const line of server.logs) assert.ok(!line.includes(token), 'the token never reaches the log');
});
