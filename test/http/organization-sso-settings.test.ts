/**
 * The SAML settings page of an organization, for its owners: Tessera's SP details and metadata, the IdP from its
 * metadata or typed in, "Test SAML configuration" through the test IdP, requiring SAML only after a test succeeded;
 * and, once required, members reaching the organization's pages only through the IdP.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOrganization } from '../../src/domain/organizations.ts';
import { addMember } from '../../src/domain/organization-members.ts';
import { SITE_ADMIN } from '../../src/domain/principal.ts';
import { answerAtIdp, continueThroughIdp, signedInClient } from '../helpers/org-sso.ts';
import { startTestIdpServer } from '../helpers/saml-idp-server.ts';
import { startTestServer } from '../helpers/server.ts';

test('owners set up SAML, test it, and only then require it; members then reach the organization through the IdP', async (t) => {
  const server = await startTestServer(t);
  const idp = await startTestIdpServer(t);
  const owner = await server.createUser({ username: 'ottilie' });
  const member = await server.createUser({ username: 'moritz' });
  const created = await createOrganization(server.deps, SITE_ADMIN, { login: 'acme', admin: owner }, {});
  assert.ok(created.ok);
  assert.ok((await addMember(server.deps, SITE_ADMIN, created.organization, member.username, 'member', {})).ok);
  const settings = `${server.baseUrl}/orgs/acme/settings/saml`;
  const browser = await signedInClient(server, owner);

  const metadata = await fetch(`${server.baseUrl}/orgs/acme/saml/metadata`);
  assert.equal(metadata.status, 200);
  assert.match(metadata.headers.get('content-type')!, /^application\/xml/);
  assert.equal(metadata.headers.get('x-content-type-options'), 'nosniff');
  const spXml = await metadata.text();
  assert.match(spXml, new RegExp(`entityID="${server.baseUrl}/orgs/acme"`));
  assert.match(spXml, new RegExp(`Location="${server.baseUrl}/orgs/acme/saml/consume"`));
  assert.equal((await fetch(`${server.baseUrl}/orgs/nobody/saml/metadata`)).status, 404);

  const empty = await browser.get(settings);
  assert.equal(empty.status, 200);
  assert.match(empty.body, new RegExp(`data-testid="sp-acs-url">${server.baseUrl}/orgs/acme/saml/consume<`));
  assert.equal((await (await signedInClient(server, member)).get(settings)).status, 403, 'members may not');
  assert.equal((await (await signedInClient(server, await server.createUser())).get(settings)).status, 403, 'nor anyone else');
  assert.match((await fetch(settings, { redirect: 'manual' })).headers.get('location')!, /^\/login\?return_to=/);

  const broken = await browser.submit(settings, { metadata_xml: '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>' });
  assert.equal(broken.status, 422);
  assert.match(broken.body, /describes no SAML 2.0 identity provider/);
  const badCertificate = await browser.submit(settings, { sso_url: idp.idp.ssoUrl, entity_id: idp.idp.entityId, certificate: 'not a certificate' });
  assert.equal(badCertificate.status, 422);
  assert.match(badCertificate.body, /could not be read/);

  assert.equal((await browser.submit(settings, { metadata_xml: idp.idp.metadataXml() })).location, '/orgs/acme/settings/saml?notice=saved');
  const saved = await browser.get(settings);
  assert.match(saved.body, new RegExp(`data-testid="idp-entity-id">${idp.idp.entityId}<`));
  assert.match(saved.body, /data-testid="enforcement" disabled/);
  assert.equal((await browser.submit(`${settings}/enforcement`, { enforce: 'on' })).location, '/orgs/acme/settings/saml?notice=not-tested');

  idp.signInAs('ottilie@idp.example.test');
  const toIdp = await browser.submit(`${settings}/test`, {});
  assert.equal(toIdp.status, 302);
  assert.equal((await answerAtIdp(browser, toIdp.location!)).location, '/orgs/acme/settings/saml?notice=test-succeeded');
  assert.match((await browser.get(`${settings}?notice=test-succeeded`)).body, /The test sign-in succeeded/);
  assert.equal((await browser.submit(`${settings}/enforcement`, { enforce: 'on' })).location, '/orgs/acme/settings/saml?notice=enforced');
  assert.equal((await browser.submit(settings, { metadata_xml: idp.idp.metadataXml() })).location, '/orgs/acme/settings/saml?notice=unchanged');
  assert.match((await browser.get(settings)).body, /data-testid="enforcement-status">Required/);

  await t.test('a member without a SAML session is sent through the IdP and back; others see the public page', async () => {
    const memberBrowser = await signedInClient(server, member);
    const page = await memberBrowser.get(`${server.baseUrl}/acme`);
    assert.equal(page.status, 302);
    assert.equal(page.location, '/orgs/acme/sso?return_to=%2Facme');
    idp.signInAs('moritz@idp.example.test');
    const back = await continueThroughIdp(memberBrowser, server, await memberBrowser.get(`${server.baseUrl}${page.location}`));
    assert.equal(back.location, '/acme');
    assert.equal((await memberBrowser.get(`${server.baseUrl}/acme`)).status, 200);
    assert.equal((await memberBrowser.get(`${server.baseUrl}/acme/nothing-here`)).status, 404, 'past the gate, pages answer as before');
    assert.equal((await (await signedInClient(server, await server.createUser())).get(`${server.baseUrl}/acme`)).status, 200);
    assert.equal((await fetch(`${server.baseUrl}/acme`)).status, 200);
  });

  await t.test('another IdP certificate typed in: saved, no longer tested nor required', async () => {
    const other = await idp.idp.makeKey('next');
    const typed = await browser.submit(settings, { sso_url: idp.idp.ssoUrl, entity_id: idp.idp.entityId, certificate: other.certificate });
    assert.equal(typed.location, '/orgs/acme/settings/saml?notice=saved');
    const page = (await browser.get(settings)).body;
    assert.match(page, /Not tested since these settings were saved/);
    assert.match(page, /data-testid="enforcement-status">Not required/);
  });

  await t.test('turned off', async () => {
    assert.equal((await browser.submit(`${settings}/disable`, {})).location, '/orgs/acme/settings/saml?notice=disabled');
    assert.doesNotMatch((await browser.get(settings)).body, /data-testid="idp-settings"/);
    assert.equal((await (await signedInClient(server, member)).get(`${server.baseUrl}/orgs/acme/sso`)).status, 404);
  });
});
