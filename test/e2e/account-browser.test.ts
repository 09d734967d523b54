/**
 * Account self-service in a real Chromium against a real server, as a person does it: resetting a forgotten
 * password from the link in the outbox, and changing the email address, confirmed from the link mailed to the new
 * one. The console must stay empty (no script errors, no refused resources) on every page visited.
 *
 * Set TESSERA_E2E_SCREENSHOTS=/some/dir to also save screenshots of the pages there.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, textOf } from '../helpers/browser.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { linkIn, mailTo } from '../http/account-fixture.ts';

const NEW_PASSWORD = 'marble canyon lighthouse 24';

/** A page whose console messages of type error or warning, and uncaught errors, are collected for the end of the test. */
async function openPage(t: TestContext, browser: Browser, server: TestServer): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  // Pages answered 4xx on purpose (a refused form, a used link) are logged by Chromium as failed loads: those are
  // the test's to assert, not problems of the page.
  const documents = new Set<string>();
  page.on('request', (request) => { if (request.resourceType() === 'document') documents.add(request.url()); });
  page.on('console', (message) => {
    const url = message.location().url;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()) && documents.has(url)) return;
    if (['error', 'warning'].includes(message.type())) problems.push(`${message.type()}: ${message.text()} (${url})`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  t.after(() => assert.deepEqual(problems, [], 'nothing in the console'));
  return page;
}

async function signIn(page: Page, login: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Username or email address').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/settings/tokens');
}

test('a person who forgot their password resets it from the link in the mail, and every browser is signed out', async (t) => {
  const server = await startTestServer(t);
  const browser = await launchBrowser(t);
  const user = await server.createUser({ username: 'forgetful-e2e', email: 'forgetful-e2e@example.test' });
  const laptop = await openPage(t, browser, server);
  await signIn(laptop, user.username, TEST_PASSWORD);

  const page = await openPage(t, browser, server);
  await page.goto('/login');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await page.waitForURL('**/forgot-password');
  await page.getByLabel('Username or email address').fill('Forgetful-E2E@example.test');
  await screenshot(page, 'forgot-password');
  await page.getByRole('button', { name: 'Send password reset email' }).click();
  await page.getByRole('heading', { name: 'Check your email' }).waitFor();
  assert.match(await textOf(page.getByTestId('message')), /^If an account matches what you entered, we sent a link to its email address\./);

  const mail = await mailTo(server, user.email);
  assert.deepEqual(mail.map((message) => message.subject), ['[Tessera] Reset your password']);
  const link = linkIn(mail[0]!, '/reset-password');
  await page.goto(link);
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  assert.equal(await textOf(page.getByTestId('reset-username')), '@forgetful-e2e');

  // A weak password is refused with the reason, and the link still works for a better one.
  await page.getByLabel('New password', { exact: true }).fill('forgetful2024');
  await page.getByLabel('Confirm new password').fill('forgetful2024');
  await page.getByRole('button', { name: 'Change password' }).click();
  assert.match(await textOf(page.getByTestId('form-errors')), /^Password is too easy to guess\. There should not be any personal or page related data\./);
  await screenshot(page, 'reset-password-weak');
  await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.waitForURL('**/login?notice=password-reset');
  assert.equal(await textOf(page.getByTestId('notice')), 'Your password was changed and every browser signed out. Sign in with your new password.');

  // The old password no longer works; the new one does.
  await page.getByLabel('Username or email address').fill(user.username);
  await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await textOf(page.getByTestId('form-errors')), 'Incorrect username or password.');
  await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL('**/settings/tokens');
  assert.equal(await textOf(page.getByTestId('signed-in-as')), `Signed in as ${user.username}`);

  // The browser signed in before the reset is signed out, and the link works only once.
  await laptop.goto('/settings/tokens');
  await laptop.waitForURL('**/login?return_to=*');
  await page.goto(link);
  await page.getByRole('heading', { name: 'This link does not work' }).waitFor();
  assert.equal(await textOf(page.getByTestId('message')), 'This password reset link is not valid or was already used. Ask for a new one.');
});

test('a person changes their email address: the new one is confirmed from its mail, the old one is told', async (t) => {
  const server = await startTestServer(t);
  const browser = await launchBrowser(t);
  const user = await server.createUser({ username: 'mover-e2e', email: 'mover-e2e@old.example' });
  const page = await openPage(t, browser, server);
  await signIn(page, user.username, TEST_PASSWORD);

  await page.getByRole('navigation', { name: 'Settings' }).getByRole('link', { name: 'Account' }).click();
  await page.waitForURL('**/settings/account');
  assert.equal(await textOf(page.getByTestId('account-email')), 'mover-e2e@old.example');
  assert.equal(await textOf(page.getByTestId('email-state')), 'Verified');
  await page.getByLabel('New email address').fill('mover-e2e@new.example');
  await page.getByLabel('Current password').fill(TEST_PASSWORD);
  await screenshot(page, 'account-change-email');
  await page.getByRole('button', { name: 'Change email address' }).click();
  await page.waitForURL('**/settings/account?notice=email-change-sent');
  assert.equal(await textOf(page.getByTestId('notice')), 'We sent a confirmation link to the new address. Your address changes when you open it, within 24 hours.');
  assert.match(await textOf(page.getByTestId('pending-email')), /^Waiting for you to confirm mover-e2e@new\.example/);
  assert.equal(await textOf(page.getByTestId('account-email')), 'mover-e2e@old.example', 'unchanged until confirmed');
  await screenshot(page, 'account-pending-email');

  const mail = await mailTo(server, 'mover-e2e@new.example');
  assert.deepEqual(mail.map((message) => message.subject), ['[Tessera] Please confirm your new email address']);
  await page.goto(linkIn(mail[0]!, '/verify-email'));
  await page.getByRole('heading', { name: 'Email address changed' }).waitFor();
  assert.equal(await textOf(page.getByTestId('message')), 'Your account\'s email address is now mover-e2e@new.example instead of mover-e2e@old.example.');

  await page.goto('/settings/account');
  assert.equal(await textOf(page.getByTestId('account-email')), 'mover-e2e@new.example');
  assert.equal(await textOf(page.getByTestId('email-state')), 'Verified');
  assert.equal(await page.getByTestId('pending-email').count(), 0);
  const told = await mailTo(server, 'mover-e2e@old.example');
  assert.deepEqual(told.map((message) => message.subject), ['[Tessera] Your email address was changed']);

  // The language setting on the same page.
  await page.getByLabel('Language of pages and mail').selectOption({ label: 'Русский' });
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL('**/settings/account?notice=language-saved');
  // The page is Russian from then on.
  assert.equal(await textOf(page.getByTestId('notice')), 'Язык сохранён.');
  assert.equal(await page.getByLabel('Язык страниц и писем').inputValue(), 'ru');
  await screenshot(page, 'account-saved');
});
