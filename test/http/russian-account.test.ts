/**
 * The account pages, their refusals and the mail they cause, in Russian: for a browser that asks for Russian (the
 * sign-up page, its form errors and its verification mail), for an account set to Russian whatever its browser says
 * (the settings pages, and a password reset mail asked for from an English browser), and the error pages.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setAccountLocale } from '../../src/domain/account-settings.ts';
import { startTestServer, TEST_PASSWORD } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';
import { linkIn, mailTo, messageOf, signedIn } from './account-fixture.ts';

const RUSSIAN = { 'accept-language': 'ru-RU,ru;q=0.9,en;q=0.5' };
const ENGLISH = { 'accept-language': 'en-US,en;q=0.9' };

test('sign-up from a Russian browser: the page, its form errors and the verification mail are in Russian', async (t) => {
  const server = await startTestServer(t);
  const browser = new WebClient();
  const page = await browser.get(`${server.baseUrl}/signup`, RUSSIAN);
  assert.match(page.body, /<html lang="ru"/);
  assert.match(page.body, /<h1 class="h2 mb-3">Создание учётной записи<\/h1>/);
  assert.match(page.body, /Уже есть учётная запись\? <a href="\/login">Войдите<\/a>\./);

  const refused = await browser.submit(`${server.baseUrl}/signup`, { username: '-bad-', email: 'not an address', password: 'short' }, RUSSIAN);
  assert.equal(refused.status, 422);
  const errors = [...refused.body.matchAll(/<div>([^<]*)<\/div>/g)].map((match) => match[1]);
  assert.deepEqual(errors, [
    'Имя пользователя может содержать только латинские буквы, цифры и одиночные дефисы, не может начинаться или заканчиваться дефисом и должно быть не длиннее 39 символов.',
    'Введите правильный адрес электронной почты.',
    'Пароль слишком короткий (минимум 8 символов).',
  ]);
  const weak = await browser.submit(`${server.baseUrl}/signup`, { username: 'ivan', email: 'ivan@example.test', password: 'password1' }, RUSSIAN);
  assert.match(messageOf(weak.body, 'form-errors')!, /^Пароль слишком легко угадать\. Это .*пароль\./);

  const created = await browser.submit(`${server.baseUrl}/signup`, { username: 'ivan', email: 'ivan@example.test', password: TEST_PASSWORD }, RUSSIAN);
  assert.equal(created.status, 302);
  const [mail] = await mailTo(server, 'ivan@example.test');
  assert.equal(mail!.subject, '[Tessera] Подтвердите адрес электронной почты');
  assert.match(mail!.text, /^Здравствуйте, @ivan!\n/);
  assert.match(mail!.text, /Откройте эту ссылку в течение 24 часов:\n\nhttps?:\/\/\S+\/verify-email\?token=/);
  assert.match(mail!.text, /Если вы не регистрировались в Tessera, просто не обращайте внимания на это письмо\./);

  // The link opened in the same browser: the page that confirms it is in Russian too.
  const verified = await browser.get(linkIn(mail!, '/verify-email'), RUSSIAN);
  assert.match(verified.body, /<h1 class="h2 mb-2">Адрес подтверждён<\/h1>/);
  assert.equal(messageOf(verified.body, 'message'), 'Ваш адрес электронной почты ivan@example.test подтверждён. Теперь вы можете создавать персональные токены доступа.');
});

test('an account set to Russian reads its settings in Russian, and its mail is Russian even when asked for from an English page', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'olga' });
  await setAccountLocale(server.deps, user, 'ru');
  const browser = await signedIn(server, 'olga', TEST_PASSWORD);

  const account = await browser.get(`${server.baseUrl}/settings/account`, ENGLISH);
  assert.match(account.body, /<title>Учётная запись · Tessera<\/title>/);
  assert.match(account.body, /id="settings-nav-heading">Настройки<\/h2>/);
  assert.match(account.body, /<option value="ru" lang="ru" selected>Русский<\/option>/);
  assert.match(account.body, /<option value="en" lang="en" >English<\/option>/, 'each language named in itself');
  const mismatch = await browser.submit(`${server.baseUrl}/settings/account/password`, {
    current_password: TEST_PASSWORD, new_password: 'quiet lantern orbit 57', new_password_confirmation: 'quiet lantern orbit 58',
  });
  assert.equal(messageOf(mismatch.body, 'form-errors'), 'Новый пароль и его подтверждение не совпадают.');

  const sessions = await browser.get(`${server.baseUrl}/settings/sessions`);
  assert.match(sessions.body, /data-testid="this-browser">Этот браузер</);
  assert.match(sessions.body, /Последняя активность: <time datetime="[^"]+" data-testid="session-last-active">\d+ [а-я]+\.? \d{4} г\., \d\d:\d\d:\d\d UTC<\/time>/);
  const log = await browser.get(`${server.baseUrl}/settings/security-log`);
  assert.match(log.body, /<h1 class="h2 text-normal mr-3">Журнал безопасности<\/h1>/);
  assert.match(log.body, /<option value="" selected>Все события<\/option>/);

  const forgot = new WebClient();
  await forgot.get(`${server.baseUrl}/forgot-password`, ENGLISH);
  const asked = await forgot.submit(`${server.baseUrl}/forgot-password`, { login: 'olga' }, ENGLISH);
  assert.match(messageOf(asked.body, 'message')!, /^If an account matches what you entered/, 'the page is in the browser\'s language');
  const [mail] = await mailTo(server, user.email);
  assert.equal(mail!.subject, '[Tessera] Сброс пароля');
  assert.match(mail!.text, /^Здравствуйте, @olga!\n\nПохоже, вы забыли пароль от Tessera\./);
  assert.match(mail!.text, /в течение часа; она сработает один раз:\n\nhttps?:\/\/\S+\/reset-password\?token=/);
  assert.match(mail!.text, /С уважением,\nкоманда Tessera$/);
});

test('a Russian forgot-password page mails an account that chose no language in Russian', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'pavel' });
  const browser = new WebClient();
  const page = await browser.get(`${server.baseUrl}/forgot-password`, RUSSIAN);
  assert.match(page.body, /<label for="login">Имя пользователя или адрес электронной почты<\/label>/);
  const empty = await browser.submit(`${server.baseUrl}/forgot-password`, { login: ' ' }, RUSSIAN);
  assert.equal(messageOf(empty.body, 'form-errors'), 'Введите имя пользователя или адрес электронной почты.');
  const asked = await browser.submit(`${server.baseUrl}/forgot-password`, { login: 'pavel' }, RUSSIAN);
  assert.match(asked.body, /<h1 class="h2 mb-2">Проверьте почту<\/h1>/);
  assert.equal((await mailTo(server, user.email))[0]!.subject, '[Tessera] Сброс пароля');
});

test('error pages and refusals in Russian; the API stays English', async (t) => {
  const server = await startTestServer(t);
  await server.createUser({ username: 'sergei' });
  const anonymous = new WebClient();
  const missing = await anonymous.get(`${server.baseUrl}/nobody-here/nothing`, RUSSIAN);
  assert.equal(missing.status, 404);
  assert.match(missing.body, /<h1 class="h2 mb-2">Страница не найдена<\/h1>/);
  assert.match(missing.body, /data-testid="error-message">По этому адресу нет страницы\.<\/p>/);
  assert.match(missing.body, /<a href="\/">Перейти на главную страницу<\/a>/);
  const tooLong = await anonymous.get(`${server.baseUrl}/${'o'.repeat(101)}`, RUSSIAN);
  assert.equal(tooLong.body, 'По этому адресу нет страницы.\n');

  const login = await anonymous.get(`${server.baseUrl}/login?return_to=a&return_to=b`, RUSSIAN);
  assert.equal(login.status, 400);
  assert.match(login.body, /<h1 class="h2 mb-2">Запрос отклонён<\/h1>/);
  assert.match(login.body, /Адрес этой страницы недействителен: поле «return_to» указано несколько раз\./);
  const stale = await anonymous.post(`${server.baseUrl}/login`, { login: 'sergei', password: TEST_PASSWORD }, RUSSIAN);
  assert.equal(stale.status, 403);
  assert.match(stale.body, /Форма устарела или отправлена не с этого сайта\./);

  await anonymous.get(`${server.baseUrl}/login`, RUSSIAN);
  const wrong = await anonymous.submit(`${server.baseUrl}/login`, { login: 'sergei', password: 'not it at all' }, RUSSIAN);
  assert.equal(messageOf(wrong.body, 'form-errors'), 'Неверное имя пользователя или пароль.');

  const api = await fetch(`${server.apiUrl}/nothing-here`, { headers: RUSSIAN });
  assert.equal(((await api.json()) as { message: string }).message, 'Not Found');
});
