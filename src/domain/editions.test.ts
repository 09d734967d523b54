import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_EDITION, EDITION_NAMES, EDITION_RULES, isEditionName, resolveEdition } from './editions.ts';

test('what each edition decides', () => {
  assert.equal(DEFAULT_EDITION, 'server');
  assert.deepEqual(EDITION_NAMES, ['cloud', 'server', 'managed']);
  const table = EDITION_NAMES.map((name) => [name, EDITION_RULES[name].samlTokenAuthorization, EDITION_RULES[name].unusedTokenDays, EDITION_RULES[name].apiRateLimit, EDITION_RULES[name].apiAnonymousRateLimit]);
  assert.deepEqual(table, [
    ['cloud', true, 365, 5000, 60],
    ['server', false, 0, 5000, 60],
    ['managed', true, 0, 15000, 60],
  ]);
});

test('a verified email before a token: always in cloud and managed, by default on a server, which may turn it off', () => {
  const cases = [
    { name: 'cloud', setting: undefined, expected: true },
    { name: 'cloud', setting: true, expected: true },
    { name: 'cloud', setting: false, expected: 'verified_email_required' },
    { name: 'managed', setting: undefined, expected: true },
    { name: 'managed', setting: false, expected: 'verified_email_required' },
    { name: 'server', setting: undefined, expected: true },
    { name: 'server', setting: true, expected: true },
    { name: 'server', setting: false, expected: false },
  ] as const;
  for (const { name, setting, expected } of cases) {
    const result = resolveEdition(name, setting);
    const got = result.ok ? result.edition.requireVerifiedEmail : result.code;
    assert.equal(got, expected, `${name} with ${String(setting)}`);
    if (result.ok) assert.deepEqual(result.edition, { name, requireVerifiedEmail: expected, samlTokenAuthorization: name !== 'server' });
  }
});

test('edition names are a closed list', () => {
  for (const name of EDITION_NAMES) assert.ok(isEditionName(name));
  for (const name of ['Cloud', 'enterprise', '', 'constructor', 'toString', '__proto__']) assert.equal(isEditionName(name), false, name);
});
