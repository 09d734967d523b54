/**
 * GitHub's own command-line client, Debian's `gh` unmodified, against Tessera over HTTPS as against a GitHub
 * Enterprise Server host: log in with a token, read the user over REST and GraphQL, create, list, view and clone a
 * repository, and push through gh's git credential helper.
 *
 * gh takes no port in a host name and speaks to https://HOST/api/v3/ and https://HOST/api/graphql, so the server
 * is reached as https://tessera.test through a CONNECT proxy (test/helpers/connect-proxy.ts) with a certificate for
 * that name made in the test. A failing step shows gh's output and the requests the server answered meanwhile.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { startConnectProxy } from '../helpers/connect-proxy.ts';
import { createGhClient, type GhClient, type GhRun, missingGh } from '../helpers/gh.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { makeTestCertificates } from '../helpers/tls-certificates.ts';

const HOST = 'tessera.test';

/** The requests the server answered, as `METHOD path → status`, from its log lines. */
function answeredRequests(server: TestServer, from: number): string[] {
  return server.logs.slice(from).flatMap((line) => {
    const entry = JSON.parse(line) as { msg?: string; req?: { method: string; path: string }; res?: { statusCode: number } };
    return entry.msg === 'request completed' || entry.msg === 'request errored' ? [`${entry.req!.method} ${entry.req!.path} → ${entry.res!.statusCode}`] : [];
  });
}

/** Runs gh and fails unless it exits 0, saying what gh printed and what it asked the server. */
async function ghOk(gh: GhClient, server: TestServer, args: string[], options: { input?: string; cwd?: string; command?: string } = {}): Promise<GhRun> {
  const from = server.logs.length;
  const result = await gh.run(args, options);
  const shown = options.command ? [options.command, ...args] : ['gh', ...args];
  assert.equal(result.code, 0, [
    `${shown.join(' ')} exited ${result.code}`,
    `stdout: ${result.stdout.trim()}`,
    `stderr (GH_DEBUG=api, last 12 kB): ${result.stderr.trim().slice(-12_000)}`,
    `requests the server answered: ${answeredRequests(server, from).join(', ') || 'none'}`,
  ].join('\n'));
  return result;
}

test('gh logs in, reads the user over REST and GraphQL, creates, lists, views, clones and pushes over HTTPS', { skip: missingGh() }, async (t) => {
  const certificates = await makeTestCertificates(t, [HOST]);
  const server = await startTestServer(t, { tls: certificates, publicUrl: `https://${HOST}` });
  const proxy = await startConnectProxy(t, HOST, Number(new URL(server.baseUrl).port));
  const alice = await server.createUser({ username: 'alice' });
  // What `gh auth login` asks a token for (repo, read:org, gist), plus workflow as `gh auth refresh` would add.
  const token = await server.createToken(alice, { scopes: ['repo', 'read:org', 'gist', 'workflow'] });
  const gh = await createGhClient(t, { host: HOST, caFile: certificates.caFile, proxyUrl: proxy.url });

  await t.test('gh auth login --hostname HOST --with-token', async () => {
    await ghOk(gh, server, ['auth', 'login', '--hostname', HOST, '--with-token'], { input: `${token}\n` });
    const hosts = await readFile(join(gh.configDir, 'hosts.yml'), 'utf8');
    assert.match(hosts, new RegExp(`^${HOST.replace('.', '\\.')}:`, 'm'));
    assert.ok(hosts.includes(token), 'gh keeps the token in its hosts.yml');
  });

  await t.test('gh auth status', async () => {
    const status = await ghOk(gh, server, ['auth', 'status', '--hostname', HOST]);
    assert.match(status.stderr, new RegExp(`Logged in to ${HOST} as alice`));
    assert.match(status.stderr, /Token scopes: .*repo/);
    assert.ok(!status.stderr.includes(token), 'gh shows the token masked');
  });

  await t.test('gh api user', async () => {
    const user = JSON.parse((await ghOk(gh, server, ['api', 'user'])).stdout) as { login: string; html_url: string };
    assert.equal(user.login, 'alice');
    assert.equal(user.html_url, `https://${HOST}/alice`);
  });

  await t.test("gh api graphql -f query='{viewer{login}}'", async () => {
    const answer = JSON.parse((await ghOk(gh, server, ['api', 'graphql', '-f', 'query={viewer{login}}'])).stdout) as unknown;
    assert.deepEqual(answer, { data: { viewer: { login: 'alice' } } });
  });

  await t.test('gh repo create NAME --private', async () => {
    const created = await ghOk(gh, server, ['repo', 'create', 'hello-gh', '--private']);
    assert.match(created.stdout + created.stderr, new RegExp(`https://${HOST}/alice/hello-gh`));
    const response = await server.app.inject({ url: '/api/v3/repos/alice/hello-gh', headers: { authorization: `token ${token}` } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.json<{ private: boolean }>().private, true);
  });

  await t.test('gh repo list', async () => {
    const list = await ghOk(gh, server, ['repo', 'list']);
    assert.match(list.stdout, /^alice\/hello-gh\t.*\bprivate\b/m);
  });

  await t.test('gh repo view OWNER/NAME', async () => {
    const view = await ghOk(gh, server, ['repo', 'view', 'alice/hello-gh']);
    assert.match(view.stdout, /^name:\s+alice\/hello-gh$/m);
  });

  await t.test('gh repo clone OWNER/NAME, then git push through gh auth git-credential', async () => {
    await ghOk(gh, server, ['auth', 'setup-git', '--hostname', HOST]);
    const gitConfig = await readFile(join(gh.home, '.gitconfig'), 'utf8');
    assert.match(gitConfig, /helper = .*gh.* auth git-credential/, 'gh set itself up as git credential helper');
    await ghOk(gh, server, ['repo', 'clone', 'alice/hello-gh']);
    const clone = join(gh.home, 'hello-gh');
    const remote = await ghOk(gh, server, ['remote', 'get-url', 'origin'], { cwd: clone, command: 'git' });
    assert.equal(remote.stdout.trim(), `https://${HOST}/alice/hello-gh.git`);
    await writeFile(join(clone, 'README.md'), '# hello-gh\n');
    await ghOk(gh, server, ['add', 'README.md'], { cwd: clone, command: 'git' });
    await ghOk(gh, server, ['commit', '-qm', 'first commit'], { cwd: clone, command: 'git' });
    const head = (await ghOk(gh, server, ['rev-parse', 'HEAD'], { cwd: clone, command: 'git' })).stdout.trim();
    await ghOk(gh, server, ['push', 'origin', 'main'], { cwd: clone, command: 'git' });
    const remoteRefs = await ghOk(gh, server, ['ls-remote', 'origin'], { cwd: clone, command: 'git' });
    assert.match(remoteRefs.stdout, new RegExp(`^${head}\\trefs/heads/main$`, 'm'));
  });

  assert.ok(proxy.targets.every((target) => target === `${HOST}:443`), `gh and git went only to ${HOST}:443: ${proxy.targets.join(', ')}`);
  for (const line of server.logs) assert.ok(!line.includes(token), 'the token never reaches the log');
});
