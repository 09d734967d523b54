/**
 * An organization's SAML single sign-on over real HTTP, with the test IdP over HTTP too: a member signs in through
 * the IdP and authorizes a token; before that the API answers GitHub's 403 with X-GitHub-SSO and git the same in
 * `remote:` lines; the owner lists and revokes the authorization. GitHub's OpenAPI description (Enterprise Cloud's,
 * where credential authorizations live) checks the shapes.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addMember } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import { SITE_ADMIN } from '../../src/domain/principal.ts';
import { SSO_REQUIRED_MESSAGE } from '../../src/http/git/git-refusals.ts';
import {
  answerAtIdp, continueThroughIdp, continueToIdp, createSamlOrganization, readIdpForm, signedInClient, signInThroughIdp, tokenIdOf, SAML_EDITION_ENV,
} from '../helpers/org-sso.ts';
import { WebClient } from '../helpers/web-client.ts';
import { setAccountLocale } from '../../src/domain/account-settings.ts';
import { contractViolationIn } from '../helpers/openapi-contract.ts';
import { startTestIdpServer } from '../helpers/saml-idp-server.ts';
import { ask } from '../helpers/graphql.ts';
import { nodeId } from '../../src/http/api/github-json.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { helpUrl } from '../helpers/api-docs.ts';

const SSO_HEADER = /^required; url=(http:\/\/127\.0\.0\.1:\d+\/orgs\/acme\/sso\?authorization_request=[0-9a-f]{32})$/;

async function api(server: TestServer, token: string, path: string, method = 'GET') {
  const response = await fetch(`${server.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, body: text ? JSON.parse(text) as unknown : undefined };
}

function ghec(method: string, path: string, answer: { status: number; headers: Headers; text: string }) {
  return contractViolationIn('ghec', { method, path: `/api/v3${path}`, status: answer.status, contentType: answer.headers.get('content-type') ?? '', body: answer.text });
}

test('a member authorizes a token through the IdP; before, the API and git refuse it with the link; the owner revokes it', async (t) => {
  const server = await startTestServer(t, { env: SAML_EDITION_ENV });
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'olga' });
  const member = await server.createUser({ username: 'mia' });
  const { owner: org } = await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member], enforce: true });
  const brochure = await createRepository(server.deps, SITE_ADMIN, org, { name: 'brochure', private: false });
  assert.ok(brochure.ok);
  const token = await server.createToken(member, { scopes: ['repo', 'read:org'] });

  // Refused with GitHub's shape, and a link for exactly this token.
  const refused = await api(server, token, '/repos/acme/vault');
  assert.equal(refused.status, 403);
  assert.deepEqual(refused.body, { message: SSO_REQUIRED_MESSAGE, documentation_url: helpUrl(server, 'samlSso') });
  const link = SSO_HEADER.exec(refused.headers.get('x-github-sso') ?? '')?.[1];
  assert.ok(link, `X-GitHub-SSO: ${refused.headers.get('x-github-sso')}`);
  assert.equal(ghec('GET', '/repos/acme/vault', refused), undefined);
  assert.equal((await api(server, token, '/repos/acme/brochure')).status, 200, 'public repositories stay readable');

  // Git says the same, as remote: lines.
  const basic = `Basic ${Buffer.from(`mia:${token}`).toString('base64')}`;
  const refs = await fetch(`${server.baseUrl}/acme/vault.git/info/refs?service=git-upload-pack`, { headers: { authorization: basic } });
  const lines = (await refs.text()).trim().split('\n');
  assert.equal(refs.status, 403);
  assert.equal(lines[0], SSO_REQUIRED_MESSAGE);
  assert.match(lines[1]!, /^Authorize this token for the acme organization at: http:\/\/127\.0\.0\.1:\d+\/orgs\/acme\/sso\?authorization_request=[0-9a-f]{32}$/);

  // The link: sign in to Tessera, then through the IdP, then confirm.
  idp.signInAs('mia@idp.example.test');
  const browser = await signedInClient(server, member);
  const back = await continueThroughIdp(browser, server, await browser.get(link));
  assert.equal(back.status, 303);
  const tokenId = await tokenIdOf(server, token);
  assert.equal(back.location, `/settings/tokens/${tokenId}/sso/acme`);
  const confirm = await browser.get(`${server.baseUrl}${back.location}`);
  assert.match(confirm.body, /Authorize for acme/);
  const authorized = await browser.submit(`${server.baseUrl}/settings/tokens/${tokenId}/sso/acme/authorize`, {});
  assert.equal(authorized.location, '/settings/tokens?notice=sso-authorized');
  assert.equal((await browser.get(link)).status, 404, 'a link is used once');

  const allowed = await api(server, token, '/repos/acme/vault');
  assert.equal(allowed.status, 200, allowed.text);
  assert.equal(allowed.headers.get('x-github-sso'), null);

  // The owner's own token must be authorized too: the POST form goes through the IdP and finishes on the way back.
  const ownerToken = await server.createToken(owner, { scopes: ['admin:org'] });
  assert.equal((await api(server, ownerToken, '/orgs/acme/credential-authorizations')).status, 403);
  idp.signInAs('olga@idp.example.test');
  const ownerBrowser = await signedInClient(server, owner);
  await ownerBrowser.get(`${server.baseUrl}/settings/tokens`);
  const ownerTokenId = await tokenIdOf(server, ownerToken);
  const toIdp = await ownerBrowser.submit(`${server.baseUrl}/settings/tokens/${ownerTokenId}/sso/acme/authorize`, {});
  assert.equal(toIdp.status, 302);
  assert.equal((await answerAtIdp(ownerBrowser, toIdp.location!)).location, '/settings/tokens?notice=sso-authorized');

  const listed = await api(server, ownerToken, '/orgs/acme/credential-authorizations');
  assert.equal(listed.status, 200, listed.text);
  assert.equal(ghec('GET', '/orgs/acme/credential-authorizations', listed), undefined);
  const items = listed.body as Array<Record<string, unknown>>;
  assert.deepEqual(items.map((item) => [item.login, item.authorized_credential_id, item.credential_type]).sort(), [
    ['mia', tokenId, 'personal access token'], ['olga', ownerTokenId, 'personal access token'],
  ]);
  assert.ok(!listed.text.includes(token) && !listed.text.includes(ownerToken) && !listed.text.includes('token_hash'), 'never a secret');
  const mine = items.find((item) => item.login === 'mia')!;
  assert.deepEqual(mine.scopes, ['repo', 'read:org']);
  assert.equal(typeof mine.credential_accessed_at, 'string', 'last used');

  const revoked = await api(server, ownerToken, `/orgs/acme/credential-authorizations/${String(mine.credential_id)}`, 'DELETE');
  assert.equal(revoked.status, 204);
  assert.equal(ghec('DELETE', `/orgs/acme/credential-authorizations/${String(mine.credential_id)}`, revoked), undefined);
  assert.equal((await api(server, ownerToken, `/orgs/acme/credential-authorizations/${String(mine.credential_id)}`, 'DELETE')).status, 404);
  assert.equal((await api(server, token, '/repos/acme/vault')).status, 403, 'refused again');
  const events = await server.db.selectFrom('security_events').select(['kind', 'actor', 'organization_login']).where('user_id', '=', member.id)
    .where('kind', 'like', 'token.sso%').orderBy('id').execute();
  assert.deepEqual(events.map((event) => ({ ...event })), [
    { kind: 'token.sso_authorized', actor: 'owner', organization_login: 'acme' },
    { kind: 'token.sso_unauthorized', actor: 'organization_owner', organization_login: 'acme' },
  ]);

  // A member may not list them.
  assert.equal((await api(server, token, '/orgs/acme/credential-authorizations')).status, 403);
});

test('the first sign-in links the NameID; later ones must present exactly it, and no two members share one', async (t) => {
  const server = await startTestServer(t, { env: SAML_EDITION_ENV });
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'oscar' });
  const member = await server.createUser({ username: 'nina' });
  const other = await server.createUser({ username: 'otto' });
  await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member, other] });
  const nina = await signedInClient(server, member);

  idp.signInAs('nina@idp.example.test');
  const first = await signInThroughIdp(nina, server, 'acme', '?return_to=/settings/tokens');
  assert.equal(first.status, 303);
  assert.equal(first.location, '/settings/tokens');
  const identity = await server.db.selectFrom('organization_saml_identities').selectAll().where('user_id', '=', member.id).executeTakeFirstOrThrow();
  assert.equal(identity.name_id, 'nina@idp.example.test');
  const sessionEnd = new Date(identity.session_expires_at!).getTime() - Date.now();
  assert.ok(sessionEnd > 7 * 3600_000 && sessionEnd <= 8 * 3600_000, 'the IdP\'s SessionNotOnOrAfter (8 hours)');

  idp.signInAs('NINA@idp.example.test');
  const changed = await signInThroughIdp(nina, server, 'acme');
  assert.equal(changed.status, 403);
  assert.match(changed.body, /Your Tessera account is linked to another identity/);

  // The IdP's post carries no session cookie (SameSite=Lax): its refusal speaks the language of the page that started
  // the sign-in (the account's Russian), not the posting browser's.
  await setAccountLocale(server.deps, member, 'ru');
  const idpUrl = await continueToIdp(nina, server, await nina.get(`${server.baseUrl}/orgs/acme/sso`));
  const form = readIdpForm(await (await fetch(idpUrl)).text());
  const withoutCookie = await new WebClient().post(form.action, form.fields, { 'accept-language': 'en-US,en;q=0.9' });
  assert.equal(withoutCookie.status, 403);
  assert.match(withoutCookie.body, /<html lang="ru"/);
  assert.match(withoutCookie.body, /Ваша учётная запись Tessera связана с другим удостоверением/);
  await setAccountLocale(server.deps, member, null);

  idp.signInAs('nina@idp.example.test');
  const otto = await signedInClient(server, other);
  const taken = await signInThroughIdp(otto, server, 'acme');
  assert.equal(taken.status, 403);
  assert.match(taken.body, /already linked to another Tessera account/);
  assert.equal(await server.db.selectFrom('organization_saml_identities').select('id').where('user_id', '=', other.id).executeTakeFirst(), undefined);

  // Not a member; an open redirect is not followed.
  const outsider = await signedInClient(server, await server.createUser({ username: 'ursula' }));
  const refused = await outsider.get(`${server.baseUrl}/orgs/acme/sso`);
  assert.equal(refused.status, 403);
  assert.match(refused.body, /You are not a member of acme/);
  idp.signInAs('nina@idp.example.test');
  assert.equal((await signInThroughIdp(nina, server, 'acme', '?return_to=//evil.example/')).location, '/acme');

  // Without a Tessera session: sign in first, then back to the sign-in.
  const anonymous = await fetch(`${server.baseUrl}/orgs/acme/sso`, { redirect: 'manual' });
  assert.equal(anonymous.headers.get('location'), `/login?return_to=${encodeURIComponent('/orgs/acme/sso')}`);
});

test('lists leave out what the organization\'s SAML keeps from the token, and say so in X-GitHub-SSO', async (t) => {
  const server = await startTestServer(t, { env: SAML_EDITION_ENV });
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'oona' });
  const member = await server.createUser({ username: 'mads' });
  const { owner: acme } = await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member], enforce: true });
  const plain = await createOrganization(server.deps, SITE_ADMIN, { login: 'plainco', admin: owner }, {});
  assert.ok(plain.ok);
  assert.ok((await addMember(server.deps, SITE_ADMIN, plain.organization, member.username, 'member', {})).ok);
  assert.ok((await createRepository(server.deps, SITE_ADMIN, acme, { name: 'brochure', private: false })).ok);
  const token = await server.createToken(member, { scopes: ['repo', 'read:org'] });
  const partial = `partial-results; organizations=${acme.id}`;

  const orgs = await api(server, token, '/user/orgs');
  assert.deepEqual((orgs.body as Array<{ login: string }>).map((org) => org.login), ['plainco']);
  assert.equal(orgs.headers.get('x-github-sso'), partial);
  const memberships = await api(server, token, '/user/memberships/orgs');
  assert.deepEqual((memberships.body as Array<{ organization: { login: string } }>).map((item) => item.organization.login), ['plainco']);
  assert.equal(memberships.headers.get('x-github-sso'), partial);
  const repos = await api(server, token, '/orgs/acme/repos');
  assert.deepEqual((repos.body as Array<{ name: string }>).map((repo) => repo.name), ['brochure'], 'the public repository, not the private one');
  assert.equal(repos.headers.get('x-github-sso'), partial);
  const members = await api(server, token, '/orgs/acme/members');
  assert.equal(members.status, 200);
  assert.equal(members.headers.get('x-github-sso'), partial);
  const membership = await api(server, token, '/orgs/acme/memberships/oona');
  assert.equal(membership.status, 403);
  assert.match(membership.headers.get('x-github-sso') ?? '', SSO_HEADER);
  assert.equal((await api(server, token, '/orgs/plainco/repos')).headers.get('x-github-sso'), null);
  const graphql = await ask(server, `bearer ${token}`, '{ repository(owner: "acme", name: "vault") { name } }');
  assert.deepEqual(graphql.body.errors?.map((error) => [error.type, error.message]), [['FORBIDDEN', SSO_REQUIRED_MESSAGE]], 'GraphQL says the same');
  const created = await ask(server, `bearer ${token}`, 'mutation($owner: ID!) { createRepository(input: { name: "new", visibility: PRIVATE, ownerId: $owner }) { repository { name } } }',
    { owner: nodeId('Organization', acme.id) });
  assert.deepEqual(created.body.errors?.map((error) => error.message), [SSO_REQUIRED_MESSAGE]);

  // Authorized: everything, and no header.
  idp.signInAs('mads@idp.example.test');
  const browser = await signedInClient(server, member);
  await browser.get(`${server.baseUrl}/settings/tokens`);
  const toIdp = await browser.submit(`${server.baseUrl}/settings/tokens/${await tokenIdOf(server, token)}/sso/acme/authorize`, {});
  assert.equal((await answerAtIdp(browser, toIdp.location!)).location, '/settings/tokens?notice=sso-authorized');
  const all = await api(server, token, '/user/orgs');
  assert.deepEqual((all.body as Array<{ login: string }>).map((org) => org.login).sort(), ['acme', 'plainco']);
  assert.equal(all.headers.get('x-github-sso'), null);
  const allRepos = await api(server, token, '/orgs/acme/repos?sort=full_name');
  assert.deepEqual((allRepos.body as Array<{ name: string }>).map((repo) => repo.name), ['brochure', 'vault']);
  assert.equal(allRepos.headers.get('x-github-sso'), null);
});

test('on a server install organizations cannot require SAML authorization of tokens: the token alone reads an enforcing organization\'s private repository', async (t) => {
  const server = await startTestServer(t); // the server edition, the default
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'olga' });
  const member = await server.createUser({ username: 'mia' });
  await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member], enforce: true });
  const token = await server.createToken(member, { scopes: ['repo', 'read:org'] });

  const read = await api(server, token, '/repos/acme/vault');
  assert.equal(read.status, 200, read.text);
  assert.equal(read.headers.get('x-github-sso'), null);
  const basic = `Basic ${Buffer.from(`mia:${token}`).toString('base64')}`;
  const refs = await fetch(`${server.baseUrl}/acme/vault.git/info/refs?service=git-upload-pack`, { headers: { authorization: basic } });
  assert.equal(refs.status, 200, 'git too');
  await refs.arrayBuffer();
  const orgs = await api(server, token, '/user/orgs');
  assert.deepEqual((orgs.body as Array<{ login: string }>).map((org) => org.login), ['acme']);
  assert.equal(orgs.headers.get('x-github-sso'), null, 'nothing is left out of lists');

  // Nothing on the pages offers or explains an authorization that does not exist here.
  const browser = await signedInClient(server, member);
  const list = await browser.get(`${server.baseUrl}/settings/tokens`);
  assert.equal(list.status, 200);
  assert.ok(!list.body.includes('data-testid="configure-sso"'), 'no Configure SSO on the token list');
  const help = await (await fetch(`${server.baseUrl}/help/personal-access-tokens`)).text();
  assert.ok(!help.includes('id="organizations-with-saml-single-sign-on"') && !help.includes('data-testid="step-sso"'), 'no word of authorizing tokens in the help');
});
