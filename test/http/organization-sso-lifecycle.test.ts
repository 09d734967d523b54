/**
 * When a token's authorization for a SAML organization ends: the owner revokes it (organization-sso.test.ts), the
 * token is regenerated, deleted or expires, the member leaves, an owner removes the member's linked identity, or SAML
 * is turned off. And GitHub's rule: once a member has linked an identity, only authorized tokens reach the
 * organization's private repositories, enforced or not.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMember, removeMember } from '../../src/domain/organization-members.ts';
import { SITE_ADMIN } from '../../src/domain/principal.ts';
import { disableOrganizationSaml, setSamlEnforcement } from '../../src/domain/sso/saml-settings.ts';
import { deletePersonalAccessToken, regeneratePersonalAccessToken } from '../../src/domain/tokens.ts';
import type { UserRow } from '../../src/store/database.ts';
import { answerAtIdp, createSamlOrganization, signedInClient, tokenIdOf, SAML_EDITION_ENV } from '../helpers/org-sso.ts';
import { startTestIdpServer, type TestIdpServer } from '../helpers/saml-idp-server.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';
import type { WebClient } from '../helpers/web-client.ts';

async function readVault(server: TestServer, token: string): Promise<number> {
  return (await fetch(`${server.apiUrl}/repos/acme/vault`, { headers: { authorization: `token ${token}` } })).status;
}

/** The member authorizes the token on the token page's form, through the IdP when they have no SAML session. */
async function authorize(server: TestServer, idp: TestIdpServer, browser: WebClient, user: UserRow, token: string): Promise<void> {
  idp.signInAs(`${user.username}@idp.example.test`);
  await browser.get(`${server.baseUrl}/settings/tokens`);
  const answer = await browser.submit(`${server.baseUrl}/settings/tokens/${await tokenIdOf(server, token)}/sso/acme/authorize`, {});
  const done = answer.status === 302 && answer.location!.startsWith('/') ? answer : await answerAtIdp(browser, answer.location!);
  assert.equal(done.location, '/settings/tokens?notice=sso-authorized');
}

const countAuthorizations = async (server: TestServer) => Number((await server.db.selectFrom('credential_authorizations')
  .select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

test('an authorization ends with its token, its member\'s membership or linked identity, and SAML itself', async (t) => {
  const clock = fakeClock(new Date());
  const server = await startTestServer(t, { clock, env: SAML_EDITION_ENV });
  const idp = await startTestIdpServer(t, { now: () => clock.now() });
  const owner = await server.createUser({ username: 'odile' });
  const member = await server.createUser({ username: 'max' });
  const fixture = await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member], enforce: true });
  const browser = await signedInClient(server, member);

  await t.test('regenerated: the new secret must be authorized again', async () => {
    const token = await server.createToken(member, { note: 'to regenerate' });
    await authorize(server, idp, browser, member, token);
    assert.equal(await readVault(server, token), 200);
    const regenerated = await regeneratePersonalAccessToken(server.deps, member, await tokenIdOf(server, token), null);
    assert.ok(regenerated.ok);
    assert.equal(await readVault(server, regenerated.secret), 403);
    assert.equal(await countAuthorizations(server), 0);
    const logged = await server.db.selectFrom('security_events').select(['token_note', 'organization_login']).where('user_id', '=', member.id)
      .where('kind', '=', 'token.sso_unauthorized').execute();
    assert.deepEqual(logged.map((event) => ({ ...event })), [{ token_note: 'to regenerate', organization_login: 'acme' }]);
  });

  await t.test('deleted: its authorization goes with it', async () => {
    const token = await server.createToken(member, { note: 'to delete' });
    await authorize(server, idp, browser, member, token);
    assert.ok(await deletePersonalAccessToken(server.deps, member, await tokenIdOf(server, token)));
    assert.equal(await countAuthorizations(server), 0);
  });

  await t.test('expired: left out of the owners\' list', async () => {
    const token = await server.createToken(member, { note: 'short-lived', expiresAt: new Date(clock.now().getTime() + 3600_000) });
    await authorize(server, idp, browser, member, token);
    const ownerToken = await server.createToken(owner, { note: 'owner', scopes: ['admin:org'] });
    await authorize(server, idp, await signedInClient(server, owner), owner, ownerToken);
    const list = async () => ((await (await fetch(`${server.apiUrl}/orgs/acme/credential-authorizations`, {
      headers: { authorization: `token ${ownerToken}` },
    })).json()) as Array<{ login: string }>).map((item) => item.login);
    assert.deepEqual((await list()).sort(), ['max', 'odile']);
    clock.advance(2 * 3600_000);
    assert.deepEqual(await list(), ['odile']);
  });

  await t.test('an owner removes the linked identity: the SAML session and the authorizations end', async () => {
    const token = await server.createToken(member, { note: 'identity' });
    await authorize(server, idp, browser, member, token);
    const ownerBrowser = await signedInClient(server, owner);
    const page = await ownerBrowser.get(`${server.baseUrl}/orgs/acme/settings/credential-authorizations`);
    assert.match(page.body, /max<\/strong> <span class="color-fg-muted">as<\/span> <code>max@idp\.example\.test<\/code>/);
    const removed = await ownerBrowser.submit(`${server.baseUrl}/orgs/acme/settings/saml-identities/${member.id}/remove`, {});
    assert.equal(removed.location, '/orgs/acme/settings/credential-authorizations?notice=identity-removed');
    assert.equal(await readVault(server, token), 403);
    assert.equal(await server.db.selectFrom('credential_authorizations').select('id').where('token_id', '=', await tokenIdOf(server, token)).executeTakeFirst(), undefined);
    const events = await server.db.selectFrom('security_events').select(['actor', 'organization_login']).where('user_id', '=', member.id)
      .where('kind', '=', 'token.sso_unauthorized').execute();
    assert.ok(events.some((event) => event.actor === 'organization_owner' && event.organization_login === 'acme'));
  });

  await t.test('linked once, authorized tokens only, even when SAML is no longer required', async () => {
    const token = await server.createToken(member, { note: 'not authorized' });
    await authorize(server, idp, browser, member, await server.createToken(member, { note: 'links again' }));
    assert.ok((await setSamlEnforcement(server.deps, fixture.owner, false)).ok);
    assert.equal(await readVault(server, token), 403, 'the member has a linked identity');
    const newcomer = await server.createUser({ username: 'nils' });
    assert.ok((await addMember(server.deps, SITE_ADMIN, fixture.organization, newcomer.username, 'member', {})).ok);
    assert.equal(await readVault(server, await server.createToken(newcomer)), 200, 'no linked identity, not required: any token');
    assert.ok((await setSamlEnforcement(server.deps, fixture.owner, true, { withoutTest: true })).ok);
  });

  await t.test('the member leaves: identity and authorizations go; back in, the token must be authorized again', async () => {
    const token = await server.createToken(member, { note: 'leaver' });
    await authorize(server, idp, browser, member, token);
    assert.ok((await removeMember(server.deps, SITE_ADMIN, fixture.organization, member.username, {})).ok);
    assert.equal(await server.db.selectFrom('organization_saml_identities').select('id').where('user_id', '=', member.id).executeTakeFirst(), undefined);
    assert.ok((await addMember(server.deps, SITE_ADMIN, fixture.organization, member.username, 'member', {})).ok);
    assert.equal(await readVault(server, token), 403);
  });

  await t.test('SAML turned off: nothing is left, and tokens reach the organization as before', async () => {
    const token = await server.createToken(member, { note: 'after saml' });
    await authorize(server, idp, browser, member, token);
    assert.ok(await disableOrganizationSaml(server.deps, fixture.owner));
    assert.equal(await countAuthorizations(server), 0);
    assert.equal(Number((await server.db.selectFrom('organization_saml_identities').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n), 0);
    assert.equal(await readVault(server, await server.createToken(member)), 200);
  });
});

test('a SAML session lasts as long as the IdP says, at most 24 hours; then the member goes through the IdP again', async (t) => {
  const clock = fakeClock(new Date());
  const server = await startTestServer(t, { clock, env: SAML_EDITION_ENV });
  // An IdP that names no end to the session.
  const idp = await startTestIdpServer(t, { now: () => clock.now(), respond: () => ({ sessionNotOnOrAfter: null }) });
  const owner = await server.createUser({ username: 'orla' });
  const member = await server.createUser({ username: 'milo' });
  await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member], enforce: true });
  const browser = await signedInClient(server, member);
  const token = await server.createToken(member);
  await authorize(server, idp, browser, member, token);
  const identity = await server.db.selectFrom('organization_saml_identities').selectAll().where('user_id', '=', member.id).executeTakeFirstOrThrow();
  assert.equal(identity.session_expires_at, new Date(clock.now().getTime() + 24 * 3600_000).toISOString());
  assert.equal((await browser.get(`${server.baseUrl}/acme`)).status, 200);

  clock.advance(24 * 3600_000 - 1000);
  assert.equal((await browser.get(`${server.baseUrl}/acme`)).status, 200, 'a second before the end');
  clock.advance(1000);
  assert.equal((await browser.get(`${server.baseUrl}/acme`)).location, '/orgs/acme/sso?return_to=%2Facme', 'at the end');
  assert.equal(await readVault(server, token), 200, 'the token\'s authorization outlives the browser\'s SAML session, as on GitHub');
  const another = await server.createToken(member, { note: 'after the session' });
  const answer = await browser.submit(`${server.baseUrl}/settings/tokens/${await tokenIdOf(server, another)}/sso/acme/authorize`, {});
  assert.equal(answer.status, 302);
  assert.match(answer.location!, new RegExp(`^${idp.baseUrl}/sso\\?SAMLRequest=`), 'authorizing needs a new sign-in through the IdP');
});
