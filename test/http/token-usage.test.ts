/**
 * Where tokens are used from, as their owner sees it: the list's "Last used within …", the token's page with its
 * recent networks and user agents, the mail about a new network (once per network, never the secret, and not when
 * turned off), and /settings/sessions with Revoke. Clients are told apart by X-Forwarded-For from a trusted proxy.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../../src/domain/deps.ts';
import { fakeClock, startTestServer, type OutboxMessage, type TestServer } from '../helpers/server.ts';
import { InjectedBrowser, newestTokenId, testIdTexts } from '../helpers/injected-browser.ts';

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

test('token uses, new-network mail and sessions', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock, config: { trustProxy: ['127.0.0.1'] } });

  await t.test('the list says when each token was last used, GitHub\'s words, the exact time on hover', async () => {
    const user = await server.createUser();
    await server.createToken(user, { note: 'never' });
    await server.createToken(user, { note: 'ten days' });
    const tenDaysAgo = new Date(clock.now().getTime() - 10 * DAY_MS);
    await server.db.updateTable('personal_access_tokens').set({ last_used_at: tenDaysAgo.toISOString() })
      .where('id', '=', await newestTokenId(server, user)).execute();
    const browser = await InjectedBrowser.signIn(server, user);
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
    const id = await newestTokenId(server, user);
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

    const page = await (await InjectedBrowser.signIn(server, user)).get(`/settings/tokens/${id}`);
    assert.equal(page.statusCode, 200);
    assert.deepEqual(testIdTexts(page.body, 'token-note'), ['ci deploys']);
    assert.deepEqual(testIdTexts(page.body, 'token-scopes'), ['repo, user']);
    assert.match(page.body, /Last used within the last week<\/time>/);
    assert.deepEqual(testIdTexts(page.body, 'use-address'), ['203.0.113.10', '203.0.113.9', '2001:db8:1:2::7', '198.51.100.2', '198.51.100.2']);
    assert.deepEqual(testIdTexts(page.body, 'use-agent'), ['gh/2.60', 'git/2.45.1', 'octokit/5', 'curl/8.5.0', 'git/2.45.1']);
    assert.doesNotMatch(page.body, new RegExp(token));

    // A minute later the same client moves its row's last-seen time, and only that.
    clock.advance(MINUTE_MS);
    await useToken(server, token, '203.0.113.10', 'gh/2.60');
    const moved = await server.db.selectFrom('token_uses').selectAll().where('id', '=', newest.id).executeTakeFirstOrThrow();
    assert.equal(moved.last_seen_at, clock.now().toISOString());
    assert.equal(moved.first_seen_at, newest.first_seen_at);

    // Another user's token page is not found.
    const stranger = await InjectedBrowser.signIn(server, await server.createUser());
    assert.equal((await stranger.get(`/settings/tokens/${id}`)).statusCode, 404);
  });

  await t.test('a use from a new network mails the owner once per network, never the secret, not when turned off', async () => {
    const user = await server.createUser();
    const token = await server.createToken(user, { note: 'laptop script' });
    const id = await newestTokenId(server, user);
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
    const browser = await InjectedBrowser.signIn(server, user);
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
    const here = await InjectedBrowser.signIn(server, user, '192.0.2.1', 'Firefox/140');
    const there = await InjectedBrowser.signIn(server, user, '192.0.2.2', 'Safari/18');
    const someoneElse = await InjectedBrowser.signIn(server, await server.createUser(), '192.0.2.3', 'Chrome/130');

    clock.advance(30_000);
    const page = (await here.get('/settings/sessions')).body;
    assert.match(page, /href="\/settings\/sessions" aria-current="page"/);
    assert.deepEqual(testIdTexts(page, 'session-address').sort(), ['192.0.2.1', '192.0.2.2']);
    assert.deepEqual(testIdTexts(page, 'session-agent').sort(), ['Firefox/140', 'Safari/18']);
    assert.equal(testIdTexts(page, 'this-browser').length, 1);
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
    await new InjectedBrowser(server, here.session, '192.0.2.99', 'Firefox/141').get('/settings/sessions');
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
