/**
 * Table types for Kysely. Times are ISO-8601 UTC strings (`Date#toISOString`), which sort and compare the same
 * way in SQLite and PostgreSQL; flags are 0/1 integers for the same reason.
 */
import type { ColumnType, Generated, Insertable, Kysely, Selectable, Transaction } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  /** Lower-cased username: names are unique regardless of case, as on GitHub. */
  username_key: string;
  email: string;
  /**
   * The address after emailKey (src/domain/email-address.ts): unique, so one address belongs to one account. An
   * account whose address is not its own to claim (taken by another account at sign-up, or released after 7 days
   * unverified) holds `unclaimed:…` instead, which no address folds to.
   */
  email_key: string;
  name: string | null;
  password_hash: string;
  email_verified_at: string | null;
  created_at: string;
  updated_at: string;
  /** 1 (the default) when the owner is mailed about a token's use from a new network, else 0. */
  notify_new_token_network: ColumnType<number, number | undefined, number>;
  /** `en` or `ru`, chosen on the account settings page; null follows Accept-Language, then the instance default. */
  locale: ColumnType<string | null, string | null | undefined, string | null>;
  /** Set by `tessera user suspend`: the user's tokens and sessions stop working and they cannot sign in. */
  suspended_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface EmailVerificationsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  expires_at: string;
  created_at: string;
  /** The address the link was mailed to: opening it makes this the account's verified address. */
  email: ColumnType<string | null, string, string>;
  /** The account's email_key when the link was sent: once the key changed, the link is void. */
  replaces_key: ColumnType<string | null, string, string>;
}

/** Password reset links (src/domain/password-reset.ts): the SHA-256 of the mailed secret, never the secret. */
export interface PasswordResetsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  /** The account's email_key when the link was mailed: void once the address changed. */
  email_key: string;
  created_at: string;
  expires_at: string;
}

export interface WebSessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  /** Updated at most once a minute (web-sessions.ts); null until then for sessions older than the column. */
  last_active_at: string | null;
  /** The address and user agent of the latest activity. */
  client_address: string | null;
  user_agent: string | null;
}

export interface PersonalAccessTokensTable {
  id: Generated<number>;
  user_id: number;
  note: string;
  token_hash: string;
  /** Space-separated, in scope-tree order. */
  scopes: string;
  created_at: string;
  updated_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  /** Removed for disuse: fails authentication, restorable by its owner until erased (src/jobs/disuse-sweep.ts). */
  removed_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** When each expiry notice was claimed (src/jobs/expiry-reminders.ts); cleared when a regeneration sets a new expiry. */
  expiry_reminder_sent_at: ColumnType<string | null, string | null | undefined, string | null>;
  expiry_day_reminder_sent_at: ColumnType<string | null, string | null | undefined, string | null>;
  expired_recorded_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** The activity time a disuse warning was about: a later use makes the next idle period warn again. */
  disuse_warned_30_for: ColumnType<string | null, string | null | undefined, string | null>;
  disuse_warned_7_for: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One namespace of logins for users and organizations (a user's owner id is its user id). */
export interface OwnersTable {
  id: Generated<number>;
  login: string;
  /** Lower-cased login: unique across users and organizations, as on GitHub. */
  login_key: string;
  kind: OwnerKind;
  created_at: string;
}

export type OwnerKind = 'user' | 'organization';

export interface OrganizationsTable {
  /** The organization's owner id. */
  id: number;
  name: string | null;
  description: string | null;
  created_at: string;
  updated_at: string;
}

/** `admin` is GitHub's word for an organization owner. */
export type OrganizationRole = 'admin' | 'member';

export interface OrganizationMembershipsTable {
  id: Generated<number>;
  organization_id: number;
  user_id: number;
  role: OrganizationRole;
  /** 1 when the member shows the membership to everyone, 0 (the default) when only other members see it. */
  public: ColumnType<number, number | undefined, number>;
  created_at: string;
}

/** An organization's SAML identity provider (src/domain/sso/); `id` is the organization's id. */
export interface OrganizationSamlSettingsTable {
  id: number;
  idp_entity_id: string;
  idp_sso_url: string;
  /** PEM certificates, one after another. */
  idp_certificates: string;
  /** 1 when members must sign in through the IdP to reach the organization. */
  enforced: ColumnType<number, number | undefined, number>;
  /** A test sign-in succeeded with exactly these settings; cleared when they change. */
  tested_at: string | null;
  created_at: string;
  updated_at: string;
}

/** A member's linked SAML identity and their SAML session for the organization. */
export interface OrganizationSamlIdentitiesTable {
  id: Generated<number>;
  organization_id: number;
  membership_id: number;
  user_id: number;
  /** Exactly as the IdP signed it. */
  name_id: string;
  name_id_format: string | null;
  created_at: string;
  session_started_at: string | null;
  session_expires_at: string | null;
}

/** A personal access token authorized for an organization through its owner's linked identity. */
export interface CredentialAuthorizationsTable {
  id: Generated<number>;
  organization_id: number;
  identity_id: number;
  token_id: number;
  created_at: string;
}

export interface RepositoriesTable {
  id: Generated<number>;
  owner_id: number;
  name: string;
  name_key: string;
  description: string | null;
  private: number;
  created_at: string;
  updated_at: string;
  /** Only `ready` repositories are found, listed and served (src/domain/repository-lifecycle.ts). */
  state: ColumnType<RepositoryState, RepositoryState | undefined, RepositoryState>;
  /** The server process creating the repository, while `creating`. */
  instance: string | null;
}

export type RepositoryState = 'creating' | 'ready' | 'deleting';

export interface SecurityEventsTable {
  id: Generated<number>;
  /** Whose log the event is in. */
  user_id: number;
  /** A SecurityEventKind code (src/domain/security-log.ts). */
  kind: string;
  /** Who caused it: `owner`, `admin` (the CLI), `system` (a job) or `anonymous` (the revocation API). */
  actor: string;
  token_id: number | null;
  token_note: string | null;
  /** The organization the event is about, and its login then (no foreign key: the log outlives it). */
  organization_id: ColumnType<number | null, number | null | undefined, number | null>;
  organization_login: ColumnType<string | null, string | null | undefined, string | null>;
  client_address: string | null;
  user_agent: string | null;
  created_at: string;
}

/** Where a token was used from: one row per token × client network × user agent (src/domain/token-uses.ts). */
export interface TokenUsesTable {
  id: Generated<number>;
  token_id: number;
  /** clientNetworkKey of the address: the IPv4 address, or the IPv6 /64. */
  network: string;
  /** The latest address seen in that network. */
  client_address: string;
  /** '' when the client sent none. */
  user_agent: string;
  first_seen_at: string;
  last_seen_at: string;
}

export interface Database {
  users: UsersTable;
  security_events: SecurityEventsTable;
  email_verifications: EmailVerificationsTable;
  password_resets: PasswordResetsTable;
  web_sessions: WebSessionsTable;
  personal_access_tokens: PersonalAccessTokensTable;
  token_uses: TokenUsesTable;
  repositories: RepositoriesTable;
  owners: OwnersTable;
  organizations: OrganizationsTable;
  organization_memberships: OrganizationMembershipsTable;
  organization_saml_settings: OrganizationSamlSettingsTable;
  organization_saml_identities: OrganizationSamlIdentitiesTable;
  credential_authorizations: CredentialAuthorizationsTable;
}

/** A connection or a transaction: store functions take either. */
export type Db = Kysely<Database> | Transaction<Database>;

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type TokenRow = Selectable<PersonalAccessTokensTable>;
export type RepositoryRow = Selectable<RepositoriesTable>;
export type OwnerRow = Selectable<OwnersTable>;
export type OrganizationRow = Selectable<OrganizationsTable>;
export type OrganizationMembershipRow = Selectable<OrganizationMembershipsTable>;
export type OrganizationSamlSettingsRow = Selectable<OrganizationSamlSettingsTable>;
export type OrganizationSamlIdentityRow = Selectable<OrganizationSamlIdentitiesTable>;
export type CredentialAuthorizationRow = Selectable<CredentialAuthorizationsTable>;
export type SecurityEventRow = Selectable<SecurityEventsTable>;
export type TokenUseRow = Selectable<TokenUsesTable>;
export type WebSessionRow = Selectable<WebSessionsTable>;
export type EmailVerificationRow = Selectable<EmailVerificationsTable>;
export type PasswordResetRow = Selectable<PasswordResetsTable>;
