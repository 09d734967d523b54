/**
 * The security log in English: a sentence per event kind and a label per kind for the filter. Kept apart from the
 * domain's codes (security-log.ts) so that another language is another copy of this file. A Record over every kind
 * makes a new kind without words a type error.
 */
import type { SecurityEvent, SecurityEventKind } from '../../domain/security-log.ts';

const quoted = (note: string | null) => `“${note ?? 'unknown'}”`;

/**
 * Each sentence names its subject: the token's note, or for organization events the organization's login; single
 * sign-on events name both.
 */
const SENTENCES: Record<SecurityEventKind, (subject: string | null, organization: string | null) => string> = {
  'token.created': (note) => `Created personal access token ${quoted(note)}`,
  'token.regenerated': (note) => `Regenerated personal access token ${quoted(note)}`,
  'token.deleted': (note) => `Deleted personal access token ${quoted(note)}`,
  'token.expired': (note) => `Personal access token ${quoted(note)} expired`,
  'token.removed_unused': (note) => `Removed personal access token ${quoted(note)} because it was not used for a long time`,
  'token.restored': (note) => `Restored personal access token ${quoted(note)}`,
  'token.revoked_leaked': (note) => `Revoked personal access token ${quoted(note)} because it was found in a public place`,
  'token.sso_authorized': (note, login) => `Authorized personal access token ${quoted(note)} for single sign-on${login ? ` to ${login}` : ''}`,
  'token.sso_unauthorized': (note, login) => `Removed the single sign-on authorization${login ? ` for ${login}` : ''} from personal access token ${quoted(note)}`,
  'session.revoked': () => 'Signed out a browser session',
  'account.password_changed': () => 'Changed the account password',
  'account.password_reset': () => 'Reset the account password with a link mailed to the account\'s address',
  'account.email_changed': () => 'Changed the account\'s email address',
  'account.suspended': () => 'Suspended the account',
  'account.unsuspended': () => 'Lifted the account\'s suspension',
  'organization.created': (login) => `Created organization ${login ?? 'unknown'}, as its owner`,
  'organization.member_added': (login) => `Added to organization ${login ?? 'unknown'} as a member`,
  'organization.owner_added': (login) => `Added to organization ${login ?? 'unknown'} as an owner`,
  'organization.made_owner': (login) => `Made an owner of organization ${login ?? 'unknown'}`,
  'organization.made_member': (login) => `Changed from owner to member of organization ${login ?? 'unknown'}`,
  'organization.member_removed': (login) => `Removed from organization ${login ?? 'unknown'}`,
};

export const SECURITY_EVENT_KIND_LABELS: Record<SecurityEventKind, string> = {
  'token.created': 'Token created',
  'token.regenerated': 'Token regenerated',
  'token.deleted': 'Token deleted',
  'token.expired': 'Token expired',
  'token.removed_unused': 'Token removed for disuse',
  'token.restored': 'Token restored',
  'token.revoked_leaked': 'Token revoked as leaked',
  'token.sso_authorized': 'Token authorized for SSO',
  'token.sso_unauthorized': 'Token SSO authorization removed',
  'session.revoked': 'Session signed out',
  'account.password_changed': 'Password changed',
  'account.password_reset': 'Password reset',
  'account.email_changed': 'Email address changed',
  'account.suspended': 'Account suspended',
  'account.unsuspended': 'Account unsuspended',
  'organization.created': 'Organization created',
  'organization.member_added': 'Added to an organization',
  'organization.owner_added': 'Added to an organization as owner',
  'organization.made_owner': 'Made an organization owner',
  'organization.made_member': 'Organization owner role removed',
  'organization.member_removed': 'Removed from an organization',
};

const ACTORS: Record<SecurityEvent['actor'], string> = {
  owner: 'You',
  admin: 'An administrator',
  system: 'Tessera',
  anonymous: 'Someone who reported it',
  organization_owner: 'An owner of the organization',
};

export function describeSecurityEvent(event: SecurityEvent): string {
  return SENTENCES[event.kind](event.kind.startsWith('organization.') ? event.organizationLogin : event.tokenNote, event.organizationLogin);
}

export function describeActor(actor: SecurityEvent['actor']): string {
  return ACTORS[actor];
}
