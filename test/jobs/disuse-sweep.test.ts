/**
 * Removal after TESSERA_UNUSED_TOKEN_DAYS unused: warnings 30 and 7 days before (a use keeps the token), removal at
 * the threshold and not a day before, restoring for 30 days (same secret) and erasing after; two sweeps at once
 * remove and mail each token once; a clock that jumps back changes nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkToken } from '../../src/domain/tokens.ts';
import { listRestorableTokens, restoreRemovedToken } from '../../src/domain/token-restore.ts';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import { disuseSweepJob } from '../../src/jobs/disuse-sweep.ts';
import { findTokenByNote } from '../../src/store/token-store.ts';
import { assertNoSecretIn, days, openLifecycle } from './lifecycle-fixture.ts';

const WARNING = /will be removed because it is not used/;
const REMOVED = /removed because (it was|they were) not used/;

test('warned at 30 and 7 days before, removed at 365 days and not at 364, mailed which and why, once', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser();
  const secret = await f.server.createToken(user, { note: 'old laptop', scopes: ['repo'] });

  f.at(days(335) - 1000);
  assert.equal((await f.run(disuseSweepJob)).warned, 0);
  f.at(days(335));
  assert.equal((await f.run(disuseSweepJob)).warned, 1);
  assert.equal((await f.run(disuseSweepJob)).warned, 0);
  f.at(days(358));
  assert.equal((await f.run(disuseSweepJob)).warned, 1);
  assert.equal((await f.run(disuseSweepJob)).warned, 0);
  const warnings = await f.mails(WARNING);
  assert.deepEqual(warnings.map((mail) => mail.subject), Array(2).fill('[Tessera] Your personal access token "old laptop" will be removed because it is not used'));
  assert.match(warnings[0]!.text, /Tokens unused for 365 days are removed; this one will be removed on January 1, 2027/);

  f.at(days(364));
  assert.equal((await f.run(disuseSweepJob)).removed, 0);
  assert.ok(await f.isLive(secret));
  f.at(days(365));
  assert.equal((await f.run(disuseSweepJob)).removed, 1);
  assert.equal((await f.run(disuseSweepJob)).removed, 0);
  assert.equal(await f.isLive(secret), false);
  assert.deepEqual(await checkToken(f.server.deps, secret), { ok: false, reason: 'unknown' }, 'refused exactly like a deleted token');
  const api = await f.server.app.inject({ url: '/api/v3/user', headers: { authorization: `token ${secret}` } });
  assert.equal(api.statusCode, 401);
  assert.equal(await findTokenByNote(f.server.db, user.id, 'old laptop'), undefined, 'not in the list any more');

  const removed = await f.mails(REMOVED);
  assert.equal(removed.length, 1);
  assert.equal(removed[0]!.subject, '[Tessera] Your personal access token "old laptop" was removed because it was not used');
  assert.match(removed[0]!.text, /not used for 365 days and has been removed:\n\n- "old laptop" \(repo\)/);
  assert.ok(removed[0]!.text.includes(`${f.server.baseUrl}/settings/tokens`));
  assert.deepEqual(await f.events(user, 'token.removed_unused'), [{ token_note: 'old laptop', actor: 'system' }]);

  f.at(days(100)); // the clock jumps back: nothing is warned, removed or restored again
  assert.deepEqual(await f.run(disuseSweepJob), { removed: 0, warned: 0, erased: 0 });
  assert.equal(await f.isLive(secret), false);
  assert.equal((await f.allMail()).length, 4, 'new-token mail, two warnings, one removal');
  assertNoSecretIn(await f.allMail(), [secret]);
});

test('one use keeps a token: it is not removed, and the next idle year warns again', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser();
  const secret = await f.server.createToken(user, { note: 'used once' });
  f.at(days(340));
  await f.run(disuseSweepJob);
  assert.equal((await f.mails(WARNING)).length, 1);
  assert.ok((await checkToken(f.server.deps, secret)).ok);

  f.at(days(365));
  assert.deepEqual(await f.run(disuseSweepJob), { removed: 0, warned: 0, erased: 0 });
  f.at(days(340 + 335));
  assert.equal((await f.run(disuseSweepJob)).warned, 1);
  f.at(days(340 + 365));
  assert.equal((await f.run(disuseSweepJob)).removed, 1);
});

test('a removed token is restored by its owner within 30 days (same secret), not after, and then erased', async (t) => {
  const f = await openLifecycle(t);
  const user = await f.server.createUser();
  const kept = await f.server.createToken(user, { note: 'restore me', scopes: ['repo', 'user'] });
  const lost = await f.server.createToken(user, { note: 'too late' });
  f.at(days(365));
  assert.equal((await f.run(disuseSweepJob)).removed, 2);
  assert.equal((await f.mails(REMOVED)).length, 1, 'one mail names both');
  assert.match((await f.mails(REMOVED))[0]!.text, /- "restore me" \(repo, user\)\n- "too late" \(repo\)|- "too late" \(repo\)\n- "restore me" \(repo, user\)/);

  // The page lists both under "Removed tokens"; Restore (with the CSRF field) brings one back.
  f.at(days(365 + 29));
  const session = `tessera_session=${await startWebSession(f.server.deps, user)}`;
  const page = await f.server.app.inject({ url: '/settings/tokens', headers: { cookie: session } });
  assert.equal(page.statusCode, 200);
  assert.equal(page.body.match(/data-testid="removed-token-row"/g)?.length, 2);
  assert.match(page.body, /These tokens were not used for 365 days and were removed\./);
  const russian = (await f.server.app.inject({ url: '/settings/tokens', headers: { cookie: session, 'accept-language': 'ru' } })).body;
  assert.match(russian, /<h2 class="h4 text-normal mt-4 mb-2">Удалённые токены<\/h2>/);
  assert.match(russian, /Эти токены не использовались 365 дней и были удалены\./);
  assert.match(russian, /Можно восстановить до \d{1,2} [а-я]+\.? 2027 г\./);
  assert.match(russian, /aria-label="Восстановить: restore me">Восстановить<\/button>/);
  const keptId = (await listRestorableTokens(f.server.deps, user)).find((token) => token.note === 'restore me')!.id;
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const csrfCookie = page.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
  const restore = (body: Record<string, string>) => f.server.app.inject({
    method: 'POST', url: `/settings/tokens/${keptId}/restore`,
    headers: { cookie: `${session}; ${csrfCookie}`, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams(body).toString(),
  });
  assert.equal((await restore({})).statusCode, 403, 'no CSRF field, no restore');
  const restored = await restore({ _csrf: csrfToken });
  assert.equal(restored.statusCode, 302);
  assert.equal(restored.headers.location, '/settings/tokens?notice=restored');
  const again = await checkToken(f.server.deps, kept);
  assert.ok(again.ok, 'the same secret works again');
  assert.deepEqual(again.principal.token.scopes, ['repo', 'user']);
  assert.deepEqual(await f.events(user, 'token.restored'), [{ token_note: 'restore me', actor: 'owner' }]);

  f.at(days(365 + 30));
  const otherId = (await listRestorableTokens(f.server.deps, user)).find((token) => token.note === 'too late');
  assert.equal(otherId, undefined, 'no longer offered after 30 days');
  const lostRow = await f.server.db.selectFrom('personal_access_tokens').select('id').where('note', '=', 'too late').executeTakeFirstOrThrow();
  assert.deepEqual(await restoreRemovedToken(f.server.deps, user, lostRow.id), { ok: false, reason: 'not_found' });
  assert.equal((await f.run(disuseSweepJob)).erased, 1);
  assert.equal(await f.server.db.selectFrom('personal_access_tokens').select('id').where('note', '=', 'too late').executeTakeFirst(), undefined, 'hash erased');
  assert.equal(await f.isLive(lost), false);
  assert.ok(await f.isLive(kept), 'the restored token starts a new idle year');
  assertNoSecretIn(await f.allMail(), [kept, lost]);
});

test('two sweeps at once remove, log and mail each token once', async (t) => {
  const f = await openLifecycle(t);
  const users = [await f.server.createUser(), await f.server.createUser(), await f.server.createUser()];
  const notes: string[] = [];
  for (let i = 0; i < 12; i++) {
    notes.push(`token ${i}`);
    await f.server.createToken(users[i % 3]!, { note: `token ${i}` });
  }
  f.at(days(335));
  const warned = await Promise.all([disuseSweepJob.run(f.server.deps, { batchSize: 2 }), disuseSweepJob.run(f.server.deps, { batchSize: 2 })]);
  assert.equal(warned[0]!.warned! + warned[1]!.warned!, 12);
  assert.deepEqual((await f.mails(WARNING)).map((mail) => /"(token \d+)"/.exec(mail.subject)![1]).sort(), [...notes].sort());

  f.at(days(365));
  const reports = await Promise.all([disuseSweepJob.run(f.server.deps, { batchSize: 2 }), disuseSweepJob.run(f.server.deps, { batchSize: 2 })]);
  assert.equal(reports[0]!.removed! + reports[1]!.removed!, 12);
  const named = (await f.mails(REMOVED)).flatMap((mail) => [...mail.text.matchAll(/^- "(token \d+)"/gm)].map((match) => match[1]));
  assert.deepEqual(named.sort(), [...notes].sort(), 'each token named in exactly one removal mail');
  let events = 0;
  for (const user of users) events += (await f.events(user, 'token.removed_unused')).length;
  assert.equal(events, 12);
});

test('TESSERA_UNUSED_TOKEN_DAYS sets the threshold; 0 never removes', async (t) => {
  const off = await openLifecycle(t, { unusedTokenDays: 0 });
  const secret = await off.server.createToken(await off.server.createUser(), { note: 'forever' });
  off.at(days(3650));
  assert.deepEqual(await off.run(disuseSweepJob), { removed: 0, warned: 0, erased: 0 });
  assert.ok(await off.isLive(secret));

  const short = await openLifecycle(t, { unusedTokenDays: 20 });
  await short.server.createToken(await short.server.createUser(), { note: 'short-lived' });
  short.at(days(13));
  assert.equal((await short.run(disuseSweepJob)).warned, 1, 'only the 7-day warning fits in 20 days');
  short.at(days(20));
  assert.equal((await short.run(disuseSweepJob)).removed, 1);
  assert.match((await short.mails(REMOVED))[0]!.text, /not used for 20 days/);
});
