/**
 * The security log in the reader's language: a sentence per event kind and a label per kind for the filter, from
 * locales/<language>/security.json (`events.<kind>`, `kinds.<kind>`; a kind's dot nests its key). Kept apart from
 * the domain's codes (security-log.ts). The test beside this file checks that every kind has its words.
 */
import type { SecurityEvent, SecurityEventKind } from '../../domain/security-log.ts';
import type { Translate } from '../../i18n/translator.ts';

/** Single sign-on events said without an organization, when it is not known. */
const NAMING_AN_ORGANIZATION = new Set<SecurityEventKind>(['token.sso_authorized', 'token.sso_unauthorized']);

/**
 * Each sentence names its subject: the token's note, or for organization events the organization's login; single
 * sign-on events name both.
 */
export function describeSecurityEvent(t: Translate, event: SecurityEvent): string {
  const note = event.tokenNote ?? t('security:unknownNote');
  if (NAMING_AN_ORGANIZATION.has(event.kind) && event.organizationLogin === null) {
    return t(`security:eventsWithoutOrganization.${event.kind}`, { note });
  }
  const organization = event.organizationLogin ?? t('security:unknownOrganization');
  return t(`security:events.${event.kind}`, { note, organization });
}

export function securityEventKindLabel(t: Translate, kind: SecurityEventKind): string {
  return t(`security:kinds.${kind}`);
}

export function describeActor(t: Translate, actor: SecurityEvent['actor']): string {
  return t(`security:actors.${actor}`);
}
