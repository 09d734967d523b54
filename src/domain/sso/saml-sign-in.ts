/**
 * A member's single sign-on to an organization: started by Tessera (SP-initiated, GET /orgs/{org}/sso) for a user
 * signed in to Tessera, finished when the IdP posts its response to the organization's ACS URL.
 *
 * What the sign-in is for (come back to a page, test the settings, authorize a token) and who started it are kept
 * in the shared one-time store under a random ID that travels as the RelayState; the response is verified by
 * src/saml/ (which hands back the RelayState from its own store, never the one the browser posts). So the ACS needs no
 * cookie: a browser posting from the IdP's site sends none with SameSite=Lax, and the sign-in is bound to the user who
 * started it rather than to whoever posts.
 *
 * The first successful sign-in links the member's account to the IdP's NameID (the linked identity); every later one
 * must present exactly the same NameID, byte for byte, and no two members may share one. The SAML session for the
 * organization lasts as long as the IdP says (SessionNotOnOrAfter), at most 24 hours.
 */
import { randomBytes } from 'node:crypto';
import { startSamlSignIn } from '../../saml/authn-request.ts';
import { SAML_REQUEST_TTL_MS } from '../../saml/request-store.ts';
import type { SamlResponseFailure } from '../../saml/types.ts';
import { verifySamlResponse } from '../../saml/verify-response.ts';
import type { OrganizationRole, OwnerRow, UserRow } from '../../store/database.ts';
import { findMembershipRow } from '../../store/membership-store.ts';
import { findSamlIdentity, findSamlIdentityByNameId, insertSamlIdentity, updateSamlSession } from '../../store/saml-identity-store.ts';
import { isUniqueViolation } from '../../store/unique-violation.ts';
import { findUserById } from '../../store/user-store.ts';
import type { Locale } from '../../i18n/locales.ts';
import type { Deps } from '../deps.ts';
import { type ChangeContext, OWNER_CONTEXT } from '../security-log.ts';
import { type AuthorizeTokenResult, authorizeTokenForOrganization } from './credential-authorizations.ts';
import { type OrganizationSaml, recordSamlTest } from './saml-settings.ts';

export type SignInPurpose =
  /** Come back to this local path (checked by the edge) once signed in. */
  | { kind: 'sign_in'; returnTo: string }
  /** An owner's "Test SAML configuration". */
  | { kind: 'test' }
  /** Authorize this token of the user's once signed in (asked for with a POST form, so it is the user's intent). */
  | { kind: 'authorize_token'; tokenId: number };

interface SignInIntent {
  userId: number;
  purpose: SignInPurpose;
  /** The language of the page the sign-in was started from: the IdP's post carries no cookie to tell it by. */
  locale?: Locale | undefined;
}

const intentKey = (id: string) => `saml-sign-in:${id}`;

export type StartSignInResult = { ok: true; url: string } | { ok: false; code: 'not_a_member' | 'not_an_owner' };

export async function startOrganizationSignIn(
  deps: Deps, organization: OwnerRow, saml: OrganizationSaml, user: UserRow, purpose: SignInPurpose, locale?: Locale,
): Promise<StartSignInResult> {
  const membership = await findMembershipRow(deps.db, organization.id, user.id);
  if (!membership) return { ok: false, code: 'not_a_member' };
  if (purpose.kind === 'test' && membership.role !== 'admin') return { ok: false, code: 'not_an_owner' };
  // 32 hex digits: within SAML's 80 bytes of RelayState and free of the characters src/saml/ refuses in it.
  const intentId = randomBytes(16).toString('hex');
  const intent: SignInIntent = { userId: user.id, purpose, locale };
  await deps.shared.oneTime.put(intentKey(intentId), String(organization.id), JSON.stringify(intent), SAML_REQUEST_TTL_MS, deps.clock.now());
  const started = await startSamlSignIn(deps, { org: { id: organization.id, login: organization.login }, idp: saml.idp, relayState: intentId });
  if (!started.ok) throw new Error(`a RelayState of 32 hex digits was refused: ${started.code}`);
  return { ok: true, url: started.url };
}

export type SignInFailure =
  | SamlResponseFailure
  /** The person who started the sign-in is no longer a member (or an owner, for a test), or no longer exists. */
  | 'not_a_member'
  /** The member's account is linked to another NameID for this organization. */
  | 'identity_mismatch'
  /** Another member's account is linked to this NameID. */
  | 'identity_taken';

export type FinishSignInResult =
  | {
    ok: true;
    user: UserRow;
    purpose: SignInPurpose;
    nameId: string;
    sessionExpiresAt: Date;
    /** This sign-in linked the account (its first). */
    linked: boolean;
    /** For an `authorize_token` sign-in. */
    authorization?: AuthorizeTokenResult;
  }
  | { ok: false; code: SignInFailure; purpose?: SignInPurpose; locale?: Locale | undefined };

/** `context`: where the response was posted from, for the security log of a token it authorizes. */
export async function finishOrganizationSignIn(
  deps: Deps, organization: OwnerRow, saml: OrganizationSaml, samlResponse: string, context: ChangeContext = OWNER_CONTEXT,
): Promise<FinishSignInResult> {
  const verified = await verifySamlResponse(deps, { org: { id: organization.id, login: organization.login }, idp: saml.idp, samlResponse });
  if (!verified.ok) return verified;
  const intent = await takeIntent(deps, verified.relayState, organization.id);
  if (!intent) return { ok: false, code: 'unknown_request' };
  const { purpose, locale } = intent;
  const user = await findUserById(deps.db, intent.userId);
  const membership = user && await findMembershipRow(deps.db, organization.id, user.id);
  if (!user || !membership || (purpose.kind === 'test' && membership.role !== 'admin')) return { ok: false, code: 'not_a_member', purpose, locale };
  // The settings work, whatever becomes of linking this owner's account.
  if (purpose.kind === 'test') await recordSamlTest(deps, organization.id);

  const linked = await linkIdentity(deps, organization.id, user.id, membership, verified);
  if (!linked.ok) return { ok: false, code: linked.code, purpose, locale };
  const authorization = purpose.kind === 'authorize_token'
    ? await authorizeTokenForOrganization(deps, user, purpose.tokenId, organization, context)
    : undefined;
  return {
    ok: true, user, purpose, nameId: verified.nameId, sessionExpiresAt: verified.sessionNotOnOrAfter, linked: linked.linked,
    ...(authorization && { authorization }),
  };
}

async function takeIntent(deps: Deps, relayState: string | undefined, organizationId: number): Promise<SignInIntent | undefined> {
  if (!relayState || !/^[0-9a-f]{32}$/.test(relayState)) return undefined;
  const entry = (await deps.shared.oneTime.take(intentKey(relayState), deps.clock.now())).find((candidate) => candidate.field === String(organizationId));
  return entry && JSON.parse(entry.value) as SignInIntent;
}

async function linkIdentity(
  deps: Deps,
  organizationId: number,
  userId: number,
  membership: { id: number; role: OrganizationRole },
  verified: { nameId: string; nameIdFormat: string | undefined; sessionNotOnOrAfter: Date },
): Promise<{ ok: true; linked: boolean } | { ok: false; code: 'identity_mismatch' | 'identity_taken' }> {
  const now = deps.clock.now().toISOString();
  const session = { startedAt: now, expiresAt: verified.sessionNotOnOrAfter.toISOString() };
  const existing = await findSamlIdentity(deps.db, organizationId, userId);
  if (existing) {
    if (existing.name_id !== verified.nameId) return { ok: false, code: 'identity_mismatch' };
    await updateSamlSession(deps.db, existing.id, session);
    return { ok: true, linked: false };
  }
  try {
    await insertSamlIdentity(deps.db, {
      organization_id: organizationId, membership_id: membership.id, user_id: userId, name_id: verified.nameId,
      name_id_format: verified.nameIdFormat ?? null, created_at: now, session_started_at: session.startedAt, session_expires_at: session.expiresAt,
    });
    return { ok: true, linked: true };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another member holds this NameID, or a concurrent sign-in of this member linked it first.
    const holder = await findSamlIdentityByNameId(deps.db, organizationId, verified.nameId);
    if (holder?.user_id !== userId) return { ok: false, code: holder ? 'identity_taken' : 'identity_mismatch' };
    await updateSamlSession(deps.db, holder.id, session);
    return { ok: true, linked: false };
  }
}
