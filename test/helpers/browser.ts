/** Debian's Chromium, driven by playwright-core, closed when the test ends. */
import type { TestContext } from 'node:test';
import { type Browser, chromium } from 'playwright-core';

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
