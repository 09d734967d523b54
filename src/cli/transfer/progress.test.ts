import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startProgress } from './progress.ts';

function recorder(isTTY: boolean) {
  const writes: string[] = [];
  let time = 0;
  return { output: { isTTY, write: (text: string) => void writes.push(text) }, writes, now: () => time, advance: (ms: number) => { time += ms; } };
}

test('off a terminal: one line at the start, at most one a second, and the final figures', () => {
  const r = recorder(false);
  const progress = startProgress('import', { users: 1200, personal_access_tokens: 3400 }, r.output, r.now);
  progress.advance('users', 500);
  r.advance(999);
  progress.advance('users', 500);
  assert.deepEqual(r.writes, ['import: users 0/1,200, tokens 0/3,400\n'], 'nothing new within the second');
  r.advance(1);
  progress.advance('users', 200);
  progress.advance('personal_access_tokens', 3400);
  progress.finish();
  assert.deepEqual(r.writes, [
    'import: users 0/1,200, tokens 0/3,400\n',
    'import: users 1,200/1,200, tokens 0/3,400\n',
    'import: users 1,200/1,200, tokens 3,400/3,400\n',
  ]);
});

test('on a terminal: the line is rewritten in place, and ended by finish', () => {
  const r = recorder(true);
  const progress = startProgress('export', { repositories: 10 }, r.output, r.now);
  r.advance(100);
  progress.advance('repositories', 4);
  progress.finish();
  assert.deepEqual(r.writes, [
    '\rexport: repositories 0/10\x1b[K',
    '\rexport: repositories 4/10\x1b[K',
    '\rexport: repositories 4/10\x1b[K\n',
  ]);
});
