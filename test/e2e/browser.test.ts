/**
 * The settings pages in a real Chromium against a real server, as a person uses them: sign up, verify the email
 * address from the mail, generate a token, copy it, use it on the API, regenerate it, delete it; sign out and in.
 *
 * Set TESSERA_E2E_SCREENSHOTS=/some/dir to also save screenshots of the main pages there (for looking at them).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, textOf } from '../helpers/browser.ts';
import { startTestServer, TEST_PASSWORD, verificationLinkIn, type TestServer } from '../helpers/server.ts';

const TOKEN_PATTERN = /^tsp_[0-9A-Za-z]{36}$/;
const ONE_TIME_WARNING = "Make sure to copy your personal access token now. You won't be able to see it again!";
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_FORMAT = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

async function openPage(browser: Browser, server: TestServer): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000); // A failure says what it waited for sooner than the 30 s default.
  return page;
}

async function apiUserStatus(server: TestServer, token: string): Promise<{ status: number; login?: string }> {
  const response = await fetch(`${server.apiUrl}/user`, { headers: { authorization: `token ${token}` } });
  const body = await response.json() as { login?: string };
  return { status: response.status, login: body.login };
}

function tokenRow(page: Page, note: string): Locator {
  return page.getByTestId('token-row').filter({ has: page.getByTestId('token-note').getByText(note, { exact: true }) });
}

/** The date the list shows for an expiry `days` from now: one of two, should the UTC day change meanwhile. */
function expiryDatesFor(days: number, since: number): string[] {
  return [since, Date.now()].map((now) => DATE_FORMAT.format(new Date(now + days * DAY_MS)));
}

function isoDateIn(days: number): string {
  return new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
}

async function signUp(page: Page, username: string, email: string): Promise<void> {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await screenshot(page, 'signup');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL('**/settings/tokens');
}

async function verifyEmailFromOutbox(page: Page, server: TestServer, email: string): Promise<void> {
  const mail = (await server.readOutbox()).filter((message) => message.to.includes(email));
  assert.equal(mail.length, 1, 'one verification mail after sign-up');
  await page.goto(verificationLinkIn(mail[0]!));
  await page.getByRole('heading', { name: 'Email verified' }).waitFor();
  await screenshot(page, 'email-verified');
  await page.getByRole('link', { name: 'Go to personal access tokens' }).click();
  await page.waitForURL('**/settings/tokens');
}

test('a person signs up, verifies, and generates, uses, copies, regenerates and deletes a token', async (t) => {
  const server = await startTestServer(t);
  const browser = await launchBrowser(t);
  const page = await openPage(browser, server);
  const username = 'mona-e2e';
  const email = 'mona-e2e@example.test';

  await signUp(page, username, email);
  assert.equal(await textOf(page.getByTestId('signed-in-as')), `Signed in as ${username}`);

  // Before verifying: the page says why, and there is no way to generate a token.
  assert.match(await textOf(page.getByTestId('verify-email-banner')), /You need to verify your email address \(mona-e2e@example\.test\)/);
  assert.equal(await page.getByRole('link', { name: 'Generate new token' }).count(), 0);
  assert.equal(await page.getByRole('button', { name: 'Generate new token' }).isDisabled(), true);
  await screenshot(page, 'tokens-unverified');
  await page.goto('/settings/tokens/new');
  await page.waitForURL('**/settings/tokens');
  assert.equal(await page.getByLabel('Note').count(), 0, 'the new-token form is not shown to an unverified user');

  await verifyEmailFromOutbox(page, server, email);
  assert.equal(await page.getByTestId('verify-email-banner').count(), 0);
  await page.getByTestId('no-tokens').waitFor();

  // Generate a token.
  await page.getByRole('link', { name: 'Generate new token' }).click();
  await page.waitForURL('**/settings/tokens/new');
  await page.getByLabel('Note').fill('laptop git');
  await page.getByLabel('Expiration', { exact: true }).selectOption('60');
  const repo = page.getByRole('checkbox', { name: 'repo', exact: true });
  await repo.check();
  // A parent grants its children: they show checked and locked.
  const publicRepo = page.getByRole('checkbox', { name: 'public_repo', exact: true });
  assert.equal(await publicRepo.isChecked(), true);
  assert.equal(await publicRepo.isDisabled(), true);
  await screenshot(page, 'token-new');
  const generatedSince = Date.now();
  await page.getByRole('button', { name: 'Generate token' }).click();
  await page.waitForURL('**/settings/tokens');

  // Shown once, with the warning and a copy button.
  assert.ok((await textOf(page.getByTestId('new-token-panel'))).includes(ONE_TIME_WARNING), 'the one-time warning is shown');
  const token = await textOf(page.getByTestId('new-token'));
  assert.match(token, TOKEN_PATTERN);
  await screenshot(page, 'tokens-new-token');
  const copyButton = page.getByRole('button', { name: 'Copy token' });
  assert.equal(await copyButton.getAttribute('for'), 'new-token');
  assert.equal(await textOf(page.locator('#new-token')), token, 'the copy button copies the token element');
  await copyButton.click();
  await page.getByTestId('copy-token-done').waitFor();
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), token, 'the clipboard holds the token');

  // The list before first use.
  const row = tokenRow(page, 'laptop git');
  assert.equal(await textOf(row.getByTestId('token-scopes')), 'repo');
  assert.equal(await textOf(row.getByTestId('token-last-used')), 'Never used');
  assert.ok(expiryDatesFor(60, generatedSince).map((date) => `Expires on ${date}`).includes(await textOf(row.getByTestId('token-expiry'))));

  // The token works on the API.
  assert.deepEqual(await apiUserStatus(server, token), { status: 200, login: username });

  // After a reload the secret is gone from the page, and the list shows the use.
  await page.reload();
  await row.waitFor();
  assert.ok(!(await page.content()).includes(token), 'the token is not in the page after a reload');
  assert.equal(await page.getByTestId('new-token-panel').count(), 0);
  assert.equal(await textOf(row.getByTestId('token-note')), 'laptop git');
  assert.equal(await textOf(row.getByTestId('token-scopes')), 'repo');
  assert.equal(await textOf(row.getByTestId('token-last-used')), 'Last used within the last week');
  // The exact time on hover.
  assert.match(String(await row.getByTestId('token-last-used').locator('time').getAttribute('title')), /^[A-Z][a-z]{2} \d{1,2}, \d{4}, \d\d:\d\d:\d\d UTC$/);
  assert.ok(expiryDatesFor(60, generatedSince).map((date) => `Expires on ${date}`).includes(await textOf(row.getByTestId('token-expiry'))));

  // Regenerate: a new secret shown once; the old one stops working, the new one works.
  await row.getByRole('link', { name: 'Regenerate laptop git' }).click();
  await page.waitForURL('**/settings/tokens/*/regenerate');
  await page.getByRole('heading', { name: 'Regenerate personal access token' }).waitFor();
  await page.getByLabel('Expiration', { exact: true }).selectOption('none');
  await screenshot(page, 'token-regenerate');
  await page.getByRole('button', { name: 'Regenerate token' }).click();
  await page.waitForURL('**/settings/tokens');
  const regenerated = await textOf(page.getByTestId('new-token'));
  assert.match(regenerated, TOKEN_PATTERN);
  assert.notEqual(regenerated, token);
  assert.ok((await textOf(page.getByTestId('new-token-panel'))).includes(ONE_TIME_WARNING));
  assert.equal(await textOf(row.getByTestId('token-expiry')), 'No expiration');
  assert.equal((await apiUserStatus(server, token)).status, 401);
  assert.deepEqual(await apiUserStatus(server, regenerated), { status: 200, login: username });

  // Delete it, after saying yes to the question: gone from the list, and refused by the API.
  const dialogs: string[] = [];
  page.once('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.accept(); });
  await row.getByRole('button', { name: 'Delete laptop git' }).click();
  await page.waitForURL('**/settings/tokens?notice=deleted');
  assert.deepEqual(dialogs, ['Delete this token? Anything still using it will stop working at once.']);
  assert.equal(await textOf(page.getByTestId('notice')), 'Deleted personal access token.');
  await page.getByTestId('no-tokens').waitFor();
  assert.equal(await row.count(), 0);
  assert.equal((await apiUserStatus(server, regenerated)).status, 401);
});

test('a person signs out and back in, and the token form keeps their input on an error', async (t) => {
  const server = await startTestServer(t);
  const browser = await launchBrowser(t);
  const page = await openPage(browser, server);
  const user = await server.createUser({ username: 'hubot-e2e', email: 'hubot-e2e@example.test' });
  await server.createToken(user, { note: 'deploy', scopes: ['repo'] });

  // Sign in with the wrong password, then the right one.
  await page.goto('/settings/tokens');
  await page.waitForURL('**/login?return_to=*');
  await page.getByLabel('Username or email address').fill(user.username);
  await page.getByLabel('Password').fill('not the password at all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await textOf(page.getByTestId('form-errors')), 'Incorrect username or password.');
  assert.equal(await page.getByLabel('Username or email address').inputValue(), user.username);
  assert.equal(await page.getByLabel('Password').inputValue(), '', 'the password is never sent back');
  await screenshot(page, 'login-error');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/settings/tokens');
  assert.equal(await textOf(page.getByTestId('signed-in-as')), `Signed in as ${user.username}`);
  await tokenRow(page, 'deploy').waitFor();

  // Sign out: the settings need a sign-in again.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/login');
  assert.equal(await page.getByTestId('signed-in-as').count(), 0);
  await page.goto('/settings/tokens');
  await page.waitForURL('**/login?return_to=*');
  await page.getByLabel('Username or email address').fill(user.email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/settings/tokens');
  await tokenRow(page, 'deploy').waitFor();

  // A note already in use: an error, and the form keeps what was entered.
  const customDate = isoDateIn(45);
  await page.getByRole('link', { name: 'Generate new token' }).click();
  await page.getByLabel('Note').fill('deploy');
  await page.getByLabel('Expiration', { exact: true }).selectOption('custom');
  await page.getByLabel('Custom expiration date').fill(customDate);
  await page.getByRole('checkbox', { name: 'read:org', exact: true }).check();
  await page.getByRole('checkbox', { name: 'gist', exact: true }).check();
  await page.getByRole('button', { name: 'Generate token' }).click();
  assert.equal(await textOf(page.getByTestId('form-errors')), 'Note has already been taken.');
  assert.equal(await page.getByLabel('Note').inputValue(), 'deploy');
  assert.equal(await page.getByLabel('Note').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByLabel('Expiration', { exact: true }).inputValue(), 'custom');
  assert.equal(await page.getByLabel('Custom expiration date').inputValue(), customDate);
  assert.equal(await page.getByRole('checkbox', { name: 'read:org', exact: true }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: 'gist', exact: true }).isChecked(), true);
  assert.equal(await page.getByRole('checkbox', { name: 'repo', exact: true }).isChecked(), false);
  await screenshot(page, 'token-new-error');

  // A new note, with the custom date kept: the token works through that day.
  await page.getByLabel('Note').fill('ci <script>alert(1)</script>');
  await page.getByRole('button', { name: 'Generate token' }).click();
  await page.waitForURL('**/settings/tokens');
  const token = await textOf(page.getByTestId('new-token'));
  const row = tokenRow(page, 'ci <script>alert(1)</script>');
  assert.equal(await textOf(row.getByTestId('token-scopes')), 'read:org, gist');
  assert.equal(await textOf(row.getByTestId('token-expiry')), `Expires on ${DATE_FORMAT.format(new Date(`${customDate}T00:00:00Z`))}`);
  assert.deepEqual(await apiUserStatus(server, token), { status: 200, login: user.username });
  await screenshot(page, 'tokens-list');
});
