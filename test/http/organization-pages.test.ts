/**
 * Organization pages as a browser uses them (forms with their CSRF token, redirects, what each visitor sees): creating
 * an organization, its page, the people page where owners add, promote and remove members and members show their
 * membership or leave, its settings, and `/new` creating a repository for it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';

async function signedIn(server: TestServer, username: string, verified = true): Promise<WebClient> {
  await server.createUser({ username, verified });
  const browser = new WebClient();
  await browser.get(`${server.baseUrl}/login`);
  assert.equal((await browser.submit(`${server.baseUrl}/login`, { login: username, password: TEST_PASSWORD })).status, 302);
  return browser;
}

/** The page's text without its markup, spaces run together: what a reader sees. */
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

test('an organization is created on its form, shows its repositories and members, and its owner manages people', async (t) => {
  const server = await startTestServer(t);
  const url = (path: string) => `${server.baseUrl}${path}`;
  const mona = await signedIn(server, 'mona');
  const hubot = await signedIn(server, 'hubot');
  const anonymous = new WebClient();

  assert.equal((await anonymous.get(url('/organizations/new'))).location, '/login?return_to=%2Forganizations%2Fnew');
  assert.match((await mona.get(url('/organizations/new'))).body, /Create a new organization/);
  const invalid = await mona.submit(url('/organizations/new'), { login: 'bad name', name: '' });
  assert.equal(invalid.status, 422);
  assert.match(text(invalid.body), /Organization name may only contain letters, digits and single hyphens/);
  const taken = await mona.submit(url('/organizations/new'), { login: 'Hubot' });
  assert.match(text(taken.body), /The name Hubot is not available/);
  assert.match((await mona.get(url('/organizations/new'))).body, /name="_csrf"/);
  const created = await mona.submit(url('/organizations/new'), { login: 'acme', name: 'Acme Inc.', description: 'Rockets and more' });
  assert.deepEqual([created.status, created.location], [302, '/acme']);

  const page = text((await mona.get(url('/acme'))).body);
  assert.match(page, /Acme Inc\. acme · Organization/);
  assert.match(page, /Rockets and more/);
  assert.match(page, /New repository/);
  assert.match(page, /Settings/);
  assert.match(page, /mona Owner/, 'members see concealed members');
  const outsiderView = text((await anonymous.get(url('/acme'))).body);
  assert.match(outsiderView, /This organization has no public members/);
  assert.doesNotMatch(outsiderView, /New repository|Settings/);

  // A repository of the organization, from /new.
  const form = (await mona.get(url('/new?owner=acme'))).body;
  assert.match(form, /<option value="acme" selected>acme<\/option>/);
  const made = await mona.submit(url('/new'), { owner: 'acme', name: 'rockets', visibility: 'private' });
  assert.equal(made.location, '/acme/rockets');
  assert.match(text((await mona.get(url('/acme'))).body), /rockets Private/);
  assert.doesNotMatch((await anonymous.get(url('/acme'))).body, /rockets/, 'a private repository is the members\' alone');
  assert.equal((await anonymous.get(url('/acme/rockets'))).status, 404);
  await hubot.get(url('/new'));
  const intrusion = await hubot.submit(url('/new'), { owner: 'acme', name: 'intrusion', visibility: 'public' });
  assert.equal(intrusion.status, 403);
  assert.match(text(intrusion.body), /You may not create repositories for this owner/);

  // People: add, refuse, promote; a member shows their membership and leaves.
  const people = '/orgs/acme/people';
  const added = await mona.submit(url(people), { username: 'hubot', role: 'member' });
  assert.equal(added.location, `${people}?done=added&user=hubot`);
  assert.match(text((await mona.get(url(added.location!))).body), /Added hubot to the organization\./);
  const unknown = await mona.submit(url(people), { username: 'nobody', role: 'member' });
  assert.equal(unknown.status, 422);
  assert.match(text(unknown.body), /There is no user named nobody/);
  const again = await mona.submit(url(people), { username: 'hubot', role: 'admin' });
  assert.match(text(again.body), /hubot is already a member of acme\. Change their role in the list below\./);
  const lastOwner = await mona.submit(url(`${people}/mona/remove`), {});
  assert.match(text(lastOwner.body), /mona is the last owner of acme, which must keep one/);

  assert.match(text((await hubot.get(url('/acme'))).body), /rockets Private/, 'a member sees the private repository');
  assert.equal((await hubot.get(url('/orgs/acme/settings'))).status, 404, 'settings are for owners');
  await hubot.get(url(people));
  const notOwner = await hubot.submit(url(people), { username: 'mona', role: 'member' });
  assert.equal(notOwner.status, 403);
  assert.match(text(notOwner.body), /Only owners of acme may change its members/);
  assert.equal((await hubot.submit(url(`${people}/mona/visibility`), { public: '1' })).status, 403, 'only one\'s own membership');
  assert.equal((await hubot.submit(url(`${people}/hubot/visibility`), { public: '1' })).status, 302);
  assert.match(text((await anonymous.get(url(people))).body), /hubot Member/, 'a public member is listed to anyone');
  assert.doesNotMatch(text((await anonymous.get(url(people))).body), /mona/);
  assert.match(text((await anonymous.get(url('/hubot'))).body), /Organizations: acme/);

  await mona.get(url(people));
  assert.equal((await mona.submit(url(`${people}/hubot/role`), { role: 'admin' })).status, 302);
  assert.match(text((await hubot.get(url('/acme'))).body), /Settings/, 'a new owner sees the settings');
  assert.equal((await hubot.submit(url(`${people}/mona/remove`), {})).status, 302, 'another owner removes the first');
  assert.equal((await hubot.submit(url(`${people}/hubot/remove`), {})).status, 422, 'and cannot leave as the last one');

  const settings = await hubot.get(url('/orgs/acme/settings'));
  assert.match(settings.body, /value="Acme Inc\."/);
  const updated = await hubot.submit(url('/orgs/acme/settings'), { name: 'Acme Corporation', description: '' });
  assert.equal(updated.location, '/orgs/acme/settings?notice=updated');
  assert.match(text((await anonymous.get(url('/acme'))).body), /Acme Corporation acme/);
  assert.equal((await mona.get(url('/acme/rockets'))).status, 404, 'a removed member no longer sees private repositories');

  // No form is taken without its CSRF token.
  const forged = await fetch(url(people), { method: 'POST', body: new URLSearchParams({ username: 'mona', role: 'admin' }), redirect: 'manual' });
  assert.equal(forged.status, 403);
});

test('an unverified user is told to verify before creating an organization', async (t) => {
  const server = await startTestServer(t);
  const newbie = await signedIn(server, 'newbie', false);
  assert.match(text((await newbie.get(`${server.baseUrl}/organizations/new`)).body), /Verify your email address before you create an organization/);
  const refused = await newbie.submit(`${server.baseUrl}/organizations/new`, { login: 'newbie-org' });
  assert.equal(refused.status, 403);
  assert.equal((await newbie.get(`${server.baseUrl}/newbie-org`)).status, 404);
});

test('in Russian: the organization pages, their refusals and notices, and /new and a repository page', async (t) => {
  const server = await startTestServer(t);
  const url = (path: string) => `${server.baseUrl}${path}`;
  const ru = { 'accept-language': 'ru-RU,ru;q=0.9' };
  const mona = await signedIn(server, 'mona');
  await server.createUser({ username: 'hubot' });

  const form = await mona.get(url('/organizations/new'), ru);
  assert.match(form.body, /<html lang="ru"/);
  assert.match(text(form.body), /Создание организации Имя организации/);
  const invalid = await mona.submit(url('/organizations/new'), { login: 'bad name' }, ru);
  assert.match(text(invalid.body), /Имя организации может содержать только буквы, цифры и одиночные дефисы/);
  const tooLong = await mona.submit(url('/organizations/new'), { login: 'acme', name: 'x'.repeat(256) }, ru);
  assert.match(text(tooLong.body), /Отображаемое имя слишком длинное \(не более 255 символов\)\./);
  assert.equal((await mona.submit(url('/organizations/new'), { login: 'acme' }, ru)).location, '/acme');

  const page = text((await mona.get(url('/acme'), ru)).body);
  assert.match(page, /acme · Организация Репозитории Люди Настройки/);
  assert.match(page, /Репозиториев пока нет\./);
  assert.match(page, /mona Владелец/);
  assert.match(text((await new WebClient().get(url('/acme'), ru)).body), /Нет репозиториев, которые вам доступны\..*У этой организации нет публичных участников\./);

  await mona.get(url('/orgs/acme/people'), ru);
  assert.match(text((await mona.submit(url('/orgs/acme/people'), { username: 'nobody', role: 'member' }, ru)).body), /Пользователя с именем nobody нет\./);
  const added = await mona.submit(url('/orgs/acme/people'), { username: 'hubot', role: 'member' }, ru);
  assert.match(text((await mona.get(url(added.location!), ru)).body), /Пользователь hubot добавлен в организацию\./);
  assert.match(text((await mona.submit(url('/orgs/acme/people/mona/remove'), {}, ru)).body), /mona — последний владелец acme/);
  assert.match(text((await mona.get(url('/orgs/acme/settings?notice=updated'), ru)).body), /Профиль Профиль сохранён\./);

  await mona.get(url('/new?owner=acme'), ru);
  assert.equal((await mona.submit(url('/new'), { owner: 'acme', name: 'rockets', visibility: 'private' }, ru)).location, '/acme/rockets');
  const again = await mona.submit(url('/new'), { owner: 'acme', name: 'rockets', visibility: 'private' }, ru);
  assert.equal(again.status, 422);
  assert.match(text(again.body), /Репозиторий с таким именем у этого владельца уже есть\./);
  assert.match(text((await mona.get(url('/acme'), ru)).body), /rockets Приватный/);
  const mismatch = await mona.submit(url('/acme/rockets/delete'), { confirm: 'rocket' }, ru);
  assert.match(text(mismatch.body), /Введённое имя не совпадает: чтобы удалить этот репозиторий, введите в точности rockets\. Ничего не удалено\./);
  assert.match(text(mismatch.body), /Клонирование по HTTPS/);
});
