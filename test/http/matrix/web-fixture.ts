/**
 * What the web matrix's forms act on (matrix/web-vocabulary.ts says what each thing is for): the owner's real things,
 * and a doomed copy per way of sending the token for the owner's own allowed forms, which really delete, revoke and
 * remove. The organizations are made as the site administrator would, so no hourly limit of the owner's is spent.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { addMember } from '../../../src/domain/organization-members.ts';
import { createOrganization } from '../../../src/domain/organizations.ts';
import { SITE_ADMIN } from '../../../src/domain/principal.ts';
import { createRepository } from '../../../src/domain/repositories.ts';
import { authorizeTokenForOrganization } from '../../../src/domain/sso/credential-authorizations.ts';
import { saveOrganizationSaml } from '../../../src/domain/sso/saml-settings.ts';
import { hashToken } from '../../../src/domain/token-format.ts';
import { startWebSession } from '../../../src/domain/web-sessions.ts';
import type { UserRow } from '../../../src/store/database.ts';
import { insertSamlIdentity } from '../../../src/store/saml-identity-store.ts';
import { createTestIdp } from '../../helpers/saml-idp.ts';
import type { TestServer } from '../../helpers/server.ts';
import { type OwnerThings, VARIANT_TAGS, type WebFixture } from './web-vocabulary.ts';

export async function createWebFixture(t: TestContext, server: TestServer, owner: UserRow, other: UserRow): Promise<WebFixture> {
  const { deps, db } = server;
  const now = deps.clock.now();
  const tokenIdOf = async (secret: string) => (await db.selectFrom('personal_access_tokens').select('id')
    .where('token_hash', '=', hashToken(secret)).executeTakeFirstOrThrow()).id;
  const sessionIdOf = async (secret: string) => (await db.selectFrom('web_sessions').select('id')
    .where('token_hash', '=', hashToken(secret)).executeTakeFirstOrThrow()).id;
  const removedToken = async (note: string) => {
    // Removed as the disuse sweep removes one (removed_at set): restorable by its owner for 30 days.
    const id = await tokenIdOf(await server.createToken(owner, { note }));
    await db.updateTable('personal_access_tokens').set({ removed_at: now.toISOString() }).where('id', '=', id).execute();
    return id;
  };
  const idpMetadata = (await createTestIdp(t)).metadataXml();
  const samlOrganization = async (login: string) => {
    const created = await createOrganization(deps, SITE_ADMIN, { login, admin: owner }, {});
    assert.ok(created.ok, JSON.stringify(created));
    assert.ok((await saveOrganizationSaml(deps, created.organization.owner, { kind: 'metadata', xml: idpMetadata })).ok);
    return created.organization;
  };
  const organization = await samlOrganization('web-org');
  assert.ok((await createRepository(deps, SITE_ADMIN, organization.owner, { name: 'org-vault', private: true })).ok);

  /** A member of web-org who signed in through its IdP (a SAML session for a day) and authorized a token for it. */
  const linkedMember = async (username: string) => {
    const user = await server.createUser({ username });
    assert.ok((await addMember(deps, SITE_ADMIN, organization, username, 'member', {})).ok);
    const membership = await db.selectFrom('organization_memberships').select('id')
      .where('organization_id', '=', organization.owner.id).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    await insertSamlIdentity(db, {
      organization_id: organization.owner.id, membership_id: membership.id, user_id: user.id, name_id: `${username}@idp.example.test`,
      name_id_format: null, created_at: now.toISOString(), session_started_at: now.toISOString(),
      session_expires_at: new Date(now.getTime() + 86_400_000).toISOString(),
    });
    const authorized = await authorizeTokenForOrganization(deps, user, await tokenIdOf(await server.createToken(user)), organization.owner);
    assert.ok(authorized.ok);
    return { linkedUserId: user.id, authorizationId: authorized.authorization.id };
  };

  const things = async (suffix: string, notes: { token: string; removed: string }): Promise<OwnerThings> => {
    const repo = suffix === 'kept' ? 'hidden-vault' : `doomed-owner-${suffix}`;
    await server.createRepository(owner, repo, { private: true });
    const member = (await server.createUser({ username: `member-${suffix}` })).username;
    assert.ok((await addMember(deps, SITE_ADMIN, organization, member, 'member', {})).ok);
    return {
      repo,
      tokenId: await tokenIdOf(await server.createToken(owner, { note: notes.token })),
      tokenToRegenerateId: await tokenIdOf(await server.createToken(owner, { note: `${notes.token} to regenerate` })),
      removedTokenId: await removedToken(notes.removed),
      sessionId: await sessionIdOf(await startWebSession(deps, owner)),
      member,
      recruit: (await server.createUser({ username: `recruit-${suffix}` })).username,
      ...await linkedMember(`linked-${suffix}`),
      samlOrganization: suffix === 'kept' ? organization.owner.login : (await samlOrganization(`sso-owner-${suffix}`)).owner.login,
    };
  };
  const doomed: Record<string, OwnerThings> = {};
  for (const tag of VARIANT_TAGS) doomed[`owner-${tag}`] = await things(tag, { token: `doomed ${tag}`, removed: `doomed removed ${tag}` });
  return {
    owner, other, organization: organization.owner.login, orgRepo: 'org-vault', idpMetadata,
    ...await things('kept', { token: 'owner ci token', removed: 'owner removed token' }),
    doomed: (tag) => doomed[tag] ?? assert.fail(`no doomed things for ${tag}`),
  };
}
