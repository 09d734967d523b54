/**
 * SAML single sign-on end to end, as people use it: in Chromium an owner creates an organization, configures SAML
 * with the test IdP's metadata, tests it and requires it; a member signs in through the IdP and authorizes a token
 * under Configure SSO. Before that, Octokit gets GitHub's 403 with X-GitHub-SSO and the real git prints the link;
 * after it, Octokit reads the private repository and git clones and pushes it; once the owner revokes the
 * authorization, both are refused again.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { Octokit } from '@octokit/rest';
import type { Browser, Page } from 'playwright-core';
import { SSO_REQUIRED_MESSAGE } from '../../src/http/git/git-refusals.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { createGitClient, withCredentials } from '../helpers/git.ts';
import { startTestIdpServer } from '../helpers/saml-idp-server.ts';
import { SAML_EDITION_ENV } from '../helpers/org-sso.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const LINK = /http:\/\/127\.0\.0\.1:\d+\/orgs\/acme\/sso\?authorization_request=[0-9a-f]{32}/;

async function signIn(browser: Browser, server: TestServer, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto('/login');
  await page.getByLabel('Username or email address').fill(username);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/settings/tokens');
  return page;
}

/** What Octokit's repos.get answers: the status, and X-GitHub-SSO when refused. */
async function octokitReads(octokit: Octokit): Promise<{ status: number; sso?: string | undefined; message?: string }> {
  try {
    const { status, data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'vault' });
    assert.equal(data.private, true);
    return { status };
  } catch (error) {
    const failure = error as { status: number; response?: { headers: Record<string, string>; data: { message: string } } };
    return { status: failure.status, sso: failure.response?.headers['x-github-sso'], message: failure.response?.data.message };
  }
}

test('an owner sets up SAML in Chromium; a member authorizes a token; Octokit and git are refused, then served, then refused', async (t) => {
  const server = await startTestServer(t, { env: SAML_EDITION_ENV });
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'olivia' });
  const member = await server.createUser({ username: 'marek' });
  const token = await server.createToken(member, { note: 'laptop', scopes: ['repo'] });
  const browser = await launchBrowser(t);
  const git = await createGitClient(t);
  const octokit = new Octokit({ baseUrl: server.apiUrl, auth: token, log: quiet });
  const cloneUrl = withCredentials(`${server.baseUrl}/acme/vault.git`, member.username, token);

  // The owner: organization, member, private repository.
  const ownerPage = await signIn(browser, server, owner.username);
  await ownerPage.goto('/organizations/new');
  await ownerPage.getByLabel('Organization name').fill('acme');
  await ownerPage.getByRole('button', { name: 'Create organization' }).click();
  await ownerPage.waitForURL('**/acme');
  await ownerPage.goto('/orgs/acme/people');
  await ownerPage.getByLabel('Add a member by username').fill(member.username);
  await ownerPage.getByRole('button', { name: 'Add member' }).click();
  await ownerPage.getByText(member.username, { exact: true }).first().waitFor();
  await ownerPage.goto('/new?owner=acme');
  await ownerPage.getByLabel('Repository name').fill('vault');
  await ownerPage.getByRole('button', { name: 'Create repository' }).click();
  await ownerPage.waitForURL('**/acme/vault');

  // SAML: the IdP's metadata file, a test sign-in through the IdP, then required.
  const metadataFile = join(git.home, 'idp-metadata.xml');
  await writeFile(metadataFile, idp.idp.metadataXml());
  await ownerPage.goto('/orgs/acme/settings/saml');
  assert.equal(await ownerPage.getByTestId('sp-acs-url').innerText(), `${server.baseUrl}/orgs/acme/saml/consume`);
  await ownerPage.getByLabel('Identity provider metadata (XML)').setInputFiles(metadataFile);
  // The page reads the file into its text area.
  await ownerPage.waitForFunction('document.getElementById("metadata-xml").value.includes("EntityDescriptor")');
  await ownerPage.getByRole('button', { name: 'Save' }).click();
  await ownerPage.getByTestId('idp-entity-id').waitFor();
  assert.equal(await ownerPage.getByTestId('enforcement').isDisabled(), true, 'not before a test');
  idp.signInAs('olivia@idp.example.test');
  await ownerPage.getByRole('button', { name: 'Test SAML configuration' }).click();
  await ownerPage.waitForURL('**/orgs/acme/settings/saml?notice=test-succeeded');
  await ownerPage.getByRole('button', { name: 'Require SAML single sign-on for all members' }).click();
  await ownerPage.waitForURL('**/orgs/acme/settings/saml?notice=enforced');

  // Before the token is authorized.
  const refused = await octokitReads(octokit);
  assert.equal(refused.status, 403);
  assert.equal(refused.message, SSO_REQUIRED_MESSAGE);
  assert.match(refused.sso ?? '', new RegExp(`^required; url=${LINK.source}$`));
  const cloneRefused = await git.run(['clone', cloneUrl, 'refused']);
  assert.notEqual(cloneRefused.code, 0);
  assert.match(cloneRefused.stderr, new RegExp(`remote: ${SSO_REQUIRED_MESSAGE.replace(/\./g, '\\.')}`));
  assert.match(cloneRefused.stderr, new RegExp(`remote: Authorize this token for the acme organization at: ${LINK.source}`));

  // The member: the organization's page sends them through the IdP; then Configure SSO › Authorize.
  const memberPage = await signIn(browser, server, member.username);
  idp.signInAs('marek@idp.example.test');
  await memberPage.goto('/acme');
  await memberPage.getByRole('heading', { name: 'Single sign-on to acme' }).waitFor();
  await memberPage.getByRole('button', { name: 'Continue' }).click();
  await memberPage.waitForURL('**/acme');
  assert.ok(idp.requests.length >= 2, 'the member went through the IdP');
  await memberPage.goto('/settings/tokens');
  const row = memberPage.getByTestId('token-row').filter({ hasText: 'laptop' });
  await row.getByText('Configure SSO').click();
  await row.getByRole('button', { name: 'Authorize laptop for acme' }).click();
  await memberPage.waitForURL('**/settings/tokens?notice=sso-authorized');
  await memberPage.getByTestId('token-row').filter({ hasText: 'laptop' }).getByText('Configure SSO').click();
  assert.equal(await memberPage.getByTestId('sso-authorized').innerText(), 'Authorized');

  // After: Octokit reads it, git clones and pushes.
  assert.deepEqual(await octokitReads(octokit), { status: 200 });
  await git.ok(['clone', cloneUrl, 'vault']);
  const work = join(git.home, 'vault');
  await writeFile(join(work, 'README.md'), 'hello\n');
  await git.ok(['add', 'README.md'], { cwd: work });
  await git.ok(['commit', '-m', 'first'], { cwd: work });
  await git.ok(['push', 'origin', 'HEAD:main'], { cwd: work });

  // The owner revokes it: refused again, both ways.
  await ownerPage.goto('/orgs/acme/settings/credential-authorizations');
  await ownerPage.getByRole('button', { name: 'Revoke laptop of marek' }).click();
  await ownerPage.waitForURL('**/settings/credential-authorizations?notice=revoked');
  assert.equal((await octokitReads(octokit)).status, 403);
  const fetchRefused = await git.run(['fetch', 'origin'], { cwd: work });
  assert.notEqual(fetchRefused.code, 0);
  assert.match(fetchRefused.stderr, new RegExp(`remote: Authorize this token for the acme organization at: ${LINK.source}`));
  const pushRefused = await git.run(['push', 'origin', 'HEAD:other'], { cwd: work });
  assert.notEqual(pushRefused.code, 0);
  assert.match(pushRefused.stderr, /remote: Resource protected by organization SAML enforcement/);
});
