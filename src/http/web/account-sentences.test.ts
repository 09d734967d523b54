import { test } from 'node:test';
import assert from 'node:assert/strict';
import { translations } from '@zxcvbn-ts/language-en';
import { readLocaleFiles, translatorFor } from '../../i18n/translator.ts';
import { describePasswordProblem, describeSignUpProblems } from './account-sentences.ts';

const { t: en } = translatorFor('en');
const { t: ru } = translatorFor('ru');

test("the English password feedback is zxcvbn-ts's own, key for key", () => {
  const account = readLocaleFiles().en!.account as { passwordFeedback: unknown };
  assert.deepEqual(account.passwordFeedback, { warnings: translations.warnings, suggestions: translations.suggestions });
});

test('a refused password, in each language; a key the estimator gives that no file has is left out', () => {
  const verdict = { ok: false as const, code: 'too_weak' as const, warning: 'common', suggestions: ['anotherWord', 'toString'] };
  assert.equal(describePasswordProblem(en, verdict), 'Password is too easy to guess. This is a commonly used password. Add more words that are less common.');
  assert.equal(describePasswordProblem(ru, verdict, 'newPassword'), 'Новый пароль слишком легко угадать. Это часто используемый пароль. Добавьте ещё несколько редких слов.');
  assert.equal(describePasswordProblem(en, { ok: false, code: 'too_short' }, 'newPassword'), 'New password is too short (minimum is 8 characters).');
  assert.equal(describePasswordProblem(ru, { ok: false, code: 'too_long' }), 'Пароль слишком длинный (максимум 256 символов).');
  assert.deepEqual(describeSignUpProblems(ru, { username: 'taken', email: 'taken' }, 'mona'), {
    username: 'Имя пользователя mona недоступно.', email: 'Этот адрес электронной почты уже используется другой учётной записью.',
  });
});
