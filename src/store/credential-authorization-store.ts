import type { CredentialAuthorizationRow, Db, TokenRow } from './database.ts';

/** What an organization owner may see of a member's token: never its hash. */
export type AuthorizedTokenFacts = Pick<TokenRow, 'id' | 'user_id' | 'note' | 'scopes' | 'created_at' | 'expires_at' | 'last_used_at'>;

export async function insertCredentialAuthorization(
  db: Db, authorization: Omit<CredentialAuthorizationRow, 'id'>,
): Promise<CredentialAuthorizationRow> {
  return db.insertInto('credential_authorizations').values(authorization)
    .onConflict((conflict) => conflict.columns(['organization_id', 'token_id']).doUpdateSet({
      identity_id: authorization.identity_id, created_at: authorization.created_at,
    }))
    .returningAll().executeTakeFirstOrThrow();
}

export interface CredentialAuthorizationListing {
  authorization: CredentialAuthorizationRow;
  token: AuthorizedTokenFacts;
  username: string;
}

/**
 * An organization's authorizations of tokens that have not expired at `unexpiredAt`, with their tokens and owners,
 * newest first; `login` narrows to one member.
 */
export async function listCredentialAuthorizations(
  db: Db, organizationId: number, options: { login?: string | undefined; unexpiredAt: string; offset: number; limit: number },
): Promise<CredentialAuthorizationListing[]> {
  let query = db.selectFrom('credential_authorizations as a')
    .innerJoin('personal_access_tokens as t', 't.id', 'a.token_id')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.note', 't.scopes', 't.created_at', 't.expires_at', 't.last_used_at'])
    .select(['a.id as authorization_id', 'a.identity_id', 'a.created_at as authorized_at', 'u.username'])
    .where('a.organization_id', '=', organizationId).where('t.removed_at', 'is', null)
    .where((eb) => eb.or([eb('t.expires_at', 'is', null), eb('t.expires_at', '>', options.unexpiredAt)]));
  if (options.login !== undefined) query = query.where('u.username_key', '=', options.login.toLowerCase());
  const rows = await query.orderBy('a.created_at', 'desc').orderBy('a.id', 'desc').offset(options.offset).limit(options.limit).execute();
  return rows.map(({ authorization_id, identity_id, authorized_at, username, ...token }) => ({
    authorization: { id: authorization_id, organization_id: organizationId, identity_id, token_id: token.id, created_at: authorized_at },
    token,
    username,
  }));
}

export async function deleteCredentialAuthorization(db: Db, organizationId: number, authorizationId: number): Promise<CredentialAuthorizationRow | undefined> {
  return db.deleteFrom('credential_authorizations')
    .where('organization_id', '=', organizationId).where('id', '=', authorizationId).returningAll().executeTakeFirst();
}

/** Every authorization of a token (a new secret must be authorized again). */
export async function deleteCredentialAuthorizationsOfToken(db: Db, tokenId: number): Promise<CredentialAuthorizationRow[]> {
  return db.deleteFrom('credential_authorizations').where('token_id', '=', tokenId).returningAll().execute();
}

/** Which organization each of the user's authorized tokens is authorized for. */
export async function listAuthorizationsOfUser(db: Db, userId: number): Promise<Array<{ organization_id: number; token_id: number }>> {
  return db.selectFrom('credential_authorizations as a').innerJoin('personal_access_tokens as t', 't.id', 'a.token_id')
    .select(['a.organization_id', 'a.token_id']).where('t.user_id', '=', userId).execute();
}

/** The user's tokens authorized for the organization (their ids and notes, for the security log). */
export async function listAuthorizedTokensOfMember(db: Db, organizationId: number, userId: number): Promise<Array<{ id: number; note: string }>> {
  return db.selectFrom('credential_authorizations as a').innerJoin('personal_access_tokens as t', 't.id', 'a.token_id')
    .select(['t.id', 't.note']).where('a.organization_id', '=', organizationId).where('t.user_id', '=', userId).execute();
}

/** The token an authorization of the organization is for (its id, note and user), if there is such an authorization. */
export async function findAuthorizedToken(db: Db, organizationId: number, authorizationId: number): Promise<{ id: number; note: string; user_id: number } | undefined> {
  return db.selectFrom('credential_authorizations as a').innerJoin('personal_access_tokens as t', 't.id', 'a.token_id')
    .select(['t.id', 't.note', 't.user_id']).where('a.organization_id', '=', organizationId).where('a.id', '=', authorizationId).executeTakeFirst();
}
