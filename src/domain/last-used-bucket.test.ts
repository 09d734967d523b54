import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from './deps.ts';
import { lastUsedBucket, type LastUsedBucket } from './last-used-bucket.ts';

const NOW = new Date('2026-11-25T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);
const within = (count: number, unit: 'week' | 'month' | 'year'): LastUsedBucket => ({ kind: 'within', count, unit });

test('last use in GitHub\'s steps, at each edge, one second before and one after', () => {
  const cases: Array<[string, Date | null, LastUsedBucket]> = [
    ['never used', null, { kind: 'never' }],
    ['just now', NOW, within(1, 'week')],
    ['a second in the future (another clock)', new Date(NOW.getTime() + 1000), within(1, 'week')],
    ['7 days − 1 s', ago(7 * DAY_MS - 1000), within(1, 'week')],
    ['exactly 7 days', ago(7 * DAY_MS), within(1, 'week')],
    ['7 days + 1 s', ago(7 * DAY_MS + 1000), within(2, 'week')],
    ['exactly 14 days', ago(14 * DAY_MS), within(2, 'week')],
    ['14 days + 1 s', ago(14 * DAY_MS + 1000), within(1, 'month')],
    ['exactly 30 days', ago(30 * DAY_MS), within(1, 'month')],
    ['30 days + 1 s', ago(30 * DAY_MS + 1000), within(3, 'month')],
    ['exactly 90 days', ago(90 * DAY_MS), within(3, 'month')],
    ['90 days + 1 s', ago(90 * DAY_MS + 1000), within(6, 'month')],
    ['exactly 180 days', ago(180 * DAY_MS), within(6, 'month')],
    ['180 days + 1 s', ago(180 * DAY_MS + 1000), within(1, 'year')],
    ['365 days − 1 s', ago(365 * DAY_MS - 1000), within(1, 'year')],
    ['exactly 365 days', ago(365 * DAY_MS), within(1, 'year')],
    ['365 days + 1 s', ago(365 * DAY_MS + 1000), within(2, 'year')],
    ['exactly 730 days', ago(730 * DAY_MS), within(2, 'year')],
    ['730 days + 1 s', ago(730 * DAY_MS + 1000), within(3, 'year')],
  ];
  for (const [name, lastUsedAt, expected] of cases) assert.deepEqual(lastUsedBucket(lastUsedAt, NOW), expected, name);
});
