/**
 * Every refused single sign-on has its two sentences in every language: a code whose words are missing from a locale
 * file would show the key itself on the error page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LOCALES } from '../../../i18n/locales.ts';
import { translatorFor } from '../../../i18n/translator.ts';
import { describeSignInFailure, SIGN_IN_FAILURES } from './sign-in-failure-messages.ts';

const sp = { entityId: 'https://tessera.test/orgs/acme', acsUrl: 'https://tessera.test/orgs/acme/saml/consume', metadataUrl: 'https://tessera.test/orgs/acme/saml/metadata' };

test('each refusal says what was wrong and what to do, in English and in Russian', () => {
  for (const code of SIGN_IN_FAILURES) {
    const [english, russian] = LOCALES.map((locale) => describeSignInFailure(translatorFor(locale).t, code, 'acme', sp));
    for (const words of [english!, russian!]) {
      assert.doesNotMatch(`${words.problem} ${words.remedy}`, /signInFailure|\{\{/, `${code}: words, not a key or a placeholder`);
      assert.match(words.problem, /\.$/, `${code}: the problem is a sentence`);
    }
    assert.notEqual(russian!.problem, english!.problem, `${code}: said in Russian`);
    assert.match(russian!.problem, /[а-яё]/i, `${code}: in Russian letters`);
  }
});

test('the values go into the sentences: the organization, and the addresses its IdP must use', () => {
  const { t } = translatorFor('ru');
  assert.deepEqual(describeSignInFailure(t, 'not_a_member', 'acme', sp), {
    problem: 'Вы не являетесь участником acme (или, для пробного входа, одним из её владельцев).',
    remedy: 'Попросите владельца acme добавить вас.',
  });
  assert.match(describeSignInFailure(t, 'wrong_destination', 'acme', sp).remedy, /\(ACS\) должен быть https:\/\/tessera\.test\/orgs\/acme\/saml\/consume\.$/);
  assert.match(describeSignInFailure(translatorFor('en').t, 'wrong_audience', 'acme', sp).remedy, /The audience \(SP entity ID\) must be https:\/\/tessera\.test\/orgs\/acme\.$/);
});
