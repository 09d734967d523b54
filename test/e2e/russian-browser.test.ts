/**
 * The whole token flow in Chromium in Russian, as a Russian speaker meets it: their browser asks for Russian
 * (Accept-Language from Chromium's locale), so the site answers in Russian without being told; they sign up, verify
 * their address from a Russian mail, generate a token (a Russian form error first), copy it, use it, regenerate it and
 * delete it, reading Russian on every page and in every prompt; then they choose English on their account page, and
 * the account's choice wins over the browser's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, textOf } from '../helpers/browser.ts';
import { apiStatus, startTestServer, TEST_PASSWORD, verificationLinkIn, type TestServer } from '../helpers/server.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const RUSSIAN_DATE = new Intl.DateTimeFormat('ru', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });

async function openRussianPage(browser: Browser, server: TestServer): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.baseUrl, locale: 'ru-RU' });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.baseUrl });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/** "26 нояб. 2026 г." for `days` from now: one of two, should the UTC day change meanwhile. */
function russianDatesIn(days: number, since: number): string[] {
  return [since, Date.now()].map((now) => RUSSIAN_DATE.format(new Date(now + days * DAY_MS)));
}

test('a Russian speaker signs up, verifies, and generates, copies, uses, regenerates and deletes a token in Russian', async (t) => {
  const server = await startTestServer(t);
  const browser = await launchBrowser(t);
  const page = await openRussianPage(browser, server);
  const username = 'ivan-e2e';
  const email = 'ivan-e2e@example.test';

  // Sign up: the browser's language is enough.
  await page.goto('/signup');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ru');
  await page.getByRole('heading', { name: 'Создание учётной записи' }).waitFor();
  await page.getByLabel('Имя пользователя').fill(username);
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Создать учётную запись' }).click();
  await page.waitForURL('**/settings/tokens');
  assert.equal(await page.title(), 'Персональные токены доступа · Tessera');
  assert.equal(await textOf(page.getByTestId('signed-in-as')), `Вы вошли как ${username}`);
  assert.match(await textOf(page.getByTestId('verify-email-banner')), /подтвердите адрес электронной почты \(ivan-e2e@example\.test\)/);

  // The verification mail is in the language of the page it was asked from.
  const mail = (await server.readOutbox()).filter((message) => message.to.includes(email));
  assert.equal(mail.length, 1);
  assert.equal(mail[0]!.subject, '[Tessera] Подтвердите адрес электронной почты');
  assert.match(mail[0]!.text, /Подтвердите адрес электронной почты, чтобы создавать персональные токены доступа\./);
  await page.goto(verificationLinkIn(mail[0]!));
  await page.getByRole('heading', { name: 'Адрес подтверждён' }).waitFor();
  await page.getByRole('link', { name: 'Перейти к персональным токенам доступа' }).click();
  await page.waitForURL('**/settings/tokens');
  assert.equal(await textOf(page.getByTestId('no-tokens')), 'У вас нет персональных токенов доступа.');

  // The form: a Russian error, the expiry summary in Russian from the page's script, Russian scope descriptions.
  await page.getByRole('link', { name: 'Сгенерировать новый токен' }).click();
  await page.waitForURL('**/settings/tokens/new');
  await page.getByRole('heading', { name: 'Новый персональный токен доступа' }).waitFor();
  // Spaces pass the browser's `required`; the server says what is wrong, in Russian.
  await page.getByLabel('Примечание').fill('   ');
  await page.getByRole('button', { name: 'Сгенерировать токен' }).click();
  assert.equal(await textOf(page.getByTestId('form-errors')), 'Примечание не может быть пустым.');
  await page.getByLabel('Примечание').fill('ноутбук');
  const formSince = Date.now();
  await page.getByLabel('Срок действия', { exact: true }).selectOption('60');
  const summary = await textOf(page.locator('#expiration-summary'));
  assert.match(summary, /^Срок действия токена истечёт [а-я]{2}, \d{1,2} [а-я]+\.? \d{4} г\.$/, summary);
  await page.getByLabel('Срок действия', { exact: true }).selectOption('none');
  assert.equal(await textOf(page.locator('#expiration-summary')), 'Этот токен будет действовать бессрочно!');
  await page.getByLabel('Срок действия', { exact: true }).selectOption('60');
  assert.match(await page.locator('label', { has: page.getByRole('checkbox', { name: 'repo', exact: true }) }).innerText(), /Полный доступ к закрытым репозиториям/);
  await page.getByRole('checkbox', { name: 'repo', exact: true }).check();
  await page.getByRole('button', { name: 'Сгенерировать токен' }).click();
  await page.waitForURL('**/settings/tokens');

  // Shown once, with the warning; copied with the Russian button.
  assert.match(await textOf(page.getByTestId('new-token-panel')), /Скопируйте персональный токен доступа сейчас\. Больше вы его не увидите!/);
  const token = await textOf(page.getByTestId('new-token'));
  await page.getByRole('button', { name: 'Скопировать токен' }).click();
  await page.getByTestId('copy-token-done').waitFor();
  assert.equal(await textOf(page.getByTestId('copy-token-done')), 'Скопировано!');
  assert.equal(await page.evaluate('navigator.clipboard.readText()'), token);

  // The mail about the new token too, though the account has chosen no language: it was made on a Russian page.
  const subjects = (await server.readOutbox()).filter((message) => message.to.includes(email)).map((message) => message.subject);
  assert.deepEqual(subjects.sort(), ['[Tessera] В вашу учётную запись добавлен новый персональный токен доступа', '[Tessera] Подтвердите адрес электронной почты']);

  const row = page.getByTestId('token-row').filter({ has: page.getByTestId('token-note').getByText('ноутбук', { exact: true }) });
  assert.equal(await textOf(row.getByTestId('token-last-used')), 'Ни разу не использовался');
  assert.ok(russianDatesIn(60, formSince).map((date) => `Истекает ${date}`).includes(await textOf(row.getByTestId('token-expiry'))));

  // The API answers in English whatever the page's language (as GitHub's does); the list shows the use.
  assert.equal(await apiStatus(server, token), 200);
  await page.reload();
  assert.equal(await textOf(row.getByTestId('token-last-used')), 'Использовался за последнюю неделю');

  // Regenerate.
  await row.getByRole('link', { name: 'Сгенерировать заново: ноутбук' }).click();
  await page.getByRole('heading', { name: 'Повторная генерация персонального токена доступа' }).waitFor();
  await page.getByLabel('Срок действия', { exact: true }).selectOption('none');
  await page.getByRole('button', { name: 'Сгенерировать токен заново' }).click();
  await page.waitForURL('**/settings/tokens');
  const regenerated = await textOf(page.getByTestId('new-token'));
  assert.notEqual(regenerated, token);
  assert.equal(await textOf(row.getByTestId('token-expiry')), 'Бессрочный');
  assert.equal(await apiStatus(server, token), 401);

  // Delete, after a Russian question.
  const dialogs: string[] = [];
  page.once('dialog', (dialog) => { dialogs.push(dialog.message()); void dialog.accept(); });
  await row.getByRole('button', { name: 'Удалить: ноутбук' }).click();
  await page.waitForURL('**/settings/tokens?notice=deleted');
  assert.deepEqual(dialogs, ['Удалить этот токен? Всё, что его ещё использует, сразу перестанет работать.']);
  assert.equal(await textOf(page.getByTestId('notice')), 'Персональный токен доступа удалён.');
  assert.equal(await apiStatus(server, regenerated), 401);

  // The account's choice wins over the browser's.
  await page.goto('/settings/account');
  await page.getByLabel('Язык страниц и писем').selectOption('en');
  await page.getByRole('button', { name: 'Сохранить' }).click();
  await page.waitForURL('**/settings/account*');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  await page.goto('/settings/tokens');
  assert.equal(await page.title(), 'Personal access tokens · Tessera');
  assert.equal(await textOf(page.getByTestId('signed-in-as')), `Signed in as ${username}`);
});
