/**
 * Tessera runs as one of three editions, as the platform it serves does (TESSERA_EDITION): `cloud` (one public
 * service for everyone), `server` (installed by an organization for its own people: the default) and `managed` (a
 * cloud service run for one enterprise). This table is the one place that says what differs between them; config
 * reads it, and everything else reads the resolved Edition (deps.config.edition) or the settings it defaulted.
 *
 * What differs, and why:
 * - A verified email address before a token can be created or regenerated. A public service must know whom to mail
 *   about a token (creation, expiry, a leak) and must not hand API access to throwaway sign-ups, so cloud and managed
 *   always require it. A server install may know its people already (accounts made by an admin, mail not set up
 *   yet), so there it is on by default and TESSERA_REQUIRE_VERIFIED_EMAIL=false turns it off.
 * - Organizations that require SAML authorization of tokens: on the cloud editions an organization brings its own
 *   identity provider and authorizes each token for itself; a server install signs everyone in through one provider
 *   for the whole instance, so there is nothing to authorize per organization.
 * - Removal of tokens unused for a year: GitHub's own service does it (a forgotten token is a leak waiting to
 *   happen, and nobody administers a public service's users); on a server or a managed service the owner's admins
 *   decide, so it is off there unless TESSERA_UNUSED_TOKEN_DAYS says otherwise.
 * - API rate limits: GitHub's figures, 5,000 requests an hour per user and 60 per client without a token, and
 *   15,000 an hour per user for an enterprise's managed service; GraphQL has its own budget of points, 5,000 an hour
 *   per user and 10,000 on the managed service (GitHub Enterprise Cloud's figure). A server keeps GitHub's public figures: its
 *   anonymous limit is what keeps floods of anonymous API and Git requests from one client at bay.
 */

export const EDITION_NAMES = ['cloud', 'server', 'managed'] as const;
export type EditionName = (typeof EDITION_NAMES)[number];

/** A self-hosted install is the common case of someone running `tessera serve`. */
export const DEFAULT_EDITION: EditionName = 'server';

export interface EditionRules {
  /** `always`: no setting turns it off; `by_default`: on unless the install turns it off. */
  verifiedEmailForTokens: 'always' | 'by_default';
  samlTokenAuthorization: boolean;
  /** Days unused before a token is removed when TESSERA_UNUSED_TOKEN_DAYS is not set; 0 never removes one. */
  unusedTokenDays: number;
  /** Requests an hour per user, over all of their tokens, when TESSERA_API_RATE_LIMIT is not set. */
  apiRateLimit: number;
  /** Requests an hour per client network without a credential, when TESSERA_API_ANONYMOUS_RATE_LIMIT is not set. */
  apiAnonymousRateLimit: number;
  /** GraphQL points an hour per user (GitHub counts them apart from REST requests), when TESSERA_GRAPHQL_RATE_LIMIT is not set. */
  graphqlRateLimit: number;
}

export const EDITION_RULES: Readonly<Record<EditionName, Readonly<EditionRules>>> = {
  cloud: { verifiedEmailForTokens: 'always', samlTokenAuthorization: true, unusedTokenDays: 365, apiRateLimit: 5000, apiAnonymousRateLimit: 60, graphqlRateLimit: 5000 },
  server: { verifiedEmailForTokens: 'by_default', samlTokenAuthorization: false, unusedTokenDays: 0, apiRateLimit: 5000, apiAnonymousRateLimit: 60, graphqlRateLimit: 5000 },
  managed: { verifiedEmailForTokens: 'always', samlTokenAuthorization: true, unusedTokenDays: 0, apiRateLimit: 15000, apiAnonymousRateLimit: 60, graphqlRateLimit: 10000 },
};

/** The running edition, as resolved from TESSERA_EDITION and the settings its rules leave open. */
export interface Edition {
  name: EditionName;
  /** Creating or regenerating a token needs a verified email address. */
  requireVerifiedEmail: boolean;
  /** Organizations may require each token to be authorized for them through SAML single sign-on. */
  samlTokenAuthorization: boolean;
}

export function isEditionName(value: string): value is EditionName {
  return (EDITION_NAMES as readonly string[]).includes(value);
}

export type EditionResult = { ok: true; edition: Edition } | { ok: false; code: 'verified_email_required' };

/**
 * The edition with the install's choice about verified email applied (`undefined`: no choice made). Turning the
 * requirement off where the edition always requires it is refused, not ignored: the admin asked for something the
 * running service will not do.
 */
export function resolveEdition(name: EditionName, requireVerifiedEmail: boolean | undefined): EditionResult {
  const rules = EDITION_RULES[name];
  if (requireVerifiedEmail === false && rules.verifiedEmailForTokens === 'always') return { ok: false, code: 'verified_email_required' };
  return {
    ok: true,
    edition: { name, requireVerifiedEmail: requireVerifiedEmail ?? true, samlTokenAuthorization: rules.samlTokenAuthorization },
  };
}

