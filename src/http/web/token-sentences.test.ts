import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_SCOPES, SCOPE_TREE, type ScopeDefinition } from '../../domain/scopes.ts';
import { LOCALES } from '../../i18n/locales.ts';
import { readLocaleFiles, translatorFor } from '../../i18n/translator.ts';
import { describeDisusePolicy, describeExpirationProblem, describeLastUse, describeScope, describeTokenProblems } from './token-sentences.ts';

const en = translatorFor('en').t;
const ru = translatorFor('ru').t;

function domainDescriptions(definitions: readonly ScopeDefinition[], into = new Map<string, string>()): Map<string, string> {
  for (const definition of definitions) {
    into.set(definition.name, definition.description);
    domainDescriptions(definition.children ?? [], into);
  }
  return into;
}

test('every scope is described in every language, and no description is of a scope that does not exist', () => {
  const resources = readLocaleFiles();
  for (const locale of LOCALES) {
    const described = resources[locale]?.scopes ?? {};
    assert.deepEqual(Object.keys(described).sort(), [...ALL_SCOPES].sort(), `${locale}/scopes.json names exactly the scopes`);
    for (const scope of ALL_SCOPES) {
      const text = describeScope(translatorFor(locale).t, scope);
      assert.ok(text !== scope && text.trim().length > 0, `${locale}: ${scope} has a description`);
    }
  }
});

test("the English descriptions are the domain's (scopes.ts), which the API and the CLI keep using", () => {
  for (const [scope, description] of domainDescriptions(SCOPE_TREE)) assert.equal(describeScope(en, scope), description, scope);
  assert.equal(describeScope(ru, 'read:org'), 'Чтение членства в организациях и командах, чтение проектов организаций');
  assert.equal(describeScope(ru, 'repo'), 'Полный доступ к закрытым репозиториям');
});

test('last use in GitHub\'s words in English, and with the Russian plural the number needs', () => {
  const within = (count: number, unit: 'week' | 'month' | 'year') => ({ kind: 'within', count, unit }) as const;
  assert.equal(describeLastUse(en, { kind: 'never' }), 'Never used');
  assert.equal(describeLastUse(en, within(1, 'week')), 'Last used within the last week');
  assert.equal(describeLastUse(en, within(3, 'month')), 'Last used within the last 3 months');
  assert.equal(describeLastUse(en, within(2, 'year')), 'Last used within the last 2 years');
  assert.deepEqual([
    { kind: 'never' } as const, within(1, 'week'), within(2, 'week'), within(5, 'week'), within(1, 'month'), within(3, 'month'),
    within(6, 'month'), within(1, 'year'), within(2, 'year'), within(5, 'year'), within(21, 'year'),
  ].map((bucket) => describeLastUse(ru, bucket)), [
    'Ни разу не использовался', 'Использовался за последнюю неделю', 'Использовался за последние 2 недели',
    'Использовался за последние 5 недель', 'Использовался за последний месяц', 'Использовался за последние 3 месяца',
    'Использовался за последние 6 месяцев', 'Использовался за последний год', 'Использовался за последние 2 года',
    'Использовался за последние 5 лет', 'Использовался за последний 21 год',
  ]);
});

test('the expiration choices count days: 1 день, 2 дня, 5 дней', () => {
  assert.deepEqual([1, 2, 5, 7, 21, 30].map((count) => ru('tokens:expiration.days', { count })),
    ['1 день', '2 дня', '5 дней', '7 дней', '21 день', '30 дней']);
  assert.deepEqual([1, 30].map((count) => en('tokens:expiration.days', { count })), ['1 day', '30 days']);
});

test('the removal of unused tokens, with the warnings before it', () => {
  assert.equal(describeDisusePolicy(en, 'en', 365, [30, 7]), 'Tokens not used for 365 days are removed; you are mailed 30 and 7 days before.');
  assert.equal(describeDisusePolicy(en, 'en', 5, []), 'Tokens not used for 5 days are removed.');
  assert.equal(describeDisusePolicy(ru, 'ru', 365, [30, 7]),
    'Токены, которые не использовались 365 дней, удаляются; предупреждение приходит на почту за 30 и 7 дней до удаления.');
  assert.equal(describeDisusePolicy(ru, 'ru', 22, [7]),
    'Токены, которые не использовались 22 дня, удаляются; предупреждение приходит на почту за 7 дней до удаления.');
  assert.equal(describeDisusePolicy(ru, 'ru', 1, []), 'Токены, которые не использовались 1 день, удаляются.');
});

test("a token form's field errors, from the domain's codes", () => {
  assert.deepEqual(describeTokenProblems(en, { note: 'taken', scopes: ['bogus', 'nope'], expiration: 'not_in_the_future' }), {
    note: 'Note has already been taken.', scopes: 'Unknown scope: bogus, nope.', expiration: 'Expiration must be in the future.',
  });
  assert.equal(describeTokenProblems(en, { note: 'too_long' }).note, 'Note is too long (maximum is 255 characters).');
  assert.equal(describeTokenProblems(en, { note: 'bidi_control' }).note,
    'Note can\'t contain characters that change the direction of the text (U+202A–U+202E, U+2066–U+2069).');
  assert.equal(describeExpirationProblem(en, 'days_out_of_range'), 'Expiration must be between 1 and 366 days.');
  assert.equal(describeExpirationProblem(en, 'malformed_date'), 'Enter the custom expiration date as YYYY-MM-DD.');
  assert.deepEqual(describeTokenProblems(ru, { note: 'too_long', scopes: ['bogus'] }), {
    note: 'Примечание слишком длинное (не более 255 символов).', scopes: 'Неизвестная область доступа: bogus.',
  });
  assert.equal(describeTokenProblems(ru, { scopes: ['a', 'b'] }).scopes, 'Неизвестные области доступа: a, b.');
  assert.equal(describeExpirationProblem(ru, 'days_out_of_range'), 'Срок действия должен быть от 1 до 366 дней.');
});
