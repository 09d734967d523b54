/**
 * The real `git` client against a real Tessera server: clone, fetch, pull and push with a token, and every refusal
 * as git prints it. Each case that sends a token is run with Basic (token as password) and with a Bearer header,
 * and must get the same answer (GHSA-cc8w-r4qh-3v65).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { DAY_MS } from '../../src/domain/deps.ts';
import { findTokenByHash } from '../../src/store/token-store.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import type { UserRow } from '../../src/store/database.ts';
import { fakeClock, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { createGitClient, type GitClient, withCredentials } from '../helpers/git.ts';

/** Creates OWNER/NAME and returns its clone URL. */
async function newRepository(server: TestServer, owner: UserRow, name: string, isPrivate: boolean): Promise<string> {
  await server.createRepository(owner, name, { private: isPrivate });
  return `${server.baseUrl}/${owner.username}/${name}.git`;
}

/** A working copy with one commit, pushed nowhere yet. */
async function workingCopy(git: GitClient, name: string, file = 'README.md', content = `# ${name}\n`): Promise<string> {
  const dir = join(git.home, name);
  await git.ok(['init', '-q', dir]);
  await writeFile(join(dir, file), content);
  await git.ok(['add', '.'], { cwd: dir });
  await git.ok(['commit', '-qm', `first commit of ${name}`], { cwd: dir });
  return dir;
}

const bearer = (token: string) => ['-c', `http.extraHeader=Authorization: Bearer ${token}`];

/** Each way of sending a token: the URL's password (Basic) and a Bearer header. */
function tokenStyles(url: string, username: string, token: string) {
  return [
    { style: 'basic', url: withCredentials(url, username, token), config: [] as string[] },
    { style: 'bearer', url, config: bearer(token) },
  ];
}

async function setUp(t: Parameters<typeof startTestServer>[0], options: Parameters<typeof startTestServer>[1] = {}) {
  const server = await startTestServer(t, options);
  const git = await createGitClient(t);
  const alice = await server.createUser({ username: 'alice' });
  const bob = await server.createUser({ username: 'bob' });
  return { server, git, alice, bob };
}

test('clone, push and fetch with a token; public repositories clone anonymously', async (t) => {
  const { server, git, alice } = await setUp(t);
  const token = await server.createToken(alice, { scopes: ['repo'] });
  const publicUrl = await newRepository(server, alice, 'pub', false);
  const privateUrl = await newRepository(server, alice, 'priv', true);

  const source = await workingCopy(git, 'source');
  await git.ok(['push', withCredentials(privateUrl, 'alice', token), 'main'], { cwd: source });
  await git.ok(['push', withCredentials(publicUrl, 'anything-goes', token), 'main'], { cwd: source });

  // Anonymous clone of the public repository.
  await git.ok(['clone', '-q', publicUrl, 'anon']);
  assert.equal(await readFile(join(git.home, 'anon', 'README.md'), 'utf8'), '# source\n');

  // Anonymous clone of the private one: git is asked for credentials and has none.
  const anonymousPrivate = await git.run(['clone', '-q', privateUrl, 'anon-private']);
  assert.notEqual(anonymousPrivate.code, 0);
  assert.match(anonymousPrivate.stderr, /could not read Username/);

  // Token in the URL, with and without the .git suffix.
  await git.ok(['clone', '-q', withCredentials(privateUrl, 'alice', token), 'by-url']);
  await git.ok(['clone', '-q', withCredentials(privateUrl.replace(/\.git$/, ''), 'alice', token), 'no-suffix']);
  assert.equal(await readFile(join(git.home, 'no-suffix', 'README.md'), 'utf8'), '# source\n');

  // Token through GIT_ASKPASS, as a terminal prompt would take it.
  const askpass = join(git.home, 'askpass.sh');
  await writeFile(askpass, `#!/bin/sh\ncase "$1" in Username*) echo alice ;; *) echo "${token}" ;; esac\n`);
  await chmod(askpass, 0o700);
  await git.ok(['clone', '-q', privateUrl, 'by-askpass'], { env: { GIT_ASKPASS: askpass } });

  // Token through a credential helper: approve once, then clone with no prompt and no token in the URL.
  const helper = ['-c', `credential.helper=store --file=${join(git.home, 'credentials')}`];
  const host = new URL(server.baseUrl).host;
  await git.ok([...helper, 'credential', 'approve'], { input: `protocol=http\nhost=${host}\nusername=alice\npassword=${token}\n\n` });
  await git.ok([...helper, 'clone', '-q', privateUrl, 'by-helper']);

  // Push from one clone, fetch and pull from another: new branch, tag, force push, delete.
  const first = join(git.home, 'by-url');
  const second = join(git.home, 'by-helper');
  await writeFile(join(first, 'feature.txt'), 'feature\n');
  await git.ok(['checkout', '-qb', 'feature'], { cwd: first });
  await git.ok(['add', '.'], { cwd: first });
  await git.ok(['commit', '-qm', 'feature'], { cwd: first });
  await git.ok(['tag', 'v1.0.0'], { cwd: first });
  await git.ok(['push', '-q', 'origin', 'feature', 'v1.0.0'], { cwd: first });
  await git.ok([...helper, 'fetch', '-q', 'origin'], { cwd: second });
  const tags = await git.ok(['tag', '--list'], { cwd: second });
  assert.match(tags.stdout, /v1\.0\.0/);
  await git.ok([...helper, 'checkout', '-q', 'feature'], { cwd: second });
  assert.equal(await readFile(join(second, 'feature.txt'), 'utf8'), 'feature\n');

  await git.ok(['commit', '-q', '--amend', '-m', 'feature, rewritten'], { cwd: first });
  const forced = await git.run(['push', '-q', '--force', 'origin', 'feature'], { cwd: first });
  assert.equal(forced.code, 0, forced.stderr);
  await git.ok([...helper, 'pull', '-q', '--rebase=false', '--no-edit', 'origin', 'main'], { cwd: second });
  await git.ok(['push', '-q', 'origin', '--delete', 'feature'], { cwd: first });
  const remote = await git.ok([...helper, 'ls-remote', privateUrl]);
  assert.doesNotMatch(remote.stdout, /refs\/heads\/feature/);
  assert.match(remote.stdout, /refs\/tags\/v1\.0\.0/);

  // Git use is recorded as the token's last use.
  const row = await findTokenByHash(server.db, hashToken(token));
  assert.ok(row?.last_used_at, 'last_used_at is recorded for git use');
});

test('git prints why a credential is refused, the same whichever way the token is sent', async (t) => {
  const clock = fakeClock(new Date());
  const { server, git, alice, bob } = await setUp(t, { clock });
  const publicUrl = await newRepository(server, alice, 'pub', false);
  const privateUrl = await newRepository(server, alice, 'priv', true);
  const missingUrl = `${server.baseUrl}/alice/does-not-exist.git`;
  const tokensPage = `${server.baseUrl}/settings/tokens`;
  const aliceRepo = await server.createToken(alice, { scopes: ['repo'] });
  const source = await workingCopy(git, 'source');
  await git.ok(['push', '-q', withCredentials(privateUrl, 'alice', aliceRepo), 'main'], { cwd: source });
  await git.ok(['push', '-q', withCredentials(publicUrl, 'alice', aliceRepo), 'main'], { cwd: source });

  // An account password: refused with the advice to use a token.
  const password = await git.run(['clone', '-q', withCredentials(privateUrl, 'alice', TEST_PASSWORD), 'pw']);
  assert.notEqual(password.code, 0);
  assert.ok(password.stderr.includes(
    `remote: Password authentication is not supported for Git operations. Use a personal access token instead: ${tokensPage}`,
  ), password.stderr);

  const readUserOnly = await server.createToken(alice, { scopes: ['read:user'] });
  const bobs = await server.createToken(bob, { scopes: ['repo'] });
  const expiring = await server.createToken(alice, { scopes: ['repo'], expiresAt: new Date(clock.now().getTime() + DAY_MS) });
  const unknown = 'tsp_' + 'A'.repeat(30);
  const { tokenChecksum } = await import('../../src/domain/token-format.ts');
  const unknownToken = unknown + tokenChecksum('A'.repeat(30));
  clock.advance(2 * DAY_MS);

  const cases: Array<{ name: string; token: string; args: (url: string, config: string[]) => string[]; url: string; expect: RegExp }> = [
    { name: 'unknown token', token: unknownToken, url: privateUrl, args: (u, c) => [...c, 'clone', '-q', u, 'x'], expect: /remote: Invalid username or token\./ },
    { name: 'expired token', token: expiring, url: privateUrl, args: (u, c) => [...c, 'clone', '-q', u, 'x'], expect: /remote: Your personal access token has expired\./ },
    { name: 'no repo scope on a private clone', token: readUserOnly, url: privateUrl, args: (u, c) => [...c, 'clone', '-q', u, 'x'], expect: /remote: Permission to alice\/priv\.git denied: the token needs the 'repo' scope\./ },
    { name: 'no scope to push to a public repository', token: readUserOnly, url: publicUrl, args: (u, c) => [...c, '-C', source, 'push', u, 'main:other'], expect: /remote: Permission to alice\/pub\.git denied: the token needs the 'public_repo' or 'repo' scope to push\./ },
    { name: 'another user pushing', token: bobs, url: publicUrl, args: (u, c) => [...c, '-C', source, 'push', u, 'main:other'], expect: /remote: Permission to alice\/pub\.git denied to bob\./ },
    { name: "another user's private repository", token: bobs, url: privateUrl, args: (u, c) => [...c, 'clone', '-q', u, 'x'], expect: /remote: Repository not found\./ },
    { name: 'a repository that does not exist', token: bobs, url: missingUrl, args: (u, c) => [...c, 'clone', '-q', u, 'x'], expect: /remote: Repository not found\./ },
  ];
  for (const testCase of cases) {
    // What the server answers is the same for every way of sending the token.
    const service = testCase.args('', []).includes('push') ? 'git-receive-pack' : 'git-upload-pack';
    const infoRefs = `${testCase.url}/info/refs?service=${service}`;
    const answers = await Promise.all([
      `Basic ${Buffer.from(`alice:${testCase.token}`).toString('base64')}`, `Bearer ${testCase.token}`, `token ${testCase.token}`,
    ].map(async (authorization) => {
      const response = await fetch(infoRefs, { headers: { authorization } });
      return `${response.status} ${await response.text()}`;
    }));
    assert.equal(new Set(answers).size, 1, `${testCase.name}: ${answers.join(' | ')}`);
    const status = Number(answers[0]!.slice(0, 3));

    for (const { style, url, config } of tokenStyles(testCase.url, 'alice', testCase.token)) {
      const result = await git.run(testCase.args(url, config));
      assert.notEqual(result.code, 0, `${testCase.name} (${style}) must fail`);
      // On a 401 git shows the server's words only when it sent a username and password; with a header it
      // has nothing to answer the challenge with and asks for a username instead.
      if (style === 'bearer' && status === 401) assert.match(result.stderr, /could not read Username/);
      else assert.match(result.stderr, testCase.expect, `${testCase.name} (${style})`);
    }
  }

  // A private repository the user cannot see looks exactly like one that does not exist.
  const hidden = await git.run(['ls-remote', withCredentials(privateUrl, 'bob', bobs)]);
  const missing = await git.run(['ls-remote', withCredentials(missingUrl.replace('does-not-exist', 'priv2'), 'bob', bobs)]);
  assert.equal(hidden.stderr.replace(/priv/g, 'X'), missing.stderr.replace(/priv2/g, 'X'));

  // Nothing was pushed by any refused attempt.
  const refs = await git.ok(['ls-remote', withCredentials(publicUrl, 'alice', aliceRepo)]);
  assert.doesNotMatch(refs.stdout, /refs\/heads\/other/);
});
