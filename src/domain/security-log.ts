/**
 * The security log: what happened to a user's credentials, when, caused by whom and from where. Each event is
 * written in the same transaction as the change it records, so the log never shows a change that rolled back and
 * never misses one that committed. Events carry codes (SecurityEventKind); the sentences that describe them live
 * where they are shown (pages, mail, CLI). Never a secret: a token is named by its id and note.
 */
import type { Locale } from '../i18n/locales.ts';
import type { Db, SecurityEventRow, UserRow } from '../store/database.ts';
import { insertSecurityEvent, listSecurityEventsOfUser } from '../store/security-event-store.ts';
import type { Deps } from './deps.ts';

export const SECURITY_EVENT_KINDS = [
  'token.created',
  'token.regenerated',
  'token.deleted',
  'token.expired',
  'token.removed_unused',
  'token.restored',
  'token.revoked_leaked',
  'token.sso_authorized',
  'token.sso_unauthorized',
  'session.revoked',
  'account.password_changed',
  'account.password_reset',
  'account.email_changed',
  'account.suspended',
  'account.unsuspended',
  'organization.created',
  'organization.member_added',
  'organization.owner_added',
  'organization.made_owner',
  'organization.made_member',
  'organization.member_removed',
] as const;
export type SecurityEventKind = (typeof SECURITY_EVENT_KINDS)[number];

export function isSecurityEventKind(kind: string): kind is SecurityEventKind {
  return (SECURITY_EVENT_KINDS as readonly string[]).includes(kind);
}

/** Who caused a change, and from where when a request did. */
export interface ChangeContext {
  /**
   * `owner`: the user whose log it is; `admin`: the site administrator (the CLI, or a site admin's token);
   * `organization_owner`: an owner of the organization the event is about, acting on another member.
   */
  actor: 'owner' | 'admin' | 'system' | 'anonymous' | 'organization_owner';
  clientAddress?: string | undefined;
  userAgent?: string | undefined;
  /** The language of the page the change was made on: mail it causes is in it, unless the account chose one. */
  pageLocale?: Locale | undefined;
}

export const ADMIN_CONTEXT: ChangeContext = { actor: 'admin' };
export const SYSTEM_CONTEXT: ChangeContext = { actor: 'system' };
/** The owner acting without a request to say where from (tests, scripts on the domain). */
export const OWNER_CONTEXT: ChangeContext = { actor: 'owner' };

/** User agents are the client's to choose: kept short and printable. */
const MAX_USER_AGENT_LENGTH = 255;

export interface SecurityEvent {
  id: number;
  kind: SecurityEventKind;
  actor: ChangeContext['actor'];
  tokenId: number | null;
  tokenNote: string | null;
  /** The organization's login when the event was recorded, for organization events. */
  organizationLogin: string | null;
  clientAddress: string | null;
  userAgent: string | null;
  createdAt: Date;
}

/** Records one event; `db` is the transaction that makes the change. */
export async function recordSecurityEvent(
  db: Db,
  event: {
    userId: number;
    kind: SecurityEventKind;
    token?: { id: number; note: string };
    organization?: { id: number; login: string };
    context: ChangeContext;
    at: Date;
  },
): Promise<void> {
  await insertSecurityEvent(db, {
    user_id: event.userId,
    kind: event.kind,
    actor: event.context.actor,
    token_id: event.token?.id ?? null,
    token_note: event.token?.note ?? null,
    organization_id: event.organization?.id ?? null,
    organization_login: event.organization?.login ?? null,
    client_address: event.context.clientAddress ?? null,
    user_agent: event.context.userAgent?.replace(/[^\x20-\x7e]/g, '').slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    created_at: event.at.toISOString(),
  });
}

function rowToEvent(row: SecurityEventRow): SecurityEvent {
  return {
    id: row.id,
    kind: row.kind as SecurityEventKind,
    actor: row.actor as ChangeContext['actor'],
    tokenId: row.token_id,
    tokenNote: row.token_note,
    organizationLogin: row.organization_login,
    clientAddress: row.client_address,
    userAgent: row.user_agent,
    createdAt: new Date(row.created_at),
  };
}

/** One page of the user's own events, newest first; `hasMore` says whether another page follows. */
export async function listSecurityEvents(
  deps: Deps,
  user: UserRow,
  options: { kind?: SecurityEventKind | undefined; page: number; perPage: number },
): Promise<{ events: SecurityEvent[]; hasMore: boolean }> {
  const rows = await listSecurityEventsOfUser(deps.db, user.id, {
    kind: options.kind, offset: (options.page - 1) * options.perPage, limit: options.perPage + 1,
  });
  return { events: rows.slice(0, options.perPage).map(rowToEvent), hasMore: rows.length > options.perPage };
}
