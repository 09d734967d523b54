/**
 * The security log on every store: each token change writes its event in the same transaction, with who caused it
 * and from where; a change that rolls back leaves no event; a user reads only their own events.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signUp } from '../../src/domain/accounts.ts';
import { ADMIN_CONTEXT, listSecurityEvents } from '../../src/domain/security-log.ts';
import {
  createPersonalAccessToken, deletePersonalAccessToken, regeneratePersonalAccessToken, revokePersonalAccessTokenByNote,
} from '../../src/domain/tokens.ts';
import { createDeps } from '../../src/runtime.ts';
import { fakeClock } from '../helpers/fake-clock.ts';
import { openTestDatabase } from '../helpers/store.ts';

test('token changes are logged with their actor and origin, newest first; a rolled-back change logs nothing', async (t) => {
  const { config, db } = await openTestDatabase(t);
  const clock = fakeClock();
  const deps = createDeps(config, db, { clock, mailer: { send: async () => {} } });
  const signed = await signUp(deps, { username: 'logged', email: 'logged@example.test', password: 'correct horse battery' }, { verified: true });
  const other = await signUp(deps, { username: 'other', email: 'other@example.test', password: 'correct horse battery' }, { verified: true });
  assert.ok(signed.ok && other.ok);
  const web = { actor: 'owner' as const, clientAddress: '203.0.113.9', userAgent: 'Mozilla/5.0\u0007 test' };

  const laptop = await createPersonalAccessToken(deps, signed.user, { note: 'laptop', scopes: ['repo'], expiresAt: null }, web);
  assert.ok(laptop.ok);
  clock.advance(1000);
  const duplicate = await createPersonalAccessToken(deps, signed.user, { note: 'laptop', scopes: [], expiresAt: null }, web);
  assert.equal(duplicate.ok, false, 'a taken note rolls the insert back');
  clock.advance(1000);
  assert.ok((await regeneratePersonalAccessToken(deps, signed.user, laptop.token.id, null, web)).ok);
  clock.advance(1000);
  const ci = await createPersonalAccessToken(deps, signed.user, { note: 'ci', scopes: [], expiresAt: null }, ADMIN_CONTEXT);
  assert.ok(ci.ok);
  clock.advance(1000);
  assert.ok(await revokePersonalAccessTokenByNote(deps, signed.user, 'ci', ADMIN_CONTEXT));
  clock.advance(1000);
  assert.ok(await deletePersonalAccessToken(deps, signed.user, laptop.token.id, web));
  assert.equal(await deletePersonalAccessToken(deps, signed.user, laptop.token.id, web), false, 'deleting again changes nothing');
  assert.ok((await createPersonalAccessToken(deps, other.user, { note: 'theirs', scopes: [], expiresAt: null })).ok);

  const { events, hasMore } = await listSecurityEvents(deps, signed.user, { page: 1, perPage: 10 });
  assert.equal(hasMore, false);
  assert.deepEqual(events.map((event) => [event.kind, event.actor, event.tokenNote, event.clientAddress]), [
    ['token.deleted', 'owner', 'laptop', '203.0.113.9'],
    ['token.deleted', 'admin', 'ci', null],
    ['token.created', 'admin', 'ci', null],
    ['token.regenerated', 'owner', 'laptop', '203.0.113.9'],
    ['token.created', 'owner', 'laptop', '203.0.113.9'],
  ]);
  assert.equal(events[0]!.userAgent, 'Mozilla/5.0 test', 'control characters are dropped from user agents');
  assert.deepEqual(events.map((event) => event.createdAt.getTime() - events.at(-1)!.createdAt.getTime()), [5000, 4000, 3000, 2000, 0]);

  const page2 = await listSecurityEvents(deps, signed.user, { page: 2, perPage: 2 });
  assert.deepEqual(page2.events.map((event) => event.kind), ['token.created', 'token.regenerated']);
  assert.equal(page2.hasMore, true);
  const created = await listSecurityEvents(deps, signed.user, { kind: 'token.created', page: 1, perPage: 10 });
  assert.deepEqual(created.events.map((event) => event.tokenNote), ['ci', 'laptop']);
  const theirs = await listSecurityEvents(deps, other.user, { page: 1, perPage: 10 });
  assert.deepEqual(theirs.events.map((event) => event.tokenNote), ['theirs'], 'another user sees only their own');
});
