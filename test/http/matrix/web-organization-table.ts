/**
 * The web matrix's rows for organizations and their SAML single sign-on (matrix/web-table.ts holds the rest). The
 * owner owns web-org, which uses SAML (not enforced) and in which the owner has no SAML session; another user is no
 * member of it. An organization's profile settings are its owners': to anyone else they do not exist (404), as on
 * GitHub; its SAML pages tell anyone else that they are for owners (403; the organization's existence is public).
 */
import { all, anyUser, signedIn, target, to, type WebRoute } from './web-vocabulary.ts';

/** Where Tessera sends a browser to sign in: the test IdP, with a one-time AuthnRequest. */
const TO_IDP = to(/^https:\/\/idp\.example\.test\/sso\?SAMLRequest=/);
const ONE_TIME_REQUEST = /\?SAMLRequest=.*$/;
const ORG = '/orgs/web-org';

export const WEB_ORGANIZATION_ROUTES: WebRoute[] = [
  // Pages.
  {
    method: 'GET', url: '/:owner', publicBecause: 'an organization\'s page: its public repositories and members (the rest to members)',
    request: (fixture) => ({ path: `/${fixture.organization}` }), expected: all(200),
  },
  {
    method: 'GET', url: '/:owner/:repo', request: (fixture) => ({ path: `/${fixture.organization}/${fixture.orgRepo}` }),
    expected: { 'signed out': 404, 'another user': 404, owner: 200 },
  },
  {
    method: 'GET', url: '/orgs/:org/people', publicBecause: 'an organization\'s people: public memberships to anyone, all to members',
    request: (fixture) => ({ path: `/orgs/${fixture.organization}/people` }), expected: all(200),
  },
  { method: 'GET', url: '/organizations/new', request: () => ({ path: '/organizations/new' }), expected: anyUser(200) },
  { method: 'GET', url: '/orgs/:org/settings', request: () => ({ path: `${ORG}/settings` }), expected: signedIn(404, 200) },
  { method: 'GET', url: '/orgs/:org/settings/saml', request: () => ({ path: `${ORG}/settings/saml` }), expected: signedIn(403, 200) },
  {
    method: 'GET', url: '/orgs/:org/settings/credential-authorizations', request: () => ({ path: `${ORG}/settings/credential-authorizations` }),
    expected: signedIn(403, 200),
  },
  {
    method: 'GET', url: '/orgs/:org/saml/metadata', publicBecause: 'the service provider\'s SAML metadata, which the IdP reads',
    request: () => ({ path: `${ORG}/saml/metadata` }), expected: all(200), varies: / ID="_\w+"/,
  },
  // Single sign-on is for members: another user is told so.
  { method: 'GET', url: '/orgs/:org/sso', request: () => ({ path: `${ORG}/sso` }), expected: signedIn(403, 200) },
  {
    method: 'GET', url: '/settings/tokens/:id/sso/:org', request: (fixture) => ({ path: `/settings/tokens/${fixture.tokenId}/sso/web-org` }),
    expected: signedIn(404, 200),
  },

  // Forms.
  {
    method: 'POST', url: '/organizations/new',
    request: (_fixture, tag) => ({ path: '/organizations/new', form: { login: `org-${tag}`, name: '', description: '' } }),
    expected: signedIn(to(/^\/org-[\w-]+$/), to(/^\/org-[\w-]+$/)), changes: ['another user', 'owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/settings',
    request: (_fixture, tag) => ({ path: `${ORG}/settings`, form: { name: `Renamed ${tag}`, description: '' } }),
    expected: signedIn(404, to(`${ORG}/settings?notice=updated`)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/people',
    request: (fixture, tag, doomed) => ({ path: `${ORG}/people`, form: { username: target(fixture, tag, doomed).recruit, role: 'member' } }),
    expected: signedIn(403, to(/^\/orgs\/web-org\/people\?done=added&user=recruit-[\w-]+$/)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/people/:username/role',
    request: (fixture, tag, doomed) => ({ path: `${ORG}/people/${target(fixture, tag, doomed).member}/role`, form: { role: 'admin' } }),
    expected: signedIn(403, to(/^\/orgs\/web-org\/people\?done=role&user=member-[\w-]+$/)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/people/:username/remove',
    request: (fixture, tag, doomed) => ({ path: `${ORG}/people/${target(fixture, tag, doomed).member}/remove`, form: {} }),
    expected: signedIn(403, to(/^\/orgs\/web-org\/people\?done=removed&user=member-[\w-]+$/)), changes: ['owner'],
  },
  {
    // Each member shows or conceals their own membership: the owner's, here.
    method: 'POST', url: '/orgs/:org/people/:username/visibility',
    request: (fixture) => ({ path: `${ORG}/people/${fixture.owner.username}/visibility`, form: { public: '1' } }),
    expected: signedIn(403, to(`${ORG}/people?done=visibility&user=web-owner`)), changes: ['owner'],
  },
  {
    // The settings the organization has already: saved again, nothing changes.
    method: 'POST', url: '/orgs/:org/settings/saml', request: (fixture) => ({ path: `${ORG}/settings/saml`, form: { metadata_xml: fixture.idpMetadata } }),
    expected: signedIn(403, to(`${ORG}/settings/saml?notice=unchanged`)),
  },
  {
    method: 'POST', url: '/orgs/:org/settings/saml/test', request: () => ({ path: `${ORG}/settings/saml/test`, form: {} }),
    expected: signedIn(403, TO_IDP), varies: ONE_TIME_REQUEST,
  },
  {
    method: 'POST', url: '/orgs/:org/settings/saml/enforcement', request: () => ({ path: `${ORG}/settings/saml/enforcement`, form: { enforce: 'off' } }),
    expected: signedIn(403, to(`${ORG}/settings/saml?notice=not-enforced`)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/settings/saml/disable',
    request: (fixture, tag, doomed) => ({ path: `/orgs/${target(fixture, tag, doomed).samlOrganization}/settings/saml/disable`, form: {} }),
    expected: signedIn(403, to(/^\/orgs\/sso-owner-[\w-]+\/settings\/saml\?notice=disabled$/)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/settings/credential-authorizations/:id/revoke',
    request: (fixture, tag, doomed) => ({ path: `${ORG}/settings/credential-authorizations/${target(fixture, tag, doomed).authorizationId}/revoke`, form: {} }),
    expected: signedIn(403, to(`${ORG}/settings/credential-authorizations?notice=revoked`)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/settings/saml-identities/:user_id/remove',
    request: (fixture, tag, doomed) => ({ path: `${ORG}/settings/saml-identities/${target(fixture, tag, doomed).linkedUserId}/remove`, form: {} }),
    expected: signedIn(403, to(`${ORG}/settings/credential-authorizations?notice=identity-removed`)), changes: ['owner'],
  },
  {
    method: 'POST', url: '/orgs/:org/sso', request: () => ({ path: `${ORG}/sso`, form: { return_to: '' } }),
    expected: signedIn(403, TO_IDP), varies: ONE_TIME_REQUEST,
  },
  {
    // The owner has no SAML session for web-org: authorizing a token goes through the IdP first.
    method: 'POST', url: '/settings/tokens/:id/sso/:org/authorize', request: (fixture) => ({ path: `/settings/tokens/${fixture.tokenId}/sso/web-org/authorize`, form: {} }),
    expected: signedIn(404, TO_IDP), varies: ONE_TIME_REQUEST,
  },
  {
    method: 'POST', url: '/orgs/:org/saml/consume',
    publicBecause: 'the Assertion Consumer Service: the IdP\'s page posts the signed SAML response here',
    csrfExemptBecause: 'the IdP\'s page posts from its own site; the signed response and its one-time request stand in for a CSRF token',
    request: () => ({ path: `${ORG}/saml/consume`, form: { SAMLResponse: Buffer.from('<not-a-saml-response/>').toString('base64'), RelayState: '' } }),
    expected: all(400),
  },
];
