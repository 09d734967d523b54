import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OneTimeEntry, OneTimeStore } from '../../domain/shared-state.ts';
import { createMemoryOneTimeStore } from '../../shared-state/memory-one-time-store.ts';
import { createNewTokenFlash, NEW_TOKEN_FLASH_TTL_MS } from './new-token-flash.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);
const flashInMemory = () => createNewTokenFlash(createMemoryOneTimeStore());

test('a new token is shown once, to its own session only', async () => {
  const flash = flashInMemory();
  await flash.put('session-a', { tokenId: 1, secret: 'tsp_a' }, NOW);
  assert.deepEqual(await flash.take('session-b', NOW), []);
  assert.deepEqual(await flash.take('session-a', NOW), [{ tokenId: 1, secret: 'tsp_a' }]);
  assert.deepEqual(await flash.take('session-a', NOW), []);
});

test('tokens generated in two tabs before the list renders are both shown, newest first', async () => {
  const flash = flashInMemory();
  await flash.put('s', { tokenId: 1, secret: 'tsp_one' }, NOW);
  await flash.put('s', { tokenId: 2, secret: 'tsp_two' }, at(1000));
  assert.deepEqual((await flash.take('s', at(2000))).map((entry) => entry.secret), ['tsp_two', 'tsp_one']);
});

test('regenerating a token twice keeps only its latest secret', async () => {
  const flash = flashInMemory();
  await flash.put('s', { tokenId: 7, secret: 'tsp_old' }, NOW);
  await flash.put('s', { tokenId: 7, secret: 'tsp_new' }, NOW);
  assert.deepEqual(await flash.take('s', NOW), [{ tokenId: 7, secret: 'tsp_new' }]);
});

test('an unread token is dropped exactly when its time is up', async () => {
  const flash = flashInMemory();
  await flash.put('s', { tokenId: 1, secret: 'tsp_a' }, NOW);
  assert.equal((await flash.take('s', at(NEW_TOKEN_FLASH_TTL_MS - 1))).length, 1);
  await flash.put('s', { tokenId: 1, secret: 'tsp_a' }, NOW);
  assert.equal((await flash.take('s', at(NEW_TOKEN_FLASH_TTL_MS))).length, 0);
});

test('the shared store never holds the session secret or the token, only what needs the session cookie to open', async () => {
  const seen: Array<{ key: string; entry: OneTimeEntry }> = [];
  const memory = createMemoryOneTimeStore();
  const recording: OneTimeStore = {
    put: async (key, field, value, ttl, now) => {
      seen.push({ key, entry: { field, value } });
      await memory.put(key, field, value, ttl, now);
    },
    take: (key, now) => memory.take(key, now),
  };
  const flash = createNewTokenFlash(recording);
  const sessionSecret = 'cookie-secret-abcdef';
  const token = 'tsp_0123456789abcdefghijklmnopqrst012345';
  await flash.put(sessionSecret, { tokenId: 3, secret: token }, NOW);
  const stored = JSON.stringify(seen);
  assert.ok(!stored.includes(sessionSecret) && !stored.includes(token) && !stored.includes('tsp_'), stored);
  assert.deepEqual(await flash.take(sessionSecret, NOW), [{ tokenId: 3, secret: token }]);
});
