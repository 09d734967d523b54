/**
 * Personal access tokens authorized for an organization that uses SAML single sign-on, as on GitHub: a member
 * authorizes one of their tokens while their SAML session for the organization lasts; the organization's owners see
 * the authorizations (note, scopes, last use; never a secret or its hash) and revoke them, or remove a member's
 * linked identity, which ends the member's SAML session and every authorization made through it.
 *
 * An authorization also ends when its token is deleted or regenerated (tokens.ts), when the member leaves the
 * organization (the identity goes with the membership), or when SAML is turned off (the identity goes with the
 * settings); an expired token authenticates nothing and is left out of the owners' list. Each authorization and each
 * revocation is recorded in the token owner's security log, in the same transaction.
 */
import type { CredentialAuthorizationRow, OwnerRow, UserRow } from '../../store/database.ts';
import {
  deleteCredentialAuthorization, findAuthorizedToken, insertCredentialAuthorization, listAuthorizedTokensOfMember, listCredentialAuthorizations,
  type CredentialAuthorizationListing,
} from '../../store/credential-authorization-store.ts';
import { deleteSamlIdentity, findSamlIdentity } from '../../store/saml-identity-store.ts';
import { findTokenOfUser } from '../../store/token-store.ts';
import type { Deps } from '../deps.ts';
import { type ChangeContext, OWNER_CONTEXT, recordSecurityEvent } from '../security-log.ts';
import { isTokenExpired, rowToToken } from '../tokens.ts';
import { isSamlSessionActive } from './sso-standing.ts';

export type AuthorizeTokenResult =
  | { ok: true; authorization: CredentialAuthorizationRow }
  /** Not the user's token, removed, or expired. */
  | { ok: false; code: 'token_not_found' }
  /** No linked identity, or its SAML session has ended: the user must sign in through the IdP first. */
  | { ok: false; code: 'sso_session_required' };

export async function authorizeTokenForOrganization(
  deps: Deps, user: UserRow, tokenId: number, organization: OwnerRow, context: ChangeContext = OWNER_CONTEXT,
): Promise<AuthorizeTokenResult> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const token = await findTokenOfUser(trx, user.id, tokenId);
    if (!token || isTokenExpired(rowToToken(token), now)) return { ok: false, code: 'token_not_found' } as const;
    const identity = await findSamlIdentity(trx, organization.id, user.id);
    if (!identity || !isSamlSessionActive(identity, now)) return { ok: false, code: 'sso_session_required' } as const;
    const authorization = await insertCredentialAuthorization(trx, {
      organization_id: organization.id, identity_id: identity.id, token_id: token.id, created_at: now.toISOString(),
    });
    await recordSecurityEvent(trx, { userId: user.id, kind: 'token.sso_authorized', token, organization, context, at: now });
    return { ok: true, authorization } as const;
  });
}

/** The organization's authorizations of tokens that still work, newest first, one page (and whether more follow). */
export async function listOrganizationCredentialAuthorizations(
  deps: Deps, organization: OwnerRow, options: { login?: string | undefined; page: number; perPage: number },
): Promise<{ items: CredentialAuthorizationListing[]; hasMore: boolean }> {
  const now = deps.clock.now();
  const rows = await listCredentialAuthorizations(deps.db, organization.id, {
    login: options.login, offset: (options.page - 1) * options.perPage, limit: options.perPage + 1, unexpiredAt: now.toISOString(),
  });
  return { items: rows.slice(0, options.perPage), hasMore: rows.length > options.perPage };
}

/** An owner revokes one authorization; false when the organization has none with this id. */
export async function revokeCredentialAuthorization(
  deps: Deps, organization: OwnerRow, authorizationId: number, context: ChangeContext,
): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const token = await findAuthorizedToken(trx, organization.id, authorizationId);
    if (!token || !(await deleteCredentialAuthorization(trx, organization.id, authorizationId))) return false;
    await recordSecurityEvent(trx, { userId: token.user_id, kind: 'token.sso_unauthorized', token, organization, context, at: now });
    return true;
  });
}

/**
 * An owner removes a member's linked identity: the member's SAML session for the organization ends and every token
 * authorized through the identity loses its authorization (the rows go with the identity); false when none was linked.
 */
export async function removeLinkedIdentity(
  deps: Deps, organization: OwnerRow, userId: number, context: ChangeContext,
): Promise<boolean> {
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    const tokens = await listAuthorizedTokensOfMember(trx, organization.id, userId);
    if (!(await deleteSamlIdentity(trx, organization.id, userId))) return false;
    for (const token of tokens) await recordSecurityEvent(trx, { userId, kind: 'token.sso_unauthorized', token, organization, context, at: now });
    return true;
  });
}
