/**
 * Repositories as a person meets them: create one on the "New repository" page, read its HTTPS clone URL and the
 * advice that tokens work for HTTPS only, clone it with git and a token, delete it, and its git data is gone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findRepository } from '../../src/store/repository-store.ts';
import { startTestServer, TEST_PASSWORD } from '../helpers/server.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createGitClient, withCredentials } from '../helpers/git.ts';

test('a repository made on the web page has an HTTPS clone URL, clones with a token, and is gone when deleted', async (t) => {
  const server = await startTestServer(t);
  const git = await createGitClient(t);
  const carol = await server.createUser({ username: 'carol' });
  const token = await server.createToken(carol, { scopes: ['repo'] });
  const browser = await launchBrowser(t);
  const page = await (await browser.newContext({ baseURL: server.baseUrl })).newPage();
  page.setDefaultTimeout(15_000);

  await page.goto('/new');
  await page.waitForURL('**/login?return_to=%2Fnew');
  await page.getByLabel('Username or email address').fill('carol');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/new');

  await page.getByLabel('Repository name').fill('web-made');
  await page.getByLabel('Private').check();
  await page.getByRole('button', { name: 'Create repository' }).click();
  await page.waitForURL('**/carol/web-made');

  const cloneUrl = `${server.baseUrl}/carol/web-made.git`;
  assert.equal(await page.getByTestId('clone-url').inputValue(), cloneUrl);
  const advice = await page.getByTestId('https-only').innerText();
  assert.match(advice, /Personal access tokens work for HTTPS only/);
  assert.ok((await page.content()).includes(`git remote set-url origin ${cloneUrl}`));

  const repository = await findRepository(server.db, carol.id, 'web-made');
  assert.ok(repository);
  const gitDir = server.deps.repositoryFiles.pathOf(repository);
  assert.ok(existsSync(join(gitDir, 'HEAD')), 'a bare git repository exists on disk');
  const cloned = await git.run(['clone', withCredentials(cloneUrl, 'carol', token), 'copy']);
  assert.equal(cloned.code, 0, cloned.stderr);
  assert.match(cloned.stderr, /You appear to have cloned an empty repository/);

  // The same name again is refused on the form, and nothing is lost.
  await page.goto('/new');
  await page.getByLabel('Repository name').fill('web-made');
  await page.getByRole('button', { name: 'Create repository' }).click();
  assert.match(await page.getByTestId('form-errors').innerText(), /name already exists on this account/);

  await page.goto('/carol/web-made');
  await page.getByLabel(/to delete this repository/).fill('web-made');
  await page.getByRole('button', { name: 'Delete repository' }).click();
  await page.waitForURL('**/carol');
  assert.equal(existsSync(gitDir), false, 'its git data is removed');
  const gone = await git.run(['ls-remote', withCredentials(cloneUrl, 'carol', token)]);
  assert.match(gone.stderr, /remote: Repository not found\./);
});

test('a repository made and deleted through the API has its git data made and removed too', async (t) => {
  const server = await startTestServer(t);
  const dave = await server.createUser({ username: 'dave' });
  const token = await server.createToken(dave, { scopes: ['repo', 'delete_repo'] });
  const headers = { authorization: `token ${token}`, 'content-type': 'application/json' };
  const created = await fetch(`${server.apiUrl}/user/repos`, { method: 'POST', headers, body: JSON.stringify({ name: 'api-made' }) });
  assert.equal(created.status, 201);
  assert.equal((await created.json() as { clone_url: string }).clone_url, `${server.baseUrl}/dave/api-made.git`);
  const repository = await findRepository(server.db, dave.id, 'api-made');
  assert.ok(repository);
  const gitDir = server.deps.repositoryFiles.pathOf(repository);
  assert.ok(existsSync(join(gitDir, 'HEAD')));
  const deleted = await fetch(`${server.apiUrl}/repos/dave/api-made`, { method: 'DELETE', headers });
  assert.equal(deleted.status, 204);
  assert.equal(existsSync(gitDir), false);
});
