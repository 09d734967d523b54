import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createNewTokenFlash, NEW_TOKEN_FLASH_TTL_MS } from './new-token-flash.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms);

test('a new token is shown once, to its own session only', () => {
  const flash = createNewTokenFlash();
  flash.put('session-a', { tokenId: 1, secret: 'tsp_a' }, NOW);
  assert.deepEqual(flash.take('session-b', NOW), []);
  assert.deepEqual(flash.take('session-a', NOW), [{ tokenId: 1, secret: 'tsp_a' }]);
  assert.deepEqual(flash.take('session-a', NOW), []);
});

test('tokens generated in two tabs before the list renders are both shown, newest first', () => {
  const flash = createNewTokenFlash();
  flash.put('s', { tokenId: 1, secret: 'tsp_one' }, NOW);
  flash.put('s', { tokenId: 2, secret: 'tsp_two' }, at(1000));
  assert.deepEqual(flash.take('s', at(2000)).map((entry) => entry.secret), ['tsp_two', 'tsp_one']);
});

test('regenerating a token twice keeps only its latest secret', () => {
  const flash = createNewTokenFlash();
  flash.put('s', { tokenId: 7, secret: 'tsp_old' }, NOW);
  flash.put('s', { tokenId: 7, secret: 'tsp_new' }, NOW);
  assert.deepEqual(flash.take('s', NOW), [{ tokenId: 7, secret: 'tsp_new' }]);
});

test('an unread token is dropped exactly when its time is up', () => {
  const flash = createNewTokenFlash();
  flash.put('s', { tokenId: 1, secret: 'tsp_a' }, NOW);
  assert.equal(flash.take('s', at(NEW_TOKEN_FLASH_TTL_MS - 1)).length, 1);
  flash.put('s', { tokenId: 1, secret: 'tsp_a' }, NOW);
  assert.equal(flash.take('s', at(NEW_TOKEN_FLASH_TTL_MS)).length, 0);
});
