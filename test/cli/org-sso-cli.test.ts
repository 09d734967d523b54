/**
 * `tessera org sso` spawned as an administrator runs it for automation: the IdP from its metadata file and required
 * at once, what is set, a file that cannot be used (said with what to do), and SAML turned off.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEnvironment, cliSession } from '../helpers/cli.ts';
import { createTestIdp } from '../helpers/saml-idp.ts';
import { createTestStore } from '../helpers/store.ts';

test('org sso: set up from the IdP\'s metadata and required, shown, refused with a reason, turned off', async (t) => {
  const store = await createTestStore(t);
  const idp = await createTestIdp(t);
  const env = cliEnvironment(store, { TESSERA_BASE_URL: 'https://code.example.test' });
  const { ok, okWithInput, fails } = cliSession(env);
  const metadata = join(store.dataDir, 'idp.xml');
  await writeFile(metadata, idp.metadataXml());
  const broken = join(store.dataDir, 'broken.xml');
  await writeFile(broken, '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>');

  await okWithInput('correct horse battery\n', 'user', 'create', '--username', 'rita', '--email', 'rita@example.test');
  await ok('org', 'create', '--name', 'acme', '--owner', 'rita');
  assert.equal(await ok('org', 'sso', '--org', 'acme'),
    'acme does not use SAML single sign-on. Set it up with: tessera org sso --org acme --idp-metadata FILE\n');
  await fails(/has no SAML settings yet\. Give its IdP's metadata: tessera org sso --org acme --idp-metadata FILE --enforce/, 'org', 'sso', '--org', 'acme', '--enforce');

  assert.equal(await ok('org', 'sso', '--org', 'ACME', '--idp-metadata', metadata, '--enforce'), [
    'Saved the identity provider of acme.',
    `Identity provider: ${idp.entityId} (sign-on URL ${idp.ssoUrl})`,
    'Required: yes',
    'Tessera\'s metadata for the IdP: https://code.example.test/orgs/acme/saml/metadata',
    '',
  ].join('\n'));
  assert.match(await ok('org', 'sso', '--org', 'acme', '--idp-metadata', metadata), /^The identity provider of acme is unchanged\.\n[\s\S]*Required: yes\n/);

  await fails(/broken\.xml: The metadata is not well-formed XML \(or holds a DOCTYPE, which Tessera refuses\)\./, 'org', 'sso', '--org', 'acme', '--idp-metadata', broken);
  await fails(/Cannot read the metadata file .*missing\.xml: ENOENT\. Give the path of the IdP's metadata XML\./, 'org', 'sso', '--org', 'acme', '--idp-metadata', join(store.dataDir, 'missing.xml'));
  await fails(/No organization named nope\. See them with: tessera org list/, 'org', 'sso', '--org', 'nope');
  await fails(/--disable cannot be combined/, 'org', 'sso', '--org', 'acme', '--disable', '--enforce');

  assert.equal(await ok('org', 'sso', '--org', 'acme', '--disable'),
    'SAML single sign-on is off for acme: its linked identities, SAML sessions and token authorizations were removed.\n');
});
