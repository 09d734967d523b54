import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ANONYMOUS_LIMIT_PER_HOUR, AUTHENTICATED_LIMIT_PER_HOUR, createMemoryRateLimiter, RATE_LIMIT_WINDOW_MS,
} from './rate-limits.ts';

const T0 = new Date('2026-11-25T10:00:00.000Z');
const HOUR = 60 * 60 * 1000;

function after(ms: number, from: Date = T0): Date {
  return new Date(from.getTime() + ms);
}

describe('rate-limit constants', () => {
  test('are GitHub\'s: 5,000 an hour with a token, 60 without, in one-hour windows', () => {
    assert.equal(AUTHENTICATED_LIMIT_PER_HOUR, 5000);
    assert.equal(ANONYMOUS_LIMIT_PER_HOUR, 60);
    assert.equal(RATE_LIMIT_WINDOW_MS, HOUR);
  });
});

describe('consume: counting within a window', () => {
  test('counts used and remaining request by request, and resets an hour after the first', () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 1; i <= 5; i++) {
      const state = limiter.consume('k', 5, after(i * 1000));
      assert.deepEqual(state, {
        limit: 5, used: i, remaining: 5 - i, resetAt: after(HOUR + 1000), exceeded: false,
      }, `request ${i}`);
    }
  });

  test('the request after the last allowed one is exceeded; used stays at the limit and remaining at 0', () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 0; i < 3; i++) assert.equal(limiter.consume('k', 3, T0).exceeded, false);
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(limiter.consume('k', 3, after(i)), {
        limit: 3, used: 3, remaining: 0, resetAt: after(HOUR), exceeded: true,
      });
    }
  });

  test('with the anonymous limit, the 61st request in an hour is the first refused', () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 1; i <= 60; i++) {
      const state = limiter.consume('203.0.113.7', ANONYMOUS_LIMIT_PER_HOUR, after(i * 1000));
      assert.equal(state.exceeded, false, `request ${i}`);
      assert.equal(state.remaining, 60 - i);
    }
    assert.equal(limiter.consume('203.0.113.7', ANONYMOUS_LIMIT_PER_HOUR, after(61_000)).exceeded, true);
  });

  test('keys are counted separately', () => {
    const limiter = createMemoryRateLimiter();
    limiter.consume('a', 2, T0);
    limiter.consume('a', 2, T0);
    assert.equal(limiter.consume('a', 2, T0).exceeded, true);
    const b = limiter.consume('b', 2, after(10));
    assert.deepEqual(b, { limit: 2, used: 1, remaining: 1, resetAt: after(HOUR + 10), exceeded: false });
  });

  test('separate limiters share nothing', () => {
    const one = createMemoryRateLimiter();
    const two = createMemoryRateLimiter();
    one.consume('k', 1, T0);
    assert.equal(two.consume('k', 1, T0).exceeded, false);
  });
});

describe('consume: the window resets exactly one hour after its first request', () => {
  function exhausted(): ReturnType<typeof createMemoryRateLimiter> {
    const limiter = createMemoryRateLimiter();
    limiter.consume('k', 2, T0);
    limiter.consume('k', 2, after(30 * 60 * 1000));
    return limiter;
  }

  test('one millisecond before the hour: still the same window, so refused', () => {
    const state = exhausted().consume('k', 2, after(HOUR - 1));
    assert.deepEqual(state, { limit: 2, used: 2, remaining: 0, resetAt: after(HOUR), exceeded: true });
  });

  test('one second before the hour: still the same window, so refused', () => {
    assert.equal(exhausted().consume('k', 2, after(HOUR - 1000)).exceeded, true);
  });

  test('exactly at the hour: a new window that starts now', () => {
    const state = exhausted().consume('k', 2, after(HOUR));
    assert.deepEqual(state, { limit: 2, used: 1, remaining: 1, resetAt: after(2 * HOUR), exceeded: false });
  });

  test('one millisecond and one second after the hour: a new window that starts then', () => {
    assert.deepEqual(exhausted().consume('k', 2, after(HOUR + 1)),
      { limit: 2, used: 1, remaining: 1, resetAt: after(2 * HOUR + 1), exceeded: false });
    assert.deepEqual(exhausted().consume('k', 2, after(HOUR + 1000)),
      { limit: 2, used: 1, remaining: 1, resetAt: after(2 * HOUR + 1000), exceeded: false });
  });

  test('the window does not slide: requests late in the hour do not move the reset', () => {
    const limiter = createMemoryRateLimiter();
    limiter.consume('k', 100, T0);
    const late = limiter.consume('k', 100, after(HOUR - 1));
    assert.equal(late.used, 2);
    assert.deepEqual(late.resetAt, after(HOUR));
    assert.equal(limiter.consume('k', 100, after(HOUR)).used, 1);
  });

  test('a refused request does not extend the window', () => {
    const limiter = createMemoryRateLimiter();
    limiter.consume('k', 1, T0);
    for (let i = 1; i < 100; i++) assert.equal(limiter.consume('k', 1, after(i * 1000)).exceeded, true);
    assert.equal(limiter.consume('k', 1, after(HOUR)).exceeded, false);
  });
});

describe('peek: where a key stands, without counting', () => {
  test('an unseen key has its whole limit and a reset an hour from now', () => {
    const limiter = createMemoryRateLimiter();
    assert.deepEqual(limiter.peek('k', 5000, T0), { limit: 5000, used: 0, remaining: 5000, resetAt: after(HOUR), exceeded: false });
  });

  test('peeking any number of times counts nothing', () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 0; i < 10; i++) limiter.peek('k', 3, after(i));
    assert.deepEqual(limiter.consume('k', 3, after(10)),
      { limit: 3, used: 1, remaining: 2, resetAt: after(HOUR + 10), exceeded: false });
    for (let i = 0; i < 10; i++) {
      assert.deepEqual(limiter.peek('k', 3, after(20 + i)),
        { limit: 3, used: 1, remaining: 2, resetAt: after(HOUR + 10), exceeded: false });
    }
    assert.equal(limiter.consume('k', 3, after(40)).used, 2);
  });

  test('peeking does not start a window', () => {
    const limiter = createMemoryRateLimiter();
    limiter.peek('k', 3, T0);
    const state = limiter.consume('k', 3, after(30 * 60 * 1000));
    assert.deepEqual(state.resetAt, after(HOUR + 30 * 60 * 1000));
  });

  test('shows an exhausted window as exhausted, then a fresh one exactly at the reset', () => {
    const limiter = createMemoryRateLimiter();
    limiter.consume('k', 1, T0);
    limiter.consume('k', 1, T0);
    assert.deepEqual(limiter.peek('k', 1, after(HOUR - 1)), { limit: 1, used: 1, remaining: 0, resetAt: after(HOUR), exceeded: true });
    assert.deepEqual(limiter.peek('k', 1, after(HOUR)), { limit: 1, used: 0, remaining: 1, resetAt: after(2 * HOUR), exceeded: false });
  });

  test('at exactly the limit a peek is not exceeded: the last allowed request was allowed', () => {
    const limiter = createMemoryRateLimiter();
    limiter.consume('k', 2, T0);
    limiter.consume('k', 2, T0);
    assert.deepEqual(limiter.peek('k', 2, T0), { limit: 2, used: 2, remaining: 0, resetAt: after(HOUR), exceeded: false });
  });
});

describe('many keys', () => {
  test('dropping old windows never drops or resets a live one', () => {
    const limiter = createMemoryRateLimiter();
    // Enough idle keys to make the limiter sweep when the next new window starts.
    for (let i = 0; i < 10_000; i++) limiter.consume(`idle-${i}`, 10, T0);
    limiter.consume('live', 10, after(59 * 60 * 1000));
    limiter.consume('live', 10, after(59 * 60 * 1000));
    // A new key after the idle windows are over.
    limiter.consume('newcomer', 10, after(HOUR + 1));
    assert.deepEqual(limiter.peek('live', 10, after(HOUR + 2)),
      { limit: 10, used: 2, remaining: 8, resetAt: after(HOUR + 59 * 60 * 1000), exceeded: false });
    assert.equal(limiter.peek('idle-0', 10, after(HOUR + 2)).used, 0);
    assert.equal(limiter.consume('idle-1', 10, after(HOUR + 3)).used, 1);
  });

  test('sweeping while every window is live keeps them all', () => {
    const limiter = createMemoryRateLimiter();
    for (let i = 0; i < 10_000; i++) limiter.consume(`key-${i}`, 10, T0);
    limiter.consume('newcomer', 10, after(1000));
    for (const i of [0, 1, 5000, 9999]) assert.equal(limiter.peek(`key-${i}`, 10, after(2000)).used, 1, `key-${i}`);
  });
});
