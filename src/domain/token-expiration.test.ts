import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_EXPIRATION_DAYS, EXPIRATION_DAY_CHOICES, parseExpiresIn, resolveExpiration,
} from './token-expiration.ts';
import { isTokenExpired } from './tokens.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const MS = 1;
const SECOND = 1000;
const DAY = 24 * 60 * 60 * 1000;

function at(iso: string): Date {
  return new Date(iso);
}

function expiresAtOf(result: ReturnType<typeof resolveExpiration>): Date | null {
  assert.ok(result.ok, `expected a valid expiration, got ${JSON.stringify(result)}`);
  return result.expiresAt;
}

describe('expiration choices', () => {
  test('are GitHub\'s: 7, 30, 60 or 90 days, 30 by default', () => {
    assert.deepEqual([...EXPIRATION_DAY_CHOICES], [7, 30, 60, 90]);
    assert.equal(DEFAULT_EXPIRATION_DAYS, 30);
  });
});

describe('resolveExpiration: a number of days', () => {
  for (const days of [1, 7, 30, 60, 90, 366]) {
    test(`${days} days from now, to the millisecond`, () => {
      assert.deepEqual(expiresAtOf(resolveExpiration({ kind: 'days', days }, NOW)), new Date(NOW.getTime() + days * DAY));
    });
  }

  test('7 days from 2026-11-25T10:00:00.000Z is 2026-12-02T10:00:00.000Z', () => {
    assert.equal(expiresAtOf(resolveExpiration({ kind: 'days', days: 7 }, NOW))!.toISOString(), '2026-12-02T10:00:00.000Z');
  });

  for (const days of [0, -1, 367, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    test(`refuses ${days} days`, () => {
      assert.deepEqual(resolveExpiration({ kind: 'days', days }, NOW), { ok: false, error: 'days_out_of_range' });
    });
  }
});

describe('resolveExpiration: no expiry', () => {
  test('gives null', () => assert.deepEqual(resolveExpiration({ kind: 'none' }, NOW), { ok: true, expiresAt: null }));
});

describe('resolveExpiration: a custom date works through the whole of that day (UTC)', () => {
  test('expires at the start of the next day', () => {
    assert.equal(expiresAtOf(resolveExpiration({ kind: 'date', date: '2026-12-31' }, NOW))!.toISOString(), '2027-01-01T00:00:00.000Z');
    assert.equal(expiresAtOf(resolveExpiration({ kind: 'date', date: '2028-02-29' }, NOW))!.toISOString(), '2028-03-01T00:00:00.000Z');
  });

  test('tomorrow is accepted at every instant of today, up to the last millisecond', () => {
    for (const now of ['2026-11-25T00:00:00.000Z', '2026-11-25T10:00:00.000Z', '2026-11-25T23:59:59.000Z', '2026-11-25T23:59:59.999Z']) {
      assert.equal(expiresAtOf(resolveExpiration({ kind: 'date', date: '2026-11-26' }, at(now)))!.toISOString(), '2026-11-27T00:00:00.000Z', now);
    }
  });

  test('today is refused at every instant of today, from its first millisecond', () => {
    for (const now of ['2026-11-25T00:00:00.000Z', '2026-11-25T00:00:00.001Z', '2026-11-25T12:00:00.000Z', '2026-11-25T23:59:59.999Z']) {
      assert.deepEqual(resolveExpiration({ kind: 'date', date: '2026-11-25' }, at(now)),
        { ok: false, error: 'date_not_after_today' }, now);
    }
  });

  test('yesterday\'s "tomorrow" is refused from midnight on: exactly at the instant, and a second after', () => {
    assert.equal(resolveExpiration({ kind: 'date', date: '2026-11-26' }, at('2026-11-25T23:59:59.999Z')).ok, true);
    assert.equal(resolveExpiration({ kind: 'date', date: '2026-11-26' }, at('2026-11-26T00:00:00.000Z')).ok, false);
    assert.equal(resolveExpiration({ kind: 'date', date: '2026-11-26' }, at('2026-11-26T00:00:01.000Z')).ok, false);
  });

  test('a past date is refused', () => {
    assert.equal(resolveExpiration({ kind: 'date', date: '2020-01-01' }, NOW).ok, false);
  });

  for (const date of ['2026-02-30', '2027-02-29', '2026-13-01', '2026-00-10', '2026-12-00', '2026-12-32', '26-12-01',
    '2026-1-05', '2026/12/01', ' 2026-12-01', '2026-12-01 ', '2026-12-01T00:00', '', 'tomorrow', '+02026-12-01']) {
    test(`refuses ${JSON.stringify(date)} as not a date`, () => {
      assert.deepEqual(resolveExpiration({ kind: 'date', date }, NOW), { ok: false, error: 'malformed_date' });
    });
  }
});

describe('parseExpiresIn (the CLI\'s --expires-in)', () => {
  const table: ReadonlyArray<[string, ReturnType<typeof parseExpiresIn>]> = [
    ['7d', { kind: 'days', days: 7 }],
    ['30d', { kind: 'days', days: 30 }],
    ['366d', { kind: 'days', days: 366 }],
    [' 90d ', { kind: 'days', days: 90 }],
    ['0d', { kind: 'days', days: 0 }],
    ['7', undefined],
    ['7h', undefined],
    ['7D', undefined],
    ['-7d', undefined],
    ['1.5d', undefined],
    ['d', undefined],
    ['', undefined],
    ['7 d', undefined],
  ];
  for (const [text, expected] of table) {
    test(JSON.stringify(text), () => assert.deepEqual(parseExpiresIn(text), expected));
  }

  test('0d parses but is refused when resolved', () => {
    assert.equal(resolveExpiration(parseExpiresIn('0d')!, NOW).ok, false);
  });
});

describe('isTokenExpired', () => {
  const expiresAt = new Date('2026-12-02T10:00:00.000Z');
  const token = { expiresAt };

  test('a token without expiry never expires', () => {
    for (const now of [NOW, new Date('2100-01-01T00:00:00.000Z'), new Date(8.64e15)]) {
      assert.equal(isTokenExpired({ expiresAt: null }, now), false);
    }
  });

  test('works up to one millisecond before the instant', () => {
    assert.equal(isTokenExpired(token, new Date(expiresAt.getTime() - MS)), false);
  });

  test('works one second before the instant', () => {
    assert.equal(isTokenExpired(token, new Date(expiresAt.getTime() - SECOND)), false);
  });

  test('has expired exactly at the instant', () => {
    assert.equal(isTokenExpired(token, new Date(expiresAt.getTime())), true);
  });

  test('has expired one millisecond and one second after', () => {
    assert.equal(isTokenExpired(token, new Date(expiresAt.getTime() + MS)), true);
    assert.equal(isTokenExpired(token, new Date(expiresAt.getTime() + SECOND)), true);
  });

  test('a 7-day token from resolveExpiration works for exactly 7 days', () => {
    const seven = { expiresAt: expiresAtOf(resolveExpiration({ kind: 'days', days: 7 }, NOW)) };
    assert.equal(isTokenExpired(seven, NOW), false);
    assert.equal(isTokenExpired(seven, new Date(NOW.getTime() + 7 * DAY - MS)), false);
    assert.equal(isTokenExpired(seven, new Date(NOW.getTime() + 7 * DAY)), true);
  });

  test('a custom-date token works through the last millisecond of its day and not after', () => {
    const custom = { expiresAt: expiresAtOf(resolveExpiration({ kind: 'date', date: '2026-12-31' }, NOW)) };
    assert.equal(isTokenExpired(custom, at('2026-12-31T00:00:00.000Z')), false);
    assert.equal(isTokenExpired(custom, at('2026-12-31T23:59:59.000Z')), false);
    assert.equal(isTokenExpired(custom, at('2026-12-31T23:59:59.999Z')), false);
    assert.equal(isTokenExpired(custom, at('2027-01-01T00:00:00.000Z')), true);
    assert.equal(isTokenExpired(custom, at('2027-01-01T00:00:01.000Z')), true);
  });
});
