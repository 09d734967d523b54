/**
 * Mail in the recipient's language: an account set to Russian gets its token reminders in Russian (dates as a Russian
 * reader writes them, links unchanged); on an instance whose TESSERA_DEFAULT_LOCALE is Russian, an account that chose
 * nothing gets Russian mail and one that chose English gets English.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setAccountLocale } from '../../src/domain/account-settings.ts';
import { disuseSweepJob } from '../../src/jobs/disuse-sweep.ts';
import { expiryRemindersJob } from '../../src/jobs/expiry-reminders.ts';
import { findTokenByNote } from '../../src/store/token-store.ts';
import { days, openLifecycle } from '../jobs/lifecycle-fixture.ts';

test('an account set to Russian gets its expiry reminder in Russian, with a Russian date and the same link', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser({ username: 'irina' });
  await setAccountLocale(f.server.deps, user, 'ru');
  await f.server.createToken(user, { note: 'ночной деплой', scopes: ['repo', 'gist'], expiresAt: new Date(f.clock.now().getTime() + days(30)) });
  const token = (await findTokenByNote(f.server.db, user.id, 'ночной деплой'))!;

  f.at(days(23));
  assert.equal((await f.run(expiryRemindersJob)).reminded, 1);
  const [reminder] = await f.mails(/истекает/);
  assert.equal(reminder!.subject, '[Tessera] Срок действия вашего персонального токена доступа «ночной деплой» истекает через 7 дней');
  assert.equal(reminder!.text, [
    'Здравствуйте, @irina!',
    '',
    'Срок действия вашего персонального токена доступа «ночной деплой» (repo, gist) истекает 31 января 2026 г. в 12:00 UTC.',
    'Чтобы продолжить им пользоваться, сгенерируйте его заново с тем же примечанием и областями доступа:',
    '',
    `${f.server.baseUrl}/settings/tokens/${token.id}/regenerate`,
    '',
    'После этого всему, что использует токен, понадобится новый.',
    '',
    'С уважением,',
    'команда Tessera',
  ].join('\n'));

  f.at(days(29));
  await f.run(expiryRemindersJob);
  assert.equal((await f.mails(/истекает сегодня$/)).length, 1);
});

test('TESSERA_DEFAULT_LOCALE=ru: an account that chose nothing is mailed in Russian, one that chose English in English', async (t) => {
  const f = await openLifecycle(t, { defaultLocale: 'ru' });
  const unset = await f.server.createUser({ username: 'nobody-chose' });
  const english = await f.server.createUser({ username: 'chose-english' });
  await setAccountLocale(f.server.deps, english, 'en');
  await f.server.createToken(unset, { note: 'old laptop', scopes: [] });
  await f.server.createToken(english, { note: 'old desktop', scopes: [] });

  f.at(days(335));
  assert.equal((await f.run(disuseSweepJob)).warned, 2);
  const [russian] = (await f.allMail()).filter((mail) => mail.to.includes(unset.email) && /удалён/.test(mail.subject));
  assert.equal(russian!.subject, '[Tessera] Ваш персональный токен доступа «old laptop» будет удалён, так как он не используется');
  assert.match(russian!.text, /\(без областей доступа\)/);
  assert.match(russian!.text, /Токены, не использовавшиеся 365 дней, удаляются; этот будет удалён 1 января 2027 г\. в 12:00 UTC\./);
  const [kept] = (await f.allMail()).filter((mail) => mail.to.includes(english.email) && /removed/.test(mail.subject));
  assert.equal(kept!.subject, '[Tessera] Your personal access token "old desktop" will be removed because it is not used');
  assert.match(kept!.text, /\(no scopes\)/);

  f.at(days(365));
  assert.equal((await f.run(disuseSweepJob)).removed, 2);
  const [removed] = (await f.allMail()).filter((mail) => mail.to.includes(unset.email) && /удалён, так как он не использовался/.test(mail.subject));
  assert.match(removed!.text, /Этот персональный токен доступа не использовался 365 дней и был удалён:\n\n- «old laptop» \(без областей доступа\)/);
  assert.match(removed!.text, /в разделе «Удалённые токены»:/);
});
