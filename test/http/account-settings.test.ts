/**
 * The account settings page over real HTTP: changing the password (asks the current one, ends the other sessions,
 * keeps this one), changing the address (the new one verified first, links bound to the address they went to, the
 * old address told), and the language.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findUserById } from '../../src/store/user-store.ts';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';
import { isSignedIn, linkIn, mailTo, messageOf, signedIn } from './account-fixture.ts';

const NEW_PASSWORD = 'velvet harbor cinnamon 81';

async function eventsOf(server: TestServer, userId: number) {
  const rows = await server.db.selectFrom('security_events').select(['kind', 'actor']).where('user_id', '=', userId).orderBy('id').execute();
  return rows.map((row) => `${row.kind} by ${row.actor}`);
}

test('the page needs a sign-in, is in the settings menu, and shows the address, the password form and the language', async (t) => {
  const server = await startTestServer(t);
  await server.createUser({ username: 'viewer', email: 'viewer@example.test' });
  const anonymous = await new WebClient().get(`${server.baseUrl}/settings/account`);
  assert.equal(anonymous.status, 302);
  assert.equal(anonymous.location, '/login?return_to=%2Fsettings%2Faccount');

  const browser = await signedIn(server, 'viewer', TEST_PASSWORD);
  const tokens = await browser.get(`${server.baseUrl}/settings/tokens`);
  assert.match(tokens.body, /<a class="SideNav-item[^"]*" href="\/settings\/account"\s*>/);
  const page = await browser.get(`${server.baseUrl}/settings/account`);
  assert.equal(page.status, 200);
  assert.match(page.body, /<title>Account · Tessera<\/title>/);
  assert.match(page.body, /data-testid="account-email">viewer@example.test</);
  assert.match(page.body, /data-testid="email-state">Verified</);
  assert.match(page.body, /<option value="" selected>Browser default<\/option>/);
  assert.match(page.body, /<option value="ru" lang="ru" >Русский<\/option>/);
});

test('changing the password asks the current one, says why a new one is refused, and ends every other session only', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'changer' });
  const here = await signedIn(server, 'changer', TEST_PASSWORD);
  const there = await signedIn(server, 'changer@example.test', TEST_PASSWORD);
  const change = (fields: Record<string, string>) => here.submit(`${server.baseUrl}/settings/account/password`, fields);
  await here.get(`${server.baseUrl}/settings/account`);

  const cases: Array<[Record<string, string>, string]> = [
    [{ current_password: 'not it at all', new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD }, 'Your current password is not correct.'],
    [{ current_password: TEST_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: 'something else' }, 'The new password and its confirmation do not match.'],
    [{ current_password: TEST_PASSWORD, new_password: 'changer2026', new_password_confirmation: 'changer2026' },
      'New password is too easy to guess. There should not be any personal or page related data. Add more words that are less common.'],
    [{ current_password: TEST_PASSWORD, new_password: 'short', new_password_confirmation: 'short' }, 'New password is too short (minimum is 8 characters).'],
  ];
  for (const [fields, message] of cases) {
    const refused = await change(fields);
    assert.equal(refused.status, 422, message);
    assert.equal(messageOf(refused.body, 'form-errors'), message);
  }
  assert.equal(await isSignedIn(server, there), true, 'refusals change nothing');

  const changed = await change({ current_password: TEST_PASSWORD, new_password: NEW_PASSWORD, new_password_confirmation: NEW_PASSWORD });
  assert.equal(changed.status, 302);
  assert.equal(changed.location, '/settings/account?notice=password-changed');
  const after = await here.get(`${server.baseUrl}${changed.location}`);
  assert.equal(messageOf(after.body, 'notice'), 'Your password was changed. Every other browser signed in to your account was signed out.');
  assert.equal(await isSignedIn(server, here), true, 'this browser stays signed in');
  assert.equal(await isSignedIn(server, there), false, 'the other browser is signed out');
  await signedIn(server, 'changer', NEW_PASSWORD);
  assert.deepEqual(await eventsOf(server, user.id), ['account.password_changed by owner']);
  const notice = (await mailTo(server, user.email)).filter((mail) => mail.subject === '[Tessera] Your password was changed');
  assert.equal(notice.length, 1);
  assert.match(notice[0]!.text, /The password of your Tessera account was changed\. Your other browsers were signed out\./);
});

test('changing the address: the new one is verified first, the old one told; a second request voids the first link', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'mover', email: 'mover@old.example' });
  const browser = await signedIn(server, 'mover', TEST_PASSWORD);
  await browser.get(`${server.baseUrl}/settings/account`);
  const ask = (email: string, password = TEST_PASSWORD) => browser.submit(`${server.baseUrl}/settings/account/email`, { email, current_password: password });

  for (const [email, password, message] of [
    ['mover@new.example', 'wrong password', 'Your current password is not correct.'],
    ['not an address', TEST_PASSWORD, 'Enter a valid email address.'],
    ['MOVER@OLD.example', TEST_PASSWORD, 'That is already your email address.'],
  ] as const) {
    const refused = await ask(email, password);
    assert.equal(refused.status, 422, message);
    assert.equal(messageOf(refused.body, 'form-errors'), message);
  }

  assert.equal((await ask('mover@typo.example')).location, '/settings/account?notice=email-change-sent');
  const first = linkIn((await mailTo(server, 'mover@typo.example'))[0]!, '/verify-email');
  const asked = await ask('mover@new.example');
  assert.equal(asked.location, '/settings/account?notice=email-change-sent');
  const page = await browser.get(`${server.baseUrl}${asked.location}`);
  assert.equal(messageOf(page.body, 'notice'), 'We sent a confirmation link to the new address. Your address changes when you open it, within 24 hours.');
  assert.match(page.body, /data-testid="account-email">mover@old.example</, 'the address stays until the link is opened');
  assert.match(messageOf(page.body, 'pending-email')!, /^Waiting for you to confirm mover@new\.example: we mailed a link to it at /);
  const mail = (await mailTo(server, 'mover@new.example'))[0]!;
  assert.equal(mail.subject, '[Tessera] Please confirm your new email address');
  assert.match(mail.text, /instead of mover@old\.example/);

  const stale = await new WebClient().get(first);
  assert.equal(stale.status, 400, 'the link to the first address is void: only the latest request stands');
  const confirmed = await browser.get(linkIn(mail, '/verify-email'));
  assert.equal(confirmed.status, 200);
  assert.match(confirmed.body, /Your account&#39;s email address is now mover@new.example instead of mover@old.example\./);
  const stored = (await findUserById(server.db, user.id))!;
  assert.equal(stored.email, 'mover@new.example');
  assert.notEqual(stored.email_verified_at, null);

  const told = (await mailTo(server, 'mover@old.example')).filter((message) => message.subject === '[Tessera] Your email address was changed');
  assert.equal(told.length, 1);
  assert.match(told[0]!.text, /changed from mover@old\.example to mover@new\.example/);
  assert.deepEqual(await eventsOf(server, user.id), ['account.email_changed by owner']);
  await signedIn(server, 'mover@new.example', TEST_PASSWORD);
  const byOld = new WebClient();
  await byOld.get(`${server.baseUrl}/login`);
  assert.equal((await byOld.submit(`${server.baseUrl}/login`, { login: 'mover@old.example', password: TEST_PASSWORD })).status, 401);
});

test('asking for an address another account holds looks the same; the mail to it says so and carries no link', async (t) => {
  const server = await startTestServer(t);
  await server.createUser({ username: 'holder', email: 'Shared@Example.test' });
  await server.createUser({ username: 'asker', email: 'asker@example.test' });
  await server.createUser({ username: 'bystander', email: 'bystander@example.test' });
  const pages: string[] = [];
  for (const [username, wanted] of [['asker', 'SHARED@example.test'], ['bystander', 'free@example.test']] as const) {
    const browser = await signedIn(server, username, TEST_PASSWORD);
    await browser.get(`${server.baseUrl}/settings/account`);
    const asked = await browser.submit(`${server.baseUrl}/settings/account/email`, { email: wanted, current_password: TEST_PASSWORD });
    assert.equal(asked.location, '/settings/account?notice=email-change-sent');
    const page = (await browser.get(`${server.baseUrl}${asked.location}`)).body;
    pages.push(page.replace(/name="_csrf" value="[^"]+"/g, '').replace(/nonce="[^"]+"/g, '').replaceAll(username, 'USER').replaceAll(wanted, 'WANTED').replace(/at [A-Z][a-z]{2} \d+, \d{4}, [\d:]+ UTC/, ''));
  }
  assert.equal(pages[0], pages[1], 'the page shows the same pending change either way');
  const mail = (await mailTo(server, 'shared@example.test')).at(-1)!;
  assert.equal(mail.subject, '[Tessera] This email address already has an account');
  assert.match(mail.text, /asked to use this email address for the Tessera account @asker\.\nThis address already belongs to the account @holder/);
  assert.doesNotMatch(mail.text, /verify-email/);
});

test('the language is saved as en, ru, or null for the browser\'s; anything else is refused', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'polyglot' });
  const browser = await signedIn(server, 'polyglot', TEST_PASSWORD);
  await browser.get(`${server.baseUrl}/settings/account`);
  const save = (locale: string) => browser.submit(`${server.baseUrl}/settings/account/language`, { locale });
  const localeOf = async () => (await findUserById(server.db, user.id))!.locale;

  assert.equal((await save('ru')).location, '/settings/account?notice=language-saved');
  assert.equal(await localeOf(), 'ru');
  assert.match((await browser.get(`${server.baseUrl}/settings/account`)).body, /<option value="ru" lang="ru" selected>Русский<\/option>/);
  assert.equal((await save('')).status, 302);
  assert.equal(await localeOf(), null);
  for (const bad of ['de', 'constructor', 'EN']) {
    const refused = await save(bad);
    assert.ok(refused.status >= 400 && refused.status < 500, `${bad}: ${refused.status}`);
    assert.equal(await localeOf(), null);
  }
  const twice = await fetch(`${server.baseUrl}/settings/account/language`, { method: 'POST', redirect: 'manual' });
  assert.ok(twice.status >= 400 && twice.status < 500);
});
