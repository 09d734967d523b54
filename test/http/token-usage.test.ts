/**
 * Where tokens are used from, as their owner sees it: the list's "Last used within …", the token's page with its
 * recent networks and user agents, the mail about a new network (once per network, never the secret, and not when
 * turned off), and /settings/sessions with Revoke. Clients are told apart by X-Forwarded-For from a trusted proxy.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import { DAY_MS } from '../../src/domain/deps.ts';
import type { UserRow } from '../../src/store/database.ts';
import { fakeClock, startTestServer, type OutboxMessage, type TestServer } from '../helpers/server.ts';

const MINUTE_MS = 60_000;

async function useToken(server: TestServer, token: string, address: string, userAgent: string) {
  const response = await server.app.inject({
    method: 'GET', url: '/api/v3/user',
    headers: { authorization: `token ${token}`, 'x-forwarded-for': address, 'user-agent': userAgent },
  });
  assert.equal(response.statusCode, 200, response.body);
  // The use is written after the answer: wait for that write, not for a time.
  await server.deps.tokenUses.settled();
}

/** A signed-in browser: its session cookie, its address and user agent, and the CSRF token of a page's form. */
class Browser {
  readonly server: TestServer;
  readonly session: string;
  readonly address: string;
  readonly userAgent: string;
  /** The browser's Accept-Language, when it asks for a language. */
  language: string | undefined;

  constructor(server: TestServer, session: string, address: string, userAgent: string) {
    this.server = server;
    this.session = session;
    this.address = address;
    this.userAgent = userAgent;
  }

  static async signIn(server: TestServer, user: UserRow, address = '192.0.2.10', userAgent = 'Firefox/140') {
    return new Browser(server, await startWebSession(server.deps, user, { clientAddress: address, userAgent }), address, userAgent);
  }

  get(url: string, cookie = '') {
    return this.server.app.inject({
      method: 'GET', url,
      headers: { cookie: `tessera_session=${this.session}${cookie}`, 'x-forwarded-for': this.address, 'user-agent': this.userAgent, ...this.languageHeader },
    });
  }

  get languageHeader() {
    return this.language ? { 'accept-language': this.language } : {};
  }

  /** Sends a form from `page` as the browser would: with the page's CSRF token and cookie (or without, if asked). */
  async post(page: string, url: string, form: Record<string, string | string[]>, options: { csrf?: boolean } = {}) {
    const shown = await this.get(page);
    assert.equal(shown.statusCode, 200, shown.body);
    const csrfToken = /name="_csrf" value="([^"]+)"/.exec(shown.body)?.[1];
    assert.ok(csrfToken);
    const csrfCookie = shown.cookies.map((cookie) => `; ${cookie.name}=${cookie.value}`).join('');
    const params = new URLSearchParams();
    if (options.csrf !== false) params.append('_csrf', csrfToken);
    for (const [name, value] of Object.entries(form)) for (const item of [value].flat()) params.append(name, item);
    return this.server.app.inject({
      method: 'POST', url, payload: params.toString(),
      headers: {
        cookie: `tessera_session=${this.session}${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded',
        'x-forwarded-for': this.address, 'user-agent': this.userAgent, ...this.languageHeader,
      },
    });
  }
}

function texts(html: string, testId: string): string[] {
  return [...html.matchAll(new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`, 'g'))].map((match) => match[1]!);
}

async function tokenId(server: TestServer, user: UserRow): Promise<number> {
  const row = await server.db.selectFrom('personal_access_tokens').select('id').where('user_id', '=', user.id)
    .orderBy('id', 'desc').executeTakeFirstOrThrow();
  return row.id;
}

test('token uses, new-network mail and sessions', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, config: { trustProxy: ['127.0.0.1'] } });

  await t.test('the list says when each token was last used, GitHub\'s words, the exact time on hover', async () => {
    const user = await server.createUser();
    await server.createToken(user, { note: 'never' });
    await server.createToken(user, { note: 'ten days' });
    const tenDaysAgo = new Date(clock.now().getTime() - 10 * DAY_MS);
    await server.db.updateTable('personal_access_tokens').set({ last_used_at: tenDaysAgo.toISOString() })
      .where('id', '=', await tokenId(server, user)).execute();
    const browser = await Browser.signIn(server, user);
    const page = (await browser.get('/settings/tokens')).body;
    const lastUsed = [...page.matchAll(/data-testid="token-last-used">(.*?)<\/span>/gs)].map((match) => match[1]!.trim());
    assert.deepEqual(lastUsed, [
      `<time datetime="${tenDaysAgo.toISOString()}" title="Nov 15, 2026, 10:00:00 UTC">Last used within the last 2 weeks</time>`,
      'Never used',
    ]);
  });

  await t.test('a token\'s page shows its last 5 distinct addresses and user agents, written once a minute at most', async () => {
    const user = await server.createUser();
    const token = await server.createToken(user, { note: 'ci deploys', scopes: ['repo', 'user'] });
    const id = await tokenId(server, user);
    const clients = [
      ['198.51.100.1', 'curl/8.5.0'], ['198.51.100.2', 'git/2.45.1'], ['198.51.100.2', 'curl/8.5.0'],
      ['2001:db8:1:2::7', 'octokit/5'], ['203.0.113.9', 'git/2.45.1'], ['203.0.113.10', 'gh/2.60'],
    ] as const;
    for (const [address, agent] of clients) {
      clock.advance(MINUTE_MS);
      await useToken(server, token, address, agent);
    }
    // Ten more uses by the newest client within the minute: no write, so its last-seen time stays put.
    for (let i = 0; i < 10; i += 1) {
      clock.advance(1000);
      await useToken(server, token, '203.0.113.10', 'gh/2.60');
    }
    const rows = await server.db.selectFrom('token_uses').selectAll().where('token_id', '=', id).execute();
    assert.equal(rows.length, 6);
    const newest = rows.find((row) => row.client_address === '203.0.113.10')!;
    assert.equal(newest.last_seen_at, newest.first_seen_at);

    const page = await (await Browser.signIn(server, user)).get(`/settings/tokens/${id}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(texts(page.body, 'token-note'), ['ci deploys']);
    assert.deepEqual(texts(page.body, 'token-scopes'), ['repo, user']);
    assert.match(page.body, /Last used within the last week<\/time>/);
    assert.deepEqual(texts(page.body, 'use-address'), ['203.0.113.10', '203.0.113.9', '2001:db8:1:2::7', '198.51.100.2', '198.51.100.2']);
    assert.deepEqual(texts(page.body, 'use-agent'), ['gh/2.60', 'git/2.45.1', 'octokit/5', 'curl/8.5.0', 'git/2.45.1']);
    assert.doesNotMatch(page.body, new RegExp(token));

    // A minute later the same client moves its row's last-seen time, and only that.
    clock.advance(MINUTE_MS);
    await useToken(server, token, '203.0.113.10', 'gh/2.60');
    const moved = await server.db.selectFrom('token_uses').selectAll().where('id', '=', newest.id).executeTakeFirstOrThrow();
    assert.equal(moved.last_seen_at, clock.now().toISOString());
    assert.equal(moved.first_seen_at, newest.first_seen_at);

    // Another user's token page is not found.
    const stranger = await Browser.signIn(server, await server.createUser());
    assert.equal((await stranger.get(`/settings/tokens/${id}`)).statusCode, 404);
  });

  await t.test('a use from a new network mails the owner once per network, never the secret, not when turned off', async () => {
    const user = await server.createUser();
    const token = await server.createToken(user, { note: 'laptop script' });
    const id = await tokenId(server, user);
    const mailsTo = async (): Promise<OutboxMessage[]> => (await server.readOutbox())
      .filter((message) => message.to.includes(user.email) && /new network/.test(message.subject));

    await useToken(server, token, '198.51.100.50', 'curl/8.5.0'); // The very first use: nothing to compare with.
    assert.equal((await mailsTo()).length, 0);

    clock.advance(MINUTE_MS);
    await useToken(server, token, '2001:db8:aa:bb::1', 'git/2.45.1');
    let mails = await mailsTo();
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.ok(mail!.text.includes(`Your personal access token "laptop script" was used from a new network: 2001:db8:aa:bb::1, git/2.45.1, ${clock.now().toISOString()}.`), mail!.text);
    assert.ok(mail!.text.includes(`${server.baseUrl}/settings/tokens/${id}`));
    assert.ok(!mail!.raw.includes(token) && !mail!.raw.includes(token.slice(4, 20)), 'never the secret');

    // The same /64 with another address and agent, a known network later, the first network again: no new mail.
    clock.advance(2 * MINUTE_MS);
    await useToken(server, token, '2001:db8:aa:bb::99', 'curl/8.5.0');
    await useToken(server, token, '198.51.100.50', 'python-requests/2.32');
    clock.advance(2 * MINUTE_MS);
    await useToken(server, token, '2001:db8:aa:bb::1', 'git/2.45.1');
    assert.equal((await mailsTo()).length, 1);

    // Turned off: a new network mails nothing; turned back on, the next new network does.
    const browser = await Browser.signIn(server, user);
    assert.equal((await browser.post('/settings/tokens', '/settings/tokens/notifications', { notify_new_network: 'off' }, { csrf: false })).statusCode, 403);
    const off = await browser.post('/settings/tokens', '/settings/tokens/notifications', { notify_new_network: 'off' });
    assert.equal(off.headers.location, '/settings/tokens?notice=notifications-saved');
    assert.doesNotMatch((await browser.get('/settings/tokens')).body, /name="notify_new_network" value="on" class="mr-2" checked/);
    await useToken(server, token, '203.0.113.77', 'curl/8.5.0');
    assert.equal((await mailsTo()).length, 1);
    await browser.post('/settings/tokens', '/settings/tokens/notifications', { notify_new_network: ['off', 'on'] });
    assert.match((await browser.get('/settings/tokens')).body, /name="notify_new_network" value="on" class="mr-2" checked/);
    await useToken(server, token, '203.0.113.78', 'curl/8.5.0');
    mails = await mailsTo();
    assert.equal(mails.length, 2);
    assert.match(mails[1]!.text, /203\.0\.113\.78, curl\/8\.5\.0/);
  });

  await t.test('sessions: listed with this browser marked, last activity once a minute, revoked with CSRF', async () => {
    const user = await server.createUser();
    const here = await Browser.signIn(server, user, '192.0.2.1', 'Firefox/140');
    const there = await Browser.signIn(server, user, '192.0.2.2', 'Safari/18');
    const someoneElse = await Browser.signIn(server, await server.createUser(), '192.0.2.3', 'Chrome/130');

    clock.advance(30_000);
    const page = (await here.get('/settings/sessions')).body;
    assert.match(page, /href="\/settings\/sessions" aria-current="page"/);
    assert.deepEqual(texts(page, 'session-address').sort(), ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(texts(page, 'session-agent').sort(), ['Firefox/140', 'Safari/18']);
    assert.equal(texts(page, 'this-browser').length, 1);
    const rows = [...page.matchAll(/data-session-id="(\d+)"[\s\S]*?(?=data-session-id=|$)/g)];
    const hereRow = rows.find((row) => row[0].includes('Firefox/140'))!;
    const thereRow = rows.find((row) => row[0].includes('Safari/18'))!;
    assert.match(hereRow[0], /This browser/);
    assert.doesNotMatch(thereRow[0], /This browser/);

    // Last active: not written within the minute, written after it, with the latest address.
    const session = (id: string) => server.db.selectFrom('web_sessions').selectAll().where('id', '=', Number(id)).executeTakeFirstOrThrow();
    const signedInAt = (await session(hereRow[1]!)).last_active_at;
    assert.equal((await session(hereRow[1]!)).last_active_at, signedInAt);
    clock.advance(MINUTE_MS);
    await new Browser(server, here.session, '192.0.2.99', 'Firefox/141').get('/settings/sessions');
    const active = await session(hereRow[1]!);
    assert.equal(active.last_active_at, clock.now().toISOString());
    assert.equal(active.client_address, '192.0.2.99');

    // Another user's session is not found, and keeps working; without CSRF nothing is revoked.
    const othersId = (await server.db.selectFrom('web_sessions').select('id').where('user_id', '<>', user.id)
      .orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
    assert.equal((await here.post('/settings/sessions', `/settings/sessions/${othersId}/revoke`, {})).statusCode, 404);
    assert.equal((await someoneElse.get('/settings/tokens')).statusCode, 200);
    assert.equal((await here.post('/settings/sessions', `/settings/sessions/${thereRow[1]}/revoke`, {}, { csrf: false })).statusCode, 403);
    assert.equal((await there.get('/settings/tokens')).statusCode, 200);

    const revoked = await here.post('/settings/sessions', `/settings/sessions/${thereRow[1]}/revoke`, {});
    assert.equal(revoked.headers.location, '/settings/sessions?notice=revoked');
    const afterRevoke = await there.get('/settings/tokens');
    assert.equal(afterRevoke.statusCode, 302);
    assert.match(String(afterRevoke.headers.location), /^\/login/);
    const events = await server.db.selectFrom('security_events').selectAll().where('user_id', '=', user.id).execute();
    assert.deepEqual(events.map((event) => [event.kind, event.actor, event.client_address, event.user_agent]),
      [['session.revoked', 'owner', '192.0.2.1', 'Firefox/140']]);

    // Signed out, the pages send to the sign-in page; a malformed id is a 4xx, never a 500.
    for (const url of ['/settings/sessions', `/settings/tokens/${othersId}`]) {
      const signedOut = await server.app.inject({ method: 'GET', url });
      assert.equal(signedOut.statusCode, 302, url);
      assert.equal(signedOut.headers.location, `/login?return_to=${encodeURIComponent(url)}`);
    }
    for (const id of ['abc', '0', '99999999999999']) {
      const malformed = await here.post('/settings/sessions', `/settings/sessions/${id}/revoke`, {});
      assert.ok(malformed.statusCode >= 400 && malformed.statusCode < 500, `${id}: ${malformed.statusCode}`);
      const tokenPage = await here.get(`/settings/tokens/${id}`);
      assert.ok(tokenPage.statusCode >= 400 && tokenPage.statusCode < 500, `token ${id}: ${tokenPage.statusCode}`);
    }

    // Revoking this browser's own session signs it out.
    const own = await here.post('/settings/sessions', `/settings/sessions/${hereRow[1]}/revoke`, {});
    assert.equal(own.headers.location, '/login');
    assert.ok(own.cookies.some((cookie) => cookie.name === 'tessera_session' && cookie.value === ''));
    assert.equal((await here.get('/settings/tokens')).statusCode, 302);
    assert.equal((await server.db.selectFrom('web_sessions').select('id').where('user_id', '=', user.id).execute()).length, 0);
  });
});

test('the token pages in Russian, for a browser that asks for it', async (t) => {
  const clock = fakeClock();
  // 31 days of disuse, warned 30 and 7 days before: "31 день", "за 30 и 7 дней".
  const server = await startTestServer(t, { clock, config: { unusedTokenDays: 31 } });
  const user = await server.createUser();
  await server.createToken(user, { note: 'laptop', scopes: [] });
  const id = await tokenId(server, user);
  await server.db.updateTable('personal_access_tokens').set({ last_used_at: new Date(clock.now().getTime() - 10 * DAY_MS).toISOString() })
    .where('id', '=', id).execute();
  const browser = await Browser.signIn(server, user);
  browser.language = 'ru-RU,ru;q=0.9,en;q=0.5';

  const list = (await browser.get('/settings/tokens?notice=deleted')).body;
  assert.match(list, /<html lang="ru"/);
  assert.match(list, /<h1 class="h2 text-normal">Персональные токены доступа<\/h1>/);
  assert.deepEqual(texts(list, 'notice'), ['Персональный токен доступа удалён.']);
  assert.deepEqual(texts(list, 'token-scopes'), ['нет областей доступа']);
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
  assert.deepEqual(texts(page, 'no-token-uses'), ['Использований пока не было.']);
});
