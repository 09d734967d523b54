/** Debian's Chromium, driven by playwright-core, closed when the test ends. */
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';

/** This machine reaches nothing but loopback: no background networking, updates or sync. */
const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
];

export async function launchBrowser(t: TestContext): Promise<Browser> {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  t.after(() => browser.close());
  return browser;
}

/** Saves a screenshot of the page when TESSERA_E2E_SCREENSHOTS names a folder (for looking at the pages). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.TESSERA_E2E_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

/** The element's text once it is visible (locators wait for it). */
export async function textOf(locator: Locator): Promise<string> {
  await locator.waitFor();
  return (await locator.innerText()).trim();
}
