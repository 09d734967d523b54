import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SECURITY_EVENT_KINDS, type SecurityEvent } from '../../domain/security-log.ts';
import { describeActor, describeSecurityEvent, SECURITY_EVENT_KIND_LABELS } from './security-event-sentences.ts';

const event = (kind: SecurityEvent['kind']): SecurityEvent => ({
  id: 1, kind, actor: 'anonymous', tokenId: 7, tokenNote: 'laptop', organizationLogin: 'acme', clientAddress: null, userAgent: null, createdAt: new Date(0),
});

test('every kind has a sentence and a label; token events name the token by its note', () => {
  for (const kind of SECURITY_EVENT_KINDS) {
    const sentence = describeSecurityEvent(event(kind));
    assert.ok(sentence.length > 0 && SECURITY_EVENT_KIND_LABELS[kind].length > 0, kind);
    if (kind.startsWith('token.')) assert.ok(sentence.includes('“laptop”'), `${kind}: ${sentence}`);
    if (kind.startsWith('organization.')) assert.ok(sentence.includes('acme') && !sentence.includes('laptop'), `${kind}: ${sentence}`);
  }
  assert.equal(describeSecurityEvent(event('token.revoked_leaked')), 'Revoked personal access token “laptop” because it was found in a public place');
  assert.equal(describeActor('anonymous'), 'Someone who reported it');
  assert.equal(describeSecurityEvent(event('organization.member_removed')), 'Removed from organization acme');
  assert.equal(describeSecurityEvent(event('token.sso_authorized')), 'Authorized personal access token “laptop” for single sign-on to acme');
  assert.equal(describeSecurityEvent(event('token.sso_unauthorized')), 'Removed the single sign-on authorization for acme from personal access token “laptop”');
  assert.equal(describeActor('organization_owner'), 'An owner of the organization');
});
