/**
 * The token pages in Russian for a browser that asks for Russian: the list, the new-token form and its field errors,
 * the one-time display, the regenerate page and a token's page, with Russian plurals and dates.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../../src/domain/deps.ts';
import { fakeClock, startTestServer } from '../helpers/server.ts';
import { InjectedBrowser, newestTokenId, testIdTexts } from '../helpers/injected-browser.ts';

test('the token pages in Russian, for a browser that asks for it', async (t) => {
  const clock = fakeClock();
  // 31 days of disuse, warned 30 and 7 days before: "31 день", "за 30 и 7 дней".
  const server = await startTestServer(t, { clock, config: { unusedTokenDays: 31 } });
  const user = await server.createUser();
  await server.createToken(user, { note: 'laptop', scopes: [] });
  const id = await newestTokenId(server, user);
  await server.db.updateTable('personal_access_tokens').set({ last_used_at: new Date(clock.now().getTime() - 10 * DAY_MS).toISOString() })
    .where('id', '=', id).execute();
  const browser = await InjectedBrowser.signIn(server, user);
  browser.language = 'ru-RU,ru;q=0.9,en;q=0.5';

  const list = (await browser.get('/settings/tokens?notice=deleted')).body;
  assert.match(list, /<html lang="ru"/);
  assert.match(list, /<h1 class="h2 text-normal">Персональные токены доступа<\/h1>/);
  assert.deepEqual(testIdTexts(list, 'notice'), ['Персональный токен доступа удалён.']);
  assert.deepEqual(testIdTexts(list, 'token-scopes'), ['нет областей доступа']);
  assert.match(list, /title="15 нояб\. 2026 г\., 10:00:00 UTC">Использовался за последние 2 недели<\/time>/);
  assert.match(list, /Создан 25 нояб\. 2026 г\./);
  assert.match(list, /data-confirm="Удалить этот токен\? Всё, что его ещё использует, сразу перестанет работать\."/);
  assert.match(list, /Токены, которые не использовались 31 день, удаляются; предупреждение приходит на почту за 30 и 7 дней до удаления\./);

  const form = (await browser.get('/settings/tokens/new')).body;
  assert.match(form, /<label for="note">Примечание<\/label>/);
  assert.match(form, /<option value="7" >7 дней<\/option>/);
  assert.match(form, /id="scope-read-org-description" class="color-fg-muted">Чтение членства в организациях и командах, чтение проектов организаций</);
  // The expiry summary's words for the script, its date left for the script to fill in.
  assert.match(form, /data-expires-on="Срок действия токена истечёт \{\{date\}\}"/);
  // The form's field errors.
  const duplicate = await browser.post('/settings/tokens/new', '/settings/tokens', { note: 'laptop', expiration: '30', scopes: 'repo' });
  assert.equal(duplicate.statusCode, 422);
  assert.match(duplicate.body, /data-testid="form-errors">\s*<div>Токен с таким примечанием уже есть\.<\/div>/);
  const unknownScope = await browser.post('/settings/tokens/new', '/settings/tokens', { note: 'new', expiration: '30', scopes: ['repo', 'bogus'] });
  assert.match(unknownScope.body, /<div>Неизвестная область доступа: bogus\.<\/div>/);
  const tooLong = await browser.post('/settings/tokens/new', '/settings/tokens', { note: 'later', expiration: '400' });
  assert.match(tooLong.body, /<div>Срок действия должен быть от 1 до 366 дней\.<\/div>/);

  const created = await browser.post('/settings/tokens/new', '/settings/tokens', { note: 'ci', expiration: '30', scopes: 'repo' });
  assert.equal(created.statusCode, 302);
  const shown = (await browser.get('/settings/tokens')).body;
  assert.match(shown, /<strong>Скопируйте персональный токен доступа сейчас\. Больше вы его не увидите!<\/strong>/);
  assert.match(shown, /aria-label="Скопировать токен"/);
  assert.match(shown, /Истекает 25 дек\. 2026 г\./);

  const regenerate = (await browser.get(`/settings/tokens/${id}/regenerate`)).body;
  assert.match(regenerate, /Повторная генерация даст токену <strong>laptop<\/strong> \(нет областей доступа\) новый секрет\./);

  const page = (await browser.get(`/settings/tokens/${id}`)).body;
  assert.match(page, /<dt class="text-bold">Области доступа<\/dt>/);
  assert.deepEqual(testIdTexts(page, 'no-token-uses'), ['Использований пока не было.']);
});
