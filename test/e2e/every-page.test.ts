/**
 * Every page in Chromium on a 390-pixel-wide phone (the pages are taken from the routes as registered,
 * test/helpers/web-pages.ts): the browser reports no Content-Security-Policy violation and no console message at
 * all, nothing is wider than the screen, the header included, and the inline scripts that the policy lets run (by
 * their nonce) do their work: the expiry summary, the scope tree, the copy button, the delete confirmation.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { preparePageWalk } from '../helpers/web-pages.ts';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/**
 * A phone-sized browser context that reports every CSP violation, console message and page error into `reports`,
 * but for Chromium's note that a document the test asked for as an error page ("expected") answered 4xx.
 */
async function phoneContext(browser: Browser, server: TestServer, reports: string[], expected: Set<string>): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.baseUrl, ...PHONE });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  await context.exposeBinding('reportViolation', ({ page }, text: string) => void reports.push(`${page.url()}: CSP ${text}`));
  // Installed before any script of the page runs, so a violation by the page's first script is caught too.
  await context.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (event) => window.reportViolation(
      event.effectiveDirective + ' blocked ' + (event.blockedURI || 'inline') + ' (' + event.sourceFile + ':' + event.lineNumber + ') ' + event.sample));`,
  });
  context.on('console', (message) => {
    if (expected.has(message.location().url) && /^Failed to load resource: the server responded with a status of 4\d\d/.test(message.text())) return;
    reports.push(`${message.page()?.url()}: console ${message.type()}: ${message.text()}`);
  });
  context.on('weberror', (error) => void reports.push(`${error.page()?.url()}: page error: ${error.error().message}`));
  return context;
}

async function newPage(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/**
 * In the page: its width, how wide its content is, and the first elements that reach past the right edge, except
 * inside a box that scrolls or clips (a code block), where something wide scrolls there, not the page.
 */
const MEASURE_OVERFLOW = `(() => {
  const width = document.documentElement.clientWidth;
  const clipped = (element) => {
    for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
      if (getComputedStyle(parent).overflowX !== 'visible') return true;
    }
    return false;
  };
  const offenders = [...document.querySelectorAll('body *')]
    .filter((element) => element.getBoundingClientRect().right > width + 0.5 && !clipped(element))
    .map((element) => '<' + element.tagName.toLowerCase() + ' class="' + element.className + '"> right=' + Math.round(element.getBoundingClientRect().right));
  return { width, scrollWidth: document.documentElement.scrollWidth, offenders: offenders.slice(0, 5) };
})()`;

/** Nothing reaches past the right edge of the screen; names the elements that do when something does. */
async function assertFitsThePhone(page: Page, what: string): Promise<void> {
  const overflow = await page.evaluate(MEASURE_OVERFLOW) as { width: number; scrollWidth: number; offenders: string[] };
  assert.equal(overflow.width, 390, `${what}: the phone's width`);
  assert.ok(overflow.scrollWidth <= overflow.width && overflow.offenders.length === 0,
    `${what} is wider than the phone (${overflow.scrollWidth}px): ${overflow.offenders.join(', ')}`);
  const header = await page.locator('header').boundingBox();
  assert.ok(header && header.x >= 0 && header.x + header.width <= 390, `${what}: the header fits`);
}

test('every page on a phone in Chromium: no CSP violation, no console message, nothing wider than the screen', async (t) => {
  const server = await startTestServer(t);
  const walk = await preparePageWalk(server);
  const browser = await launchBrowser(t);
  const reports: string[] = [];
  const errorPages = new Set<string>();
  const signedOut = await newPage(await phoneContext(browser, server, reports, errorPages));
  const signedIn = await newPage(await phoneContext(browser, server, reports, errorPages));

  await signedIn.goto('/login');
  await signedIn.getByLabel('Username or email address').fill(walk.user.username);
  await signedIn.getByLabel('Password').fill(walk.password);
  await signedIn.getByRole('button', { name: 'Sign in' }).click();
  await signedIn.waitForURL('**/settings/tokens');

  const visited: string[] = [];
  for (const { route, path } of walk.pages) {
    // A page for signed-out visitors sends a signed-in one elsewhere: it is visited signed out.
    let page = signedIn;
    let response = await page.goto(path);
    if (new URL(page.url()).pathname !== path.split('?')[0]) {
      page = signedOut;
      response = await page.goto(path);
    }
    assert.equal(response?.status(), 200, `${route} could not be reached as ${path}`);
    visited.push(route);
    if (!(response.headers()['content-type'] ?? '').startsWith('text/html')) continue;
    await assertFitsThePhone(page, route);
  }
  assert.ok(visited.length >= 15, `${visited.length} pages visited`);

  await t.test('error pages, signed in and out', async () => {
    for (const [page, path] of [[signedOut, '/no/such/page'], [signedIn, '/settings/tokens/abc'], [signedIn, '/settings/tokens?notice=constructor']] as const) {
      errorPages.add(`${server.baseUrl}${path}`);
      const response = await page.goto(path);
      assert.ok(response && response.status() >= 400 && response.status() < 500, path);
      await assertFitsThePhone(page, path);
    }
  });

  await t.test('the favicon the pages name, and the one browsers look for unasked', async () => {
    await signedOut.goto('/');
    const href = await signedOut.locator('link[rel=icon]').getAttribute('href');
    const svg = await signedOut.request.get(href!);
    assert.equal(svg.status(), 200);
    assert.match(svg.headers()['content-type'] ?? '', /^image\/svg\+xml/);
    const ico = await signedOut.request.get('/favicon.ico');
    assert.equal(ico.status(), 200);
    assert.equal(ico.headers()['content-type'], 'image/x-icon');
  });

  await t.test('the scripts the policy lets run do their work: expiry, scope tree, copy, confirm', async () => {
    const page = signedIn;
    await page.goto('/settings/tokens/new');
    const date = page.getByLabel('Custom expiration date');
    assert.equal(await date.isHidden(), true, 'the date is hidden until Custom… is chosen');
    await page.getByLabel('Expiration', { exact: true }).selectOption('custom');
    assert.equal(await date.isVisible(), true);
    await page.getByLabel('Expiration', { exact: true }).selectOption('none');
    assert.equal(await page.locator('#expiration-summary').innerText(), 'The token will never expire!');
    await page.getByLabel('Expiration', { exact: true }).selectOption('30');
    await page.getByLabel('Note').fill('made on a phone');
    await page.getByRole('checkbox', { name: 'repo', exact: true }).check();
    const child = page.getByRole('checkbox', { name: 'repo:status' });
    assert.equal(await child.isChecked(), true, 'a parent scope checks its children');
    assert.equal(await child.isDisabled(), true, 'and locks them');
    await assertFitsThePhone(page, 'the filled token form');
    await page.getByRole('button', { name: 'Generate token' }).click();
    await page.waitForURL('**/settings/tokens');
    await page.getByTestId('copy-token').click();
    await page.getByTestId('copy-token-done').waitFor();
    assert.match(await page.evaluate('navigator.clipboard.readText()'), /^tsp_[0-9A-Za-z]{36}$/);
    await assertFitsThePhone(page, 'the token list with a new token');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete made on a phone' }).click();
    await page.getByTestId('notice').getByText('Deleted personal access token.').waitFor();

    await page.goto(`/${walk.user.username}/${walk.repository.name}`);
    await page.getByLabel(/to delete this repository/).fill('not the name');
    errorPages.add(`${server.baseUrl}/${walk.user.username}/${walk.repository.name}/delete`); // refused: 422
    await page.getByRole('button', { name: 'Delete repository' }).click();
    await page.getByText('The name you typed does not match').waitFor();
    await assertFitsThePhone(page, 'the repository page with a refused deletion');
  });

  await t.test('Chromium reported nothing: no CSP violation, no console message, no page error', () => {
    assert.deepEqual(reports, []);
  });
});
