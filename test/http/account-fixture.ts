/** What the account tests ask of a test server: a signed-in browser, the mail to one address, the links in it. */
import assert from 'node:assert/strict';
import { emailKey } from '../../src/domain/email-address.ts';
import type { OutboxMessage, TestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';

/** A browser signed in with this login and password (the sign-in must succeed). */
export async function signedIn(server: TestServer, login: string, password: string): Promise<WebClient> {
  const browser = new WebClient();
  await browser.get(`${server.baseUrl}/login`);
  const answer = await browser.submit(`${server.baseUrl}/login`, { login, password, return_to: '/settings/tokens' });
  assert.equal(answer.status, 302, `sign-in as ${login}: ${answer.body.slice(0, 300)}`);
  return browser;
}

/** Whether the browser is still signed in (the settings redirect to the sign-in page otherwise). */
export async function isSignedIn(server: TestServer, browser: WebClient): Promise<boolean> {
  const page = await browser.get(`${server.baseUrl}/settings/tokens`);
  return page.status === 200;
}

/** Mail to `address` (in any spelling: nodemailer lower-cases the domain), oldest first, once the work begun after answering is done. */
export async function mailTo(server: TestServer, address: string): Promise<OutboxMessage[]> {
  await server.deps.background?.settled();
  return (await server.readOutbox()).filter((mail) => emailKey(mail.to) === emailKey(address));
}

/** The link to `path` in a message, as a mail client shows it. */
export function linkIn(message: OutboxMessage, path: '/reset-password' | '/verify-email'): string {
  const link = new RegExp(`https?://\\S+${path}\\?token=\\S+`).exec(message.text)?.[0];
  assert.ok(link, `no ${path} link in: ${message.text}`);
  return link;
}

/** The text of the page's notice or form errors, without markup. */
export function messageOf(body: string, testId: 'notice' | 'form-errors' | 'message' | 'pending-email'): string | undefined {
  const match = new RegExp(`data-testid="${testId}"[^>]*>([\\s\\S]*?)</(?:div|p)>`).exec(body);
  return match?.[1]?.replace(/<\/?(?:strong|em|code|a|span|time)\b[^>]*>/g, '').replace(/<[^>]+>/g, ' ').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, ' ').trim();
}
