/**
 * Sign-up tells nobody whether an address is taken: the page, the status, the account's own pages and what it can
 * do next are those of a fresh sign-up; only the mail to the address says so. A taken username is said (usernames
 * are public); a weak password is refused with the estimator's reasons.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUserByUsername } from '../../src/store/user-store.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';
import { linkIn, mailTo, messageOf } from './account-fixture.ts';

async function signUp(server: TestServer, username: string, email: string, password = TEST_PASSWORD) {
  const browser = new WebClient();
  await browser.get(`${server.baseUrl}/signup`);
  const answer = await browser.submit(`${server.baseUrl}/signup`, { username, email, password });
  return { browser, answer };
}

/** A page with this account's own names and one-time values (CSRF token, script nonce) taken out, to compare two accounts' pages. */
function generic(page: string, username: string, email: string): string {
  return page.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '').replaceAll(email, 'EMAIL').replaceAll(username, 'USER');
}

async function signInStatus(server: TestServer, login: string, password = TEST_PASSWORD): Promise<number> {
  const browser = new WebClient();
  await browser.get(`${server.baseUrl}/login`);
  return (await browser.submit(`${server.baseUrl}/login`, { login, password })).status;
}

test('signing up with a taken address looks like any sign-up; the mail to the address says it is taken', async (t) => {
  const server = await startTestServer(t);
  const ownerPassword = 'plum orchard telescope 19';
  await server.createUser({ username: 'owner', email: 'Straße@Example.test', password: ownerPassword });

  const fresh = await signUp(server, 'newcomer', 'newcomer@example.test');
  const taken = await signUp(server, 'latecomer', 'STRASSE@example.test');
  for (const { answer } of [fresh, taken]) {
    assert.equal(answer.status, 302);
    assert.equal(answer.location, '/settings/tokens');
  }
  for (const path of ['/settings/tokens', '/settings/account']) {
    const freshPage = await fresh.browser.get(`${server.baseUrl}${path}`);
    const takenPage = await taken.browser.get(`${server.baseUrl}${path}`);
    assert.equal(generic(takenPage.body, 'latecomer', 'STRASSE@example.test'), generic(freshPage.body, 'newcomer', 'newcomer@example.test'), path);
  }
  // What the person can do next is the same too: ask for another link, sign in by username but not by the address.
  for (const [{ browser }, username, email] of [[fresh, 'newcomer', 'newcomer@example.test'], [taken, 'latecomer', 'STRASSE@example.test']] as const) {
    const resent = await browser.submit(`${server.baseUrl}/settings/emails/verification`, {});
    assert.equal(resent.location, '/settings/tokens?notice=verification-too-soon', username);
    assert.equal(await signInStatus(server, username), 302, username);
    assert.equal(await signInStatus(server, email), 401, `${username} by unverified address`);
  }

  const verification = await mailTo(server, 'newcomer@example.test');
  assert.deepEqual(verification.map((mail) => mail.subject), ['[Tessera] Please verify your email address']);
  linkIn(verification[0]!, '/verify-email');
  const told = await mailTo(server, 'strasse@example.test');
  assert.deepEqual(told.map((mail) => mail.subject), ['[Tessera] This email address already has an account']);
  assert.match(told[0]!.text, /signed up for Tessera as @latecomer with this email address\.\nThis address already belongs to the account @owner, so it was not given to @latecomer\./);
  assert.match(told[0]!.text, /\/forgot-password/);
  assert.doesNotMatch(told[0]!.text, /verify-email/);

  // The owner keeps the address: signing in with it still reaches the owner's account.
  assert.equal(await signInStatus(server, 'strasse@EXAMPLE.test', ownerPassword), 302);
  const latecomer = await findUserByUsername(server.db, 'latecomer');
  assert.match(latecomer!.email_key, /^unclaimed:/);
});

test('a taken username is said, in any letter case; a weak password is refused with its reasons; nothing is stored', async (t) => {
  const server = await startTestServer(t);
  await server.createUser({ username: 'Octocat' });
  const username = await signUp(server, 'OCTOCAT', 'someone@example.test');
  assert.equal(username.answer.status, 422);
  assert.equal(messageOf(username.answer.body, 'form-errors'), 'Username OCTOCAT is not available.');

  const weak = await signUp(server, 'hopeful', 'hopeful@example.test', 'hopeful2024');
  assert.equal(weak.answer.status, 422);
  assert.equal(messageOf(weak.answer.body, 'form-errors'),
    'Password is too easy to guess. There should not be any personal or page related data. Add more words that are less common.');
  assert.match(weak.answer.body, /value="hopeful@example.test"/, 'the form keeps what was typed, except the password');
  assert.doesNotMatch(weak.answer.body, /hopeful2024/);
  assert.equal(await findUserByUsername(server.db, 'hopeful'), undefined);
  assert.deepEqual(await mailTo(server, 'someone@example.test'), []);
});
