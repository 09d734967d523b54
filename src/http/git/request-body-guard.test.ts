import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import { test, type TestContext } from 'node:test';
import { type BodyGuardFailure, guardRequestBody } from './request-body-guard.ts';

/** A guard between a body the test writes to and a reader that takes everything (or nothing, to stand for a busy git). */
function setUp(t: TestContext, options: { maxBytes?: number; idleTimeoutMs?: number; reading?: boolean }) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const failures: BodyGuardFailure[] = [];
  const received: Buffer[] = [];
  const body = new PassThrough();
  const guard = guardRequestBody({
    maxBytes: options.maxBytes ?? 0, idleTimeoutMs: options.idleTimeoutMs ?? 0, onFailure: (failure) => failures.push(failure),
  });
  body.pipe(guard);
  if (options.reading ?? true) guard.pipe(new Writable({ write(chunk: Buffer, _encoding, callback) { received.push(chunk); callback(); } }));
  const flush = () => new Promise((resolve) => setImmediate(resolve));
  return { failures, received, body, guard, flush, tick: (ms: number) => t.mock.timers.tick(ms) };
}

test('a body that goes silent for the idle timeout fails as idle; one that keeps flowing does not', async (t) => {
  const { failures, body, flush, tick } = setUp(t, { idleTimeoutMs: 1000 });
  for (let i = 0; i < 5; i++) {
    body.write('x');
    await flush();
    tick(999);
  }
  assert.deepEqual(failures, []);
  tick(1);
  assert.deepEqual(failures, ['idle']);
});

test('a body that ends is never timed out afterwards', async (t) => {
  const { failures, body, flush, tick } = setUp(t, { idleTimeoutMs: 1000 });
  body.end('done');
  await flush();
  tick(10_000);
  assert.deepEqual(failures, []);
});

test('while git has not taken what it was given, the wait is not timed', async (t) => {
  const { failures, body, guard, flush, tick } = setUp(t, { idleTimeoutMs: 1000, reading: false });
  body.write(Buffer.alloc(64 * 1024));
  await flush();
  tick(5000);
  assert.deepEqual(failures, [], 'git is busy, not the client');
  guard.resume();
  await flush();
  tick(999);
  assert.deepEqual(failures, []);
  tick(1);
  assert.deepEqual(failures, ['idle'], 'once git reads again, the client is timed again');
});

test('the byte after the limit fails the body as too large; nothing past the limit is passed on', async (t) => {
  const { failures, received, body, flush } = setUp(t, { maxBytes: 10 });
  body.write('0123456789');
  await flush();
  assert.deepEqual(failures, []);
  body.write('a');
  body.write('more that is swallowed');
  await flush();
  assert.deepEqual(failures, ['too_large']);
  assert.equal(Buffer.concat(received).toString(), '0123456789');
});
