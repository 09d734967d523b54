/**
 * An organization with SAML single sign-on on a test server, and a member going through it without a browser: a
 * WebClient signs in to Tessera, follows GET /orgs/{org}/sso to the test IdP (test/helpers/saml-idp-server.ts), and
 * posts the IdP's form to the ACS as a browser would.
 */
import assert from 'node:assert/strict';
import { addMember } from '../../src/domain/organization-members.ts';
import { createOrganization, type Organization } from '../../src/domain/organizations.ts';
import { SITE_ADMIN } from '../../src/domain/principal.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import { saveOrganizationSaml, setSamlEnforcement } from '../../src/domain/sso/saml-settings.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import type { OwnerRow, RepositoryRow, UserRow } from '../../src/store/database.ts';
import type { TestIdpServer } from './saml-idp-server.ts';
import { TEST_PASSWORD, type TestServer } from './server.ts';
import { type PageResponse, WebClient } from './web-client.ts';

/**
 * Organizations can require SAML authorization of tokens only in the cloud editions (src/domain/editions.ts); the SAML
 * tests run as the managed edition, GitHub Enterprise Cloud's counterpart, whose description they check against.
 */
export const SAML_EDITION_ENV: NodeJS.ProcessEnv = { TESSERA_EDITION: 'managed' };

export interface SamlOrganizationFixture {
  organization: Organization;
  owner: OwnerRow;
  /** A private repository of the organization. */
  repository: RepositoryRow;
}

/** An organization owned by `admin` with `members`, a private repository, and SAML settings from the IdP's metadata. */
export async function createSamlOrganization(
  server: TestServer,
  idp: TestIdpServer,
  options: { login: string; admin: UserRow; members: UserRow[]; enforce?: boolean },
): Promise<SamlOrganizationFixture> {
  const created = await createOrganization(server.deps, SITE_ADMIN, { login: options.login, admin: options.admin }, {});
  assert.ok(created.ok, JSON.stringify(created));
  const organization = created.organization;
  for (const member of options.members) assert.ok((await addMember(server.deps, SITE_ADMIN, organization, member.username, 'member', {})).ok);
  const repository = await createRepository(server.deps, SITE_ADMIN, organization.owner, { name: 'vault', private: true });
  assert.ok(repository.ok, JSON.stringify(repository));
  assert.deepEqual(await saveOrganizationSaml(server.deps, organization.owner, { kind: 'metadata', xml: idp.idp.metadataXml() }), { ok: true, changed: true });
  if (options.enforce) assert.ok((await setSamlEnforcement(server.deps, organization.owner, true, { withoutTest: true })).ok);
  return { organization, owner: organization.owner, repository: repository.repository };
}

/** A browser-like client signed in to Tessera as `user`. */
export async function signedInClient(server: TestServer, user: UserRow): Promise<WebClient> {
  const client = new WebClient();
  await client.get(`${server.baseUrl}/login`);
  const signedIn = await client.submit(`${server.baseUrl}/login`, { login: user.username, password: TEST_PASSWORD });
  assert.equal(signedIn.status, 302, 'signed in to Tessera');
  return client;
}

/** The IdP's auto-posting form: where it posts and what. */
export function readIdpForm(html: string): { action: string; fields: Record<string, string> } {
  const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
  assert.ok(action, `an auto-posting form in: ${html.slice(0, 200)}`);
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)]
    .map(([, name, value]) => [name!, value!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')]));
  return { action: action.replace(/&amp;/g, '&'), fields };
}

/**
 * Follows a redirect to the IdP (a Location from Tessera), and posts the IdP's answer to the ACS with `client`.
 * Answers Tessera's reply to that post (a 303 on success).
 */
export async function answerAtIdp(client: WebClient, idpUrl: string): Promise<PageResponse> {
  const atIdp = await fetch(idpUrl);
  assert.equal(atIdp.status, 200, 'the test IdP answered');
  const form = readIdpForm(await atIdp.text());
  return client.submit(form.action, form.fields);
}

/**
 * From the single sign-on page (GET /orgs/{org}/sso, already fetched as `page`): Continue, through the IdP and back;
 * answers the ACS's reply.
 */
export async function continueThroughIdp(client: WebClient, server: TestServer, page: PageResponse): Promise<PageResponse> {
  return answerAtIdp(client, await continueToIdp(client, server, page));
}

/** Continue on the single sign-on page (`page`): the URL at the IdP that Tessera sends the browser to. */
export async function continueToIdp(client: WebClient, server: TestServer, page: PageResponse): Promise<string> {
  assert.equal(page.status, 200, `the single sign-on page: ${page.body.slice(0, 300)}`);
  const action = /<form method="post" action="(\/orgs\/[^"]+\/sso)">/.exec(page.body)?.[1];
  const returnTo = /name="return_to" value="([^"]*)"/.exec(page.body)?.[1];
  assert.ok(action && returnTo !== undefined, 'a Continue form');
  const start = await client.submit(`${server.baseUrl}${action}`, { return_to: returnTo.replace(/&amp;/g, '&').replace(/&#39;/g, '\'') });
  assert.equal(start.status, 302, `Continue redirects to the IdP: ${start.body.slice(0, 300)}`);
  return start.location!;
}

/** GET /orgs/{org}/sso (optionally with a query), Continue, through the IdP and back; answers the ACS's reply. */
export async function signInThroughIdp(client: WebClient, server: TestServer, login: string, query = ''): Promise<PageResponse> {
  return continueThroughIdp(client, server, await client.get(`${server.baseUrl}/orgs/${login}/sso${query}`));
}

export async function tokenIdOf(server: TestServer, secret: string): Promise<number> {
  const row = await server.db.selectFrom('personal_access_tokens').select('id').where('token_hash', '=', hashToken(secret)).executeTakeFirstOrThrow();
  return row.id;
}
