import type { Migration } from 'kysely';
import * as initial from './2026-11-25T10-00-00-initial.ts';
import * as repositoryState from './2026-11-25T22-00-00-repository-state.ts';
import * as securityEvents from './2026-11-25T23-00-00-security-events.ts';
import * as tokenLifecycle from './2026-11-25T23-10-00-token-lifecycle.ts';
import * as tokenUsesAndSessions from './2026-11-25T23-20-00-token-uses-and-sessions.ts';
import * as userLocale from './2026-11-26T00-10-00-user-locale.ts';
import * as ownersAndOrganizations from './2026-11-26T00-30-00-owners-and-organizations.ts';
import * as organizationMembershipVisibility from './2026-11-26T01-10-00-organization-membership-visibility.ts';
import * as securityEventOrganization from './2026-11-26T01-20-00-security-event-organization.ts';
import * as accountSelfService from './2026-11-26T01-00-00-account-self-service.ts';
import * as organizationSso from './2026-11-26T02-30-00-organization-sso.ts';

/** Every migration, by name. Names sort in the order they run; a migration never changes once it has landed. */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-25T10-00-00-initial': initial,
  '2026-11-25T22-00-00-repository-state': repositoryState,
  '2026-11-25T23-00-00-security-events': securityEvents,
  '2026-11-25T23-10-00-token-lifecycle': tokenLifecycle,
  '2026-11-25T23-20-00-token-uses-and-sessions': tokenUsesAndSessions,
  '2026-11-26T00-10-00-user-locale': userLocale,
  '2026-11-26T00-30-00-owners-and-organizations': ownersAndOrganizations,
  '2026-11-26T01-00-00-account-self-service': accountSelfService,
  '2026-11-26T01-10-00-organization-membership-visibility': organizationMembershipVisibility,
  '2026-11-26T01-20-00-security-event-organization': securityEventOrganization,
  '2026-11-26T02-30-00-organization-sso': organizationSso,
};
