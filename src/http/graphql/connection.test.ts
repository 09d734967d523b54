import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cursorAt, positionOf, selectSlice, type ConnectionArguments } from './connection.ts';
import { nodeId, parseNodeId } from './node-ids.ts';

/** Relay's slicing over 10 items: [arguments, expected start and end]. */
const SLICES: Array<[ConnectionArguments, { start: number; end: number }]> = [
  [{ first: 3 }, { start: 0, end: 3 }],
  [{ first: 3, after: cursorAt(2) }, { start: 3, end: 6 }],
  [{ first: 3, after: cursorAt(8) }, { start: 9, end: 10 }],
  [{ first: 3, after: cursorAt(9) }, { start: 10, end: 10 }],
  [{ first: 3, after: cursorAt(50) }, { start: 10, end: 10 }],
  [{ last: 3 }, { start: 7, end: 10 }],
  [{ last: 3, before: cursorAt(5) }, { start: 2, end: 5 }],
  [{ last: 3, before: cursorAt(1) }, { start: 0, end: 1 }],
  [{ first: 2, after: cursorAt(1), before: cursorAt(6) }, { start: 2, end: 4 }],
  [{ first: 0 }, { start: 0, end: 0 }],
];

for (const [args, expected] of SLICES) {
  test(`selectSlice ${JSON.stringify(args)}`, () => {
    assert.deepEqual(selectSlice(10, args), { ok: true, ...expected });
  });
}

test('cursors Tessera did not give are refused, not guessed at', () => {
  for (const cursor of ['', 'bm9wZQ==', Buffer.from('cursor:v2:-1').toString('base64'), Buffer.from('cursor:v2:01').toString('base64'), 'x'.repeat(100)]) {
    assert.equal(positionOf(cursor), undefined, cursor);
  }
  assert.deepEqual(selectSlice(10, { first: 1, after: 'bm9wZQ==' }), { ok: false, argument: 'after', cursor: 'bm9wZQ==' });
});

test('node ids are REST\'s node_id and read back only when Tessera made them', () => {
  assert.equal(nodeId('User', 1), 'MDQ6VXNlcjE=');
  assert.equal(nodeId('Repository', 1296269), 'MDEwOlJlcG9zaXRvcnkxMjk2MjY5');
  assert.deepEqual(parseNodeId('MDEwOlJlcG9zaXRvcnkxMjk2MjY5'), { kind: 'Repository', databaseId: 1296269 });
  for (const id of ['', 'MDQ6VXNlcjA=', Buffer.from('04:User1x').toString('base64'), Buffer.from('04:Team1').toString('base64'), '%%%']) {
    assert.equal(parseNodeId(id), undefined, id);
  }
});
