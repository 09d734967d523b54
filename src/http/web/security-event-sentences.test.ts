import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECURITY_EVENT_KINDS, type SecurityEvent } from '../../domain/security-log.ts';
import { LOCALES } from '../../i18n/locales.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { describeActor, describeSecurityEvent, securityEventKindLabel } from './security-event-sentences.ts';

const event = (kind: SecurityEvent['kind'], organizationLogin: string | null = 'acme'): SecurityEvent => ({
  id: 1, kind, actor: 'anonymous', tokenId: 7, tokenNote: 'laptop', organizationLogin, clientAddress: null, userAgent: null, createdAt: new Date(0),
});

const { t: en } = translatorFor('en');
const { t: ru } = translatorFor('ru');

test('every kind has a sentence and a label in every language; token events name the token by its note', () => {
  for (const locale of LOCALES) {
    const { t } = translatorFor(locale);
    for (const kind of SECURITY_EVENT_KINDS) {
      for (const sentence of [describeSecurityEvent(t, event(kind)), describeSecurityEvent(t, event(kind, null)), securityEventKindLabel(t, kind)]) {
        // i18next answers a missing key with the key itself.
        assert.ok(sentence.length > 0 && !sentence.includes('security:') && !sentence.includes('{{'), `${locale} ${kind}: ${sentence}`);
      }
      const sentence = describeSecurityEvent(t, event(kind));
      if (kind.startsWith('token.')) assert.ok(sentence.includes('laptop'), `${locale} ${kind}: ${sentence}`);
      if (kind.startsWith('organization.')) assert.ok(sentence.includes('acme') && !sentence.includes('laptop'), `${locale} ${kind}: ${sentence}`);
    }
  }
});

test('the English sentences', () => {
  assert.equal(describeSecurityEvent(en, event('token.revoked_leaked')), 'Revoked personal access token “laptop” because it was found in a public place');
  assert.equal(describeActor(en, 'anonymous'), 'Someone who reported it');
  assert.equal(describeSecurityEvent(en, event('organization.member_removed')), 'Removed from organization acme');
  assert.equal(describeSecurityEvent(en, event('token.sso_authorized')), 'Authorized personal access token “laptop” for single sign-on to acme');
  assert.equal(describeSecurityEvent(en, event('token.sso_authorized', null)), 'Authorized personal access token “laptop” for single sign-on');
  assert.equal(describeSecurityEvent(en, event('token.sso_unauthorized')), 'Removed the single sign-on authorization for acme from personal access token “laptop”');
  assert.equal(describeSecurityEvent(en, { ...event('token.deleted'), tokenNote: null }), 'Deleted personal access token “unknown”');
  assert.equal(describeActor(en, 'organization_owner'), 'An owner of the organization');
  assert.equal(securityEventKindLabel(en, 'token.sso_authorized'), 'Token authorized for SSO');
});

test('the Russian sentences', () => {
  assert.equal(describeSecurityEvent(ru, event('token.revoked_leaked')), 'Отозван персональный токен доступа «laptop»: он обнаружен в открытом доступе');
  assert.equal(describeSecurityEvent(ru, event('organization.member_removed')), 'Вы удалены из организации acme');
  assert.equal(describeActor(ru, 'owner'), 'Вы');
  assert.equal(securityEventKindLabel(ru, 'token.created'), 'Токен создан');
});
