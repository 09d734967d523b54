import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ANONYMOUS_LIMIT_PER_HOUR, AUTHENTICATED_LIMIT_PER_HOUR, clientNetworkKey, RATE_LIMIT_WINDOW_MS } from './rate-limits.ts';

test('the default limits are GitHub\'s: 5,000 an hour per user, 60 without a credential, in one-hour windows', () => {
  assert.equal(AUTHENTICATED_LIMIT_PER_HOUR, 5000);
  assert.equal(ANONYMOUS_LIMIT_PER_HOUR, 60);
  assert.equal(RATE_LIMIT_WINDOW_MS, 60 * 60 * 1000);
});

test('client networks: IPv4 whole, IPv4-mapped IPv6 as IPv4, IPv6 by its /64 whatever its spelling', () => {
  const cases: Array<[string, string]> = [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:198.51.100.1', '198.51.100.1'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002::1', '2001:db8:1:2::/64'],
    ['2001:DB8:1:2::ffff', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1:2:3:4', 'fe80:0:0:0::/64'],
  ];
  for (const [address, key] of cases) assert.equal(clientNetworkKey(address), key, address);
  assert.notEqual(clientNetworkKey('2001:db8:1:2::1'), clientNetworkKey('2001:db8:1:3::1'), 'neighbouring /64s are apart');
});
