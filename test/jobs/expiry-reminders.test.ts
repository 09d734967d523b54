/**
 * Expiry mail: a reminder 7 days before and one on the day, each exactly once, each with the regenerate link; the
 * 'token.expired' event once; the "new token" mail on creation and regeneration; never a secret in any of them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expiryRemindersJob } from '../../src/jobs/expiry-reminders.ts';
import { regeneratePersonalAccessToken } from '../../src/domain/tokens.ts';
import { findTokenByNote } from '../../src/store/token-store.ts';
import { assertNoSecretIn, days, openLifecycle } from './lifecycle-fixture.ts';

const SECOND = 1000;
const REMINDER = /expires (in 7 days|today)/;

test('a token gets the 7-day reminder once, the day reminder once, and one expired event; a clock jumping back changes nothing', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser();
  const secret = await f.server.createToken(user, { note: 'nightly deploy', scopes: ['repo', 'gist'], expiresAt: new Date(f.clock.now().getTime() + days(30)) });
  const token = (await findTokenByNote(f.server.db, user.id, 'nightly deploy'))!;
  const regenerateLink = `${f.server.baseUrl}/settings/tokens/${token.id}/regenerate`;

  f.at(days(23) - SECOND);
  assert.equal((await f.run(expiryRemindersJob)).reminded, 0);
  f.at(days(23));
  assert.equal((await f.run(expiryRemindersJob)).reminded, 1);
  assert.equal((await f.run(expiryRemindersJob)).reminded, 0, 'a second run sends nothing');
  let reminders = await f.mails(REMINDER);
  assert.equal(reminders.length, 1);
  assert.equal(reminders[0]!.subject, '[Tessera] Your personal access token "nightly deploy" expires in 7 days');
  assert.equal(reminders[0]!.to, user.email);
  assert.ok(reminders[0]!.text.includes(regenerateLink), reminders[0]!.text);
  assert.match(reminders[0]!.text, /repo, gist/);

  f.at(days(29) - SECOND);
  assert.equal((await f.run(expiryRemindersJob)).reminded, 0);
  f.at(days(29));
  await Promise.all([f.run(expiryRemindersJob), f.run(expiryRemindersJob)]);
  reminders = await f.mails(REMINDER);
  assert.equal(reminders.length, 2, 'two runs at once send the day reminder once');
  assert.equal(reminders[1]!.subject, '[Tessera] Your personal access token "nightly deploy" expires today');
  assert.ok(reminders[1]!.text.includes(regenerateLink));

  f.at(days(30) - SECOND);
  assert.equal((await f.run(expiryRemindersJob)).expired, 0);
  assert.deepEqual(await f.events(user, 'token.expired'), []);
  f.at(days(30));
  assert.equal((await f.run(expiryRemindersJob)).expired, 1);
  assert.equal((await f.run(expiryRemindersJob)).expired, 0);
  assert.deepEqual(await f.events(user, 'token.expired'), [{ token_note: 'nightly deploy', actor: 'system' }]);

  f.at(days(22)); // the clock jumps back before both reminders
  assert.deepEqual(await f.run(expiryRemindersJob), { expired: 0, reminded: 0 });
  assert.equal((await f.mails(REMINDER)).length, 2);
  assertNoSecretIn(await f.allMail(), [secret]);
});

test('a job that runs late sends only the latest reminder due', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser();
  await f.server.createToken(user, { note: 'late', expiresAt: new Date(f.clock.now().getTime() + days(10)) });
  f.at(days(9) + SECOND); // the week reminder's time passed unseen
  assert.equal((await f.run(expiryRemindersJob)).reminded, 1);
  assert.deepEqual((await f.mails(REMINDER)).map((mail) => mail.subject), ['[Tessera] Your personal access token "late" expires today']);
});

test('creating and regenerating a token mail the owner, with its note and never its secret; a new expiry gets its own reminders', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser();
  const first = await f.server.createToken(user, { note: 'ci runner', scopes: ['repo'], expiresAt: new Date(f.clock.now().getTime() + days(7)) });
  const token = (await findTokenByNote(f.server.db, user.id, 'ci runner'))!;
  await f.run(expiryRemindersJob);
  const regenerated = await regeneratePersonalAccessToken(f.server.deps, user, token.id, new Date(f.clock.now().getTime() + days(60)));
  assert.ok(regenerated.ok);

  const added = await f.mails(/A new personal access token was added/);
  assert.equal(added.length, 2);
  assert.ok(added.every((mail) => mail.to === user.email && mail.text.includes('("ci runner", repo)')));
  assert.match(added[0]!.text, /recently added to your account/);
  assert.match(added[1]!.text, /regenerated for your account/);
  assert.ok(added[0]!.text.includes(`${f.server.baseUrl}/settings/tokens`));

  f.at(days(53));
  assert.equal((await f.run(expiryRemindersJob)).reminded, 1, 'the regenerated token is reminded of its new expiry');
  assert.equal((await f.mails(REMINDER)).length, 2);
  assertNoSecretIn(await f.allMail(), [first, regenerated.secret]);
});
