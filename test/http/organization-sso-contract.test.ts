/**
 * The SAML endpoints against GitHub's published OpenAPI description — Enterprise Cloud's, the one that has
 * organizations' SAML single sign-on — every status each can answer, through Octokit and plain fetch: the owners'
 * credential authorizations, and GitHub's 403 for a token SAML keeps out (its body is Basic Error; its X-GitHub-SSO
 * header, which the description does not describe, is checked for GitHub's form). A guard fails when a SAML route
 * is registered that this test does not exercise.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Octokit } from '@octokit/rest';
import { SSO_REQUIRED_MESSAGE } from '../../src/http/git/git-refusals.ts';
import { answerAtIdp, createSamlOrganization, signedInClient, tokenIdOf, SAML_EDITION_ENV } from '../helpers/org-sso.ts';
import { contractViolationIn, type RecordedResponse, recordingFetch, statusesSeen } from '../helpers/openapi-contract.ts';
import { startTestIdpServer } from '../helpers/saml-idp-server.ts';
import { startTestServer } from '../helpers/server.ts';

const EXPECTED_STATUSES: Record<string, number[]> = {
  'GET /orgs/{org}/credential-authorizations': [200, 401, 403, 404, 422],
  'DELETE /orgs/{org}/credential-authorizations/{credential_id}': [204, 401, 403, 404, 422],
  // The 403 of a token SAML keeps out, on GHEC's operations that answer it.
  'GET /repos/{owner}/{repo}': [200, 403],
  'DELETE /repos/{owner}/{repo}': [403],
  'POST /orgs/{org}/repos': [403],
  'GET /orgs/{org}/memberships/{username}': [403],
};

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

test('SAML endpoints and the 403 of SAML conform to GitHub Enterprise Cloud\'s description, every status', async (t) => {
  const recorded: RecordedResponse[] = [];
  const call = recordingFetch(recorded);
  const server = await startTestServer(t, { env: SAML_EDITION_ENV, rateLimits: { failedAuthenticationsPerHour: 0 } });
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'olaf' });
  const member = await server.createUser({ username: 'mira' });
  await createSamlOrganization(server, idp, { login: 'acme', admin: owner, members: [member], enforce: true });
  const tokens = {
    owner: await server.createToken(owner, { scopes: ['admin:org', 'repo', 'delete_repo'] }),
    ownerReadOnly: await server.createToken(owner, { scopes: ['read:org'] }),
    ownerUnauthorized: await server.createToken(owner, { scopes: ['admin:org', 'repo', 'delete_repo'] }),
    member: await server.createToken(member, { scopes: ['repo', 'read:org'] }),
  };
  for (const [user, token] of [[owner, tokens.owner], [owner, tokens.ownerReadOnly], [member, tokens.member]] as const) {
    idp.signInAs(`${user.username}@idp.example.test`);
    const browser = await signedInClient(server, user);
    await browser.get(`${server.baseUrl}/settings/tokens`);
    const toIdp = await browser.submit(`${server.baseUrl}/settings/tokens/${await tokenIdOf(server, token)}/sso/acme/authorize`, {});
    const done = toIdp.location!.startsWith('/') ? toIdp : await answerAtIdp(browser, toIdp.location!);
    assert.equal(done.location, '/settings/tokens?notice=sso-authorized');
  }
  const octokit = (token?: string) => new Octokit({ baseUrl: server.apiUrl, log: quiet, request: { fetch: call }, ...(token && { auth: token }) });
  const send = async (token: string | undefined, route: string, parameters: Record<string, unknown> = {}) => {
    try {
      return (await octokit(token).request(route, parameters)).status;
    } catch (error) {
      return (error as { status: number }).status;
    }
  };

  const list = 'GET /orgs/{org}/credential-authorizations';
  assert.equal(await send(tokens.owner, list, { org: 'acme' }), 200);
  assert.equal(await send(tokens.owner, list, { org: 'acme', login: 'mira', per_page: 1 }), 200);
  assert.equal(await send(tokens.ownerReadOnly, list, { org: 'acme' }), 200);
  assert.equal(await send(undefined, list, { org: 'acme' }), 401);
  assert.equal(await send(tokens.ownerUnauthorized, list, { org: 'acme' }), 403);
  assert.equal(await send(tokens.member, list, { org: 'acme' }), 403);
  assert.equal(await send(tokens.owner, list, { org: 'nothing-here' }), 404);
  assert.equal(await send(tokens.owner, list, { org: 'acme', per_page: 1000 }), 422);
  const listed = JSON.parse(recorded[0]!.body) as Array<{ credential_id: number; login: string }>;
  const mine = listed.find((item) => item.login === 'mira')!;

  const remove = 'DELETE /orgs/{org}/credential-authorizations/{credential_id}';
  assert.equal(await send(undefined, remove, { org: 'acme', credential_id: mine.credential_id }), 401);
  assert.equal(await send(tokens.member, remove, { org: 'acme', credential_id: mine.credential_id }), 403);
  assert.equal(await send(tokens.ownerReadOnly, remove, { org: 'acme', credential_id: mine.credential_id }), 403);
  assert.equal(await send(tokens.owner, remove, { org: 'acme', credential_id: 'abc' }), 422);
  // The member's token works until its authorization goes.
  assert.equal(await send(tokens.member, 'GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'vault' }), 200);
  assert.equal(await send(tokens.owner, remove, { org: 'acme', credential_id: mine.credential_id }), 204);
  assert.equal(await send(tokens.owner, remove, { org: 'acme', credential_id: mine.credential_id }), 404);

  // GitHub's 403 for a token SAML keeps out, wherever an organization's private resource is asked for.
  assert.equal(await send(tokens.member, 'GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'vault' }), 403);
  assert.equal(await send(tokens.ownerUnauthorized, 'DELETE /repos/{owner}/{repo}', { owner: 'acme', repo: 'vault' }), 403);
  assert.equal(await send(tokens.member, 'POST /orgs/{org}/repos', { org: 'acme', name: 'more' }), 403);
  assert.equal(await send(tokens.member, 'GET /orgs/{org}/memberships/{username}', { org: 'acme', username: 'olaf' }), 403);
  const ssoRefusals = recorded.filter((response) => response.status === 403 && response.body.includes('SAML'));
  assert.equal(ssoRefusals.length, 5);
  for (const refusal of ssoRefusals) assert.equal((JSON.parse(refusal.body) as { message: string }).message, SSO_REQUIRED_MESSAGE);
  const raw = await fetch(`${server.apiUrl}/repos/acme/vault`, { headers: { authorization: `token ${tokens.member}` } });
  assert.match(raw.headers.get('x-github-sso')!, /^required; url=http:\/\/127\.0\.0\.1:\d+\/orgs\/acme\/sso\?authorization_request=[0-9a-f]{32}$/);
  assert.match(raw.headers.get('access-control-expose-headers')!, /X-GitHub-SSO/, 'browsers may read it');

  assert.deepEqual(recorded.map((response) => contractViolationIn('ghec', response)).filter((violation) => violation !== undefined), []);
  const seen = statusesSeen(recorded, 'ghec');
  for (const [operation, statuses] of Object.entries(EXPECTED_STATUSES)) {
    assert.deepEqual(statuses.filter((status) => !seen.get(operation)?.has(status)), [], `${operation}: statuses not exercised`);
  }
  const ssoRoutes = server.app.registeredRoutes.filter((route) => route.method !== 'HEAD' && route.url.startsWith('/api/v3/') && route.url.includes('/credential-authorizations'))
    .map((route) => `${route.method} ${route.url.slice('/api/v3'.length).replace(/:([^/]+)/g, '{$1}')}`);
  assert.deepEqual(ssoRoutes.filter((operation) => !EXPECTED_STATUSES[operation]), [], 'every SAML route is in this test');
});
