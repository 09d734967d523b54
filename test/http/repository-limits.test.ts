/**
 * Who may create repositories, and how many: a verified email address, a quota per user and a rate of creations
 * an hour. Each refusal as the API (GitHub's shape), the /new page and `tessera repo create` say it.
 */
import { cliEnvironment, runCli } from '../helpers/cli.ts';
import { userChanged } from '../../src/domain/token-cache.ts';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import type { UserRow } from '../../src/store/database.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';

const HOUR_MS = 60 * 60 * 1000;

async function createOverApi(server: TestServer, token: string, name: string) {
  const response = await server.app.inject({
    method: 'POST', url: '/api/v3/user/repos', headers: { authorization: `token ${token}` }, payload: { name },
  });
  return { status: response.statusCode, body: response.json() as { message: string; name?: string }, headers: response.headers };
}

/** Signs in with a session and sends the /new form as a browser would (CSRF cookie and field included). */
async function createOnPage(server: TestServer, user: UserRow, name: string, headers: Record<string, string> = {}) {
  const session = `tessera_session=${await startWebSession(server.deps, user)}`;
  const form = await server.app.inject({ method: 'GET', url: '/new', headers: { ...headers, cookie: session } });
  assert.equal(form.statusCode, 200);
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1];
  const csrfCookie = form.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  assert.ok(csrfToken);
  const sent = await server.app.inject({
    method: 'POST', url: '/new', headers: { ...headers, cookie: `${session}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: csrfToken, name, visibility: 'public' }).toString(),
  });
  return { form: form.body, status: sent.statusCode, body: sent.body, location: sent.headers.location };
}

test('only a user with a verified email address creates repositories', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ verified: true });
  const token = await server.createToken(user, { scopes: ['repo'] });
  // The address stops being verified (as after a change of address): the token stays, creating does not.
  await server.db.updateTable('users').set({ email_verified_at: null }).where('id', '=', user.id).execute();
  await server.deps.shared.invalidations.publish(userChanged(user.id));
  const refused = await createOverApi(server, token, 'unverified');
  assert.equal(refused.status, 403);
  assert.match(refused.body.message, /verify your email address before you can create repositories/);
  const unverified = (await server.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow());
  const page = await createOnPage(server, unverified, 'unverified');
  assert.match(page.form, /Verify your email address before you create repositories/, 'said on the empty form');
  assert.equal(page.status, 403);
  assert.match(page.body, /Verify your email address before you create repositories/);
  assert.equal((await server.db.selectFrom('repositories').selectAll().execute()).length, 0);

  await server.db.updateTable('users').set({ email_verified_at: new Date().toISOString() }).where('id', '=', user.id).execute();
  // Changed behind the domain's back: say so, as the domain does, so no cached token check holds the old row.
  await server.deps.shared.invalidations.publish(userChanged(user.id));
  assert.equal((await createOverApi(server, token, 'verified')).status, 201);
});

test('the quota counts a user\'s repositories; deleting one makes room', async (t) => {
  const server = await startTestServer(t);
  server.deps.repositoryLimits = { quota: 2, creationsPerHour: 0 };
  const user = await server.createUser();
  const other = await server.createUser();
  const token = await server.createToken(user, { scopes: ['repo', 'delete_repo'] });
  assert.equal((await createOverApi(server, token, 'one')).status, 201);
  assert.equal((await createOverApi(server, token, 'two')).status, 201);
  const refused = await createOverApi(server, token, 'three');
  assert.equal(refused.status, 403);
  assert.match(refused.body.message, /reached the limit of 2 repositories/);
  const page = await createOnPage(server, user, 'three');
  assert.equal(page.status, 403);
  assert.match(page.body, /reached the limit of 2 repositories/);
  const russian = await createOnPage(server, user, 'three', { 'accept-language': 'ru' });
  assert.match(russian.body, /Вы достигли лимита: 2 репозитория\. Удалите один из репозиториев, чтобы создать новый\./);
  const api = await server.app.inject({
    method: 'POST', url: '/api/v3/user/repos', headers: { authorization: `token ${token}`, 'accept-language': 'ru' }, payload: { name: 'three' },
  });
  assert.match(api.json<{ message: string }>().message, /reached the limit of 2 repositories/, 'the API answers in English whatever the language asked');
  await server.createRepository(other, 'theirs', { private: false }); // The quota is per user.
  const deleted = await server.app.inject({ method: 'DELETE', url: `/api/v3/repos/${user.username}/one`, headers: { authorization: `token ${token}` } });
  assert.equal(deleted.statusCode, 204);
  assert.equal((await createOverApi(server, token, 'three')).status, 201);
});

test('creations an hour are limited per user, and allowed again when the hour is over', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  server.deps.repositoryLimits = { quota: 0, creationsPerHour: 2 };
  const user = await server.createUser();
  const token = await server.createToken(user, { scopes: ['repo'] });
  assert.equal((await createOverApi(server, token, 'a')).status, 201);
  assert.equal((await createOverApi(server, token, 'b')).status, 201);
  const refused = await createOverApi(server, token, 'c');
  assert.equal(refused.status, 403);
  assert.match(refused.body.message, /secondary rate limit: at most 2 repositories may be created in an hour/);
  assert.equal(refused.headers['retry-after'], String(HOUR_MS / 1000));
  clock.advance(HOUR_MS - 1000);
  const early = await createOnPage(server, user, 'c', { 'accept-language': 'ru' });
  assert.equal(early.status, 403, 'one second before the hour is over');
  assert.match(early.body, /За последний час вы создали 2 репозитория — это максимум\./);
  clock.advance(1000);
  assert.equal((await createOverApi(server, token, 'c')).status, 201, 'exactly when the hour is over');
});

test('tessera repo create says what to do when the user may not create one', async (t) => {
  const server = await startTestServer(t);
  const env = cliEnvironment(server);
  const unverified = await server.createUser({ verified: false });
  const quotaUser = await server.createUser();
  await server.createRepository(quotaUser, 'only', { private: false });
  const run = (...args: string[]) => runCli(env, ...args);
  const notVerified = await run('repo', 'create', '--user', unverified.username, '--name', 'x');
  assert.equal(notVerified.code, 1);
  assert.match(notVerified.stderr, /has not verified their email address.*verification mail.*--verified/);
  env.TESSERA_REPOSITORY_QUOTA = '1';
  const overQuota = await run('repo', 'create', '--user', quotaUser.username, '--name', 'second');
  assert.equal(overQuota.code, 1);
  assert.match(overQuota.stderr, /already has 1 repositories, the limit \(TESSERA_REPOSITORY_QUOTA.*tessera repo delete --user/);
});
