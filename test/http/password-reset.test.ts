/**
 * "Forgot your password?" over real HTTP: one answer whatever the login names, a mailed link that works once for an
 * hour and ends every session, and the limits that keep the form from flooding mailboxes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestEmailChange, verifyEmail } from '../../src/domain/email-verification.ts';
import { setUserSuspended } from '../../src/domain/account-admin.ts';
import { signUp } from '../../src/domain/accounts.ts';
import { PASSWORD_RESET_LIFETIME_MS, RESET_MAILS_PER_ACCOUNT_PER_HOUR } from '../../src/domain/password-reset.ts';
import { findUserById } from '../../src/store/user-store.ts';
import { fakeClock, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { type PageResponse, WebClient } from '../helpers/web-client.ts';
import { isSignedIn, linkIn, mailTo, messageOf, signedIn } from './account-fixture.ts';

const NEW_PASSWORD = 'quiet lantern orbit 57';

async function askForReset(server: TestServer, login: string) {
  const browser = new WebClient();
  await browser.get(`${server.baseUrl}/forgot-password`);
  return browser.submit(`${server.baseUrl}/forgot-password`, { login });
}

/** Posts a new password with the link's secret, as its form does (the CSRF token from another form: the link's own page may refuse it). */
async function choosePassword(server: TestServer, link: string, password: string, confirmation = password) {
  const browser = new WebClient();
  await browser.get(`${server.baseUrl}/forgot-password`);
  return browser.submit(`${server.baseUrl}/reset-password`, {
    token: new URL(link).searchParams.get('token')!, password, password_confirmation: confirmation,
  });
}

test('the request is answered alike for an account by name or address and for nobody; only the account is mailed', async (t) => {
  const server = await startTestServer(t);
  const mona = await server.createUser({ username: 'mona', email: 'Mona@Example.test' });
  const answers = [];
  for (const login of ['mona', 'MONA@example.TEST', 'nobody', 'nobody@example.test', 'ｍｏｎａ@example.test']) {
    const answer = await askForReset(server, login);
    answers.push({ status: answer.status, body: answer.body, cookies: answer.headers.getSetCookie().map((c) => c.split('=')[0]) });
  }
  assert.equal(answers[0]!.status, 200);
  assert.match(messageOf(answers[0]!.body, 'message')!, /^If an account matches what you entered, we sent a link to its email address\./);
  for (const answer of answers.slice(1)) assert.deepEqual(answer, answers[0], 'the same status, page and cookies');

  // By username, by address in another case, and by the full-width spelling of the address: three links for mona.
  const mail = await mailTo(server, mona.email);
  assert.equal(mail.length, 3);
  assert.equal(mail[0]!.subject, '[Tessera] Reset your password');
  assert.match(mail[0]!.text, /within one hour; it works once/);
  assert.equal((await server.readOutbox()).length, 3, 'nothing mailed for logins that name nobody');
});

test('the answer does not wait for the mail: an account that exists takes no longer to answer', async (t) => {
  const server = await startTestServer(t);
  await server.createUser({ username: 'slowmail' });
  let release!: () => void;
  const held = new Promise<void>((resolve) => { release = resolve; });
  const sent: string[] = [];
  const mailer = server.deps.mailer;
  server.deps.mailer = { send: async (message) => { await held; sent.push(message.subject); await mailer.send(message); } };
  const answer = await askForReset(server, 'slowmail');
  assert.equal(answer.status, 200, 'answered while the mail is still being sent');
  assert.deepEqual(sent, []);
  release();
  await server.deps.background!.settled();
  assert.deepEqual(sent, ['[Tessera] Reset your password']);
});

test('the link: a form for that account, a refused weak password keeps it working, then one use ends every session', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'forgetful' });
  const elsewhere = await signedIn(server, 'forgetful', TEST_PASSWORD);
  await askForReset(server, 'forgetful');
  const link = linkIn((await mailTo(server, user.email))[0]!, '/reset-password');

  const form = await new WebClient().get(link);
  assert.match(form.body, /data-testid="reset-username">@forgetful</);
  const weak = await choosePassword(server, link, 'password123');
  assert.equal(weak.status, 422);
  assert.equal(messageOf(weak.body, 'form-errors'), 'Password is too easy to guess. This is a commonly used password. Add more words that are less common.');
  const mismatch = await choosePassword(server, link, NEW_PASSWORD, `${NEW_PASSWORD}!`);
  assert.equal(mismatch.status, 422);
  assert.equal(messageOf(mismatch.body, 'form-errors'), 'The two passwords do not match.');

  const done = await choosePassword(server, link, NEW_PASSWORD);
  assert.equal(done.status, 302);
  assert.equal(done.location, '/login?notice=password-reset');
  assert.equal(await isSignedIn(server, elsewhere), false, 'the browser signed in before the reset is signed out');
  const notice = await new WebClient().get(`${server.baseUrl}${done.location}`);
  assert.equal(messageOf(notice.body, 'notice'), 'Your password was changed and every browser signed out. Sign in with your new password.');
  await signedIn(server, 'forgetful', NEW_PASSWORD);
  const old = new WebClient();
  await old.get(`${server.baseUrl}/login`);
  assert.equal((await old.submit(`${server.baseUrl}/login`, { login: 'forgetful', password: TEST_PASSWORD })).status, 401);

  const again = await new WebClient().get(link);
  assert.equal(again.status, 400);
  assert.equal(messageOf(again.body, 'message'), 'This password reset link is not valid or was already used. Ask for a new one.');
  const events = await server.db.selectFrom('security_events').select(['kind', 'actor', 'client_address']).where('user_id', '=', user.id).execute();
  assert.deepEqual(events.map((event) => ({ ...event })), [{ kind: 'account.password_reset', actor: 'owner', client_address: '127.0.0.1' }]);
});

test('a link works until one millisecond before its hour is up; a newer password or address voids it', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  assert.equal(PASSWORD_RESET_LIFETIME_MS, 60 * 60 * 1000);
  const user = await server.createUser({ username: 'timely' });
  await askForReset(server, 'timely');
  const link = linkIn((await mailTo(server, user.email))[0]!, '/reset-password');
  clock.advance(PASSWORD_RESET_LIFETIME_MS - 1);
  assert.equal((await new WebClient().get(link)).status, 200);
  clock.advance(1);
  const expired = await new WebClient().get(link);
  assert.equal(expired.status, 400);
  assert.equal(messageOf(expired.body, 'message'), 'This password reset link has expired: links work for one hour. Ask for a new one.');
  const late = await choosePassword(server, link, NEW_PASSWORD);
  assert.equal(late.status, 400);
  assert.match(late.body, /has expired/);

  // A link mailed before the address changed went to the old address: it is void.
  await askForReset(server, 'timely');
  const beforeChange = linkIn((await mailTo(server, user.email)).at(-1)!, '/reset-password');
  assert.ok((await requestEmailChange(server.deps, user, { newEmail: 'timely-new@example.test', currentPassword: TEST_PASSWORD })).ok);
  const confirm = linkIn((await mailTo(server, 'timely-new@example.test'))[0]!, '/verify-email');
  assert.ok((await verifyEmail(server.deps, new URL(confirm).searchParams.get('token')!)).ok);
  assert.equal((await new WebClient().get(beforeChange)).status, 400);
});

test('links mailed per account are capped, silently; requests per address are refused with a page', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, rateLimits: { signInAttemptsPerHour: RESET_MAILS_PER_ACCOUNT_PER_HOUR + 2 } });
  const user = await server.createUser({ username: 'flooded' });
  const answers: PageResponse[] = [];
  for (let i = 0; i < RESET_MAILS_PER_ACCOUNT_PER_HOUR + 2; i++) answers.push(await askForReset(server, 'flooded'));
  assert.ok(answers.every((answer) => answer.status === 200 && answer.body === answers[0]!.body), 'past the cap the answer is the same');
  assert.equal((await mailTo(server, user.email)).length, RESET_MAILS_PER_ACCOUNT_PER_HOUR);

  const refused = await askForReset(server, 'someone-else');
  assert.equal(refused.status, 429);
  assert.equal(refused.headers.get('retry-after'), '3600');
  assert.match(refused.body, /Too many password reset requests from your address\. Try again after 11:00 UTC\./);
  // Sign-in has its own count: the reset form does not lock anyone out of signing in.
  await signedIn(server, 'flooded', TEST_PASSWORD);
});

test('an unverified address is verified by the reset; a suspended account and an address it does not hold get no link', async (t) => {
  const server = await startTestServer(t);
  const unverified = await server.createUser({ username: 'newbie', verified: false });
  await askForReset(server, 'newbie@example.test');
  const link = linkIn((await mailTo(server, unverified.email)).find((mail) => /Reset/.test(mail.subject))!, '/reset-password');
  assert.equal((await choosePassword(server, link, NEW_PASSWORD)).status, 302);
  assert.notEqual((await findUserById(server.db, unverified.id))!.email_verified_at, null, 'the link proved the address');

  const suspended = await server.createUser({ username: 'benched' });
  await setUserSuspended(server.deps, suspended, true);
  await askForReset(server, 'benched');
  assert.deepEqual(await mailTo(server, suspended.email), []);

  // An account that signed up with benched's address does not hold it: the address hears nothing of it.
  const copycat = await signUp(server.deps, { username: 'copycat', email: suspended.email, password: TEST_PASSWORD }, { whenEmailTaken: 'conceal' });
  assert.ok(copycat.ok);
  const before = (await mailTo(server, suspended.email)).length;
  await askForReset(server, 'copycat');
  assert.equal((await mailTo(server, suspended.email)).length, before);
});
