/**
 * `tessera org sso`: an organization's SAML single sign-on from the command line, for automation by the site
 * administrator: the IdP from its metadata file, requiring it (without the browser test the settings page asks of
 * owners: the administrator vouches for the IdP), turning it off, or, with no option, what is set.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { findOrganization } from '../../domain/organizations.ts';
import { disableOrganizationSaml, findOrganizationSaml, saveOrganizationSaml, setSamlEnforcement } from '../../domain/sso/saml-settings.ts';
import { idpSettingsError } from '../../http/web/sso/saml-settings-messages.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { samlServiceProvider } from '../../saml/service-provider.ts';
import { CliError } from '../cli-error.ts';
import { DATA_OPTION, type DataOptions, withStore } from '../store-session.ts';

interface SsoOptions extends DataOptions {
  org: string;
  idpMetadata?: string;
  enforce?: boolean;
  disable?: boolean;
}

export function registerOrgSsoCommand(org: Command): void {
  org.command('sso')
    .description('Set up an organization\'s SAML single sign-on from its IdP\'s metadata, require it, or turn it off; with no option, show it')
    .requiredOption('--org <login>', 'organization')
    .option('--idp-metadata <file>', 'the identity provider\'s SAML metadata XML')
    .option('--enforce', 'require members to sign in through the IdP, and tokens to be authorized for the organization')
    .option('--disable', 'turn SAML off: linked identities, SAML sessions and token authorizations are removed')
    .option(...DATA_OPTION)
    .action(async (options: SsoOptions) => {
      if (options.disable && (options.idpMetadata !== undefined || options.enforce)) throw new CliError('--disable cannot be combined with --idp-metadata or --enforce.');
      const metadata = options.idpMetadata === undefined ? undefined : await readMetadata(options.idpMetadata);
      await withStore(options, async (deps) => {
        const organization = (await findOrganization(deps, options.org))?.owner;
        if (!organization) throw new CliError(`No organization named ${options.org}. See them with: tessera org list`);
        const login = organization.login;
        if (options.disable) {
          const disabled = await disableOrganizationSaml(deps, organization);
          return void console.log(disabled
            ? `SAML single sign-on is off for ${login}: its linked identities, SAML sessions and token authorizations were removed.`
            : `${login} does not use SAML single sign-on.`);
        }
        if (metadata !== undefined) {
          const saved = await saveOrganizationSaml(deps, organization, { kind: 'metadata', xml: metadata });
          if (!saved.ok) throw new CliError(`${options.idpMetadata}: ${idpSettingsError(translatorFor('en').t, saved.code)}`);
          console.log(saved.changed ? `Saved the identity provider of ${login}.` : `The identity provider of ${login} is unchanged.`);
        }
        if (options.enforce) {
          const enforced = await setSamlEnforcement(deps, organization, true, { withoutTest: true });
          if (!enforced.ok) throw new CliError(`${login} has no SAML settings yet. Give its IdP's metadata: tessera org sso --org ${login} --idp-metadata FILE --enforce`);
        }
        const saml = await findOrganizationSaml(deps, organization);
        if (!saml) return void console.log(`${login} does not use SAML single sign-on. Set it up with: tessera org sso --org ${login} --idp-metadata FILE`);
        const sp = samlServiceProvider(deps.config.baseUrl, login);
        console.log(`Identity provider: ${saml.idp.entityId} (sign-on URL ${saml.idp.ssoUrl})`);
        console.log(`Required: ${saml.enforced ? 'yes' : `no (require it with: tessera org sso --org ${login} --enforce)`}`);
        console.log(`Tessera's metadata for the IdP: ${sp.metadataUrl}`);
      });
    });
}

async function readMetadata(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read the metadata file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}. Give the path of the IdP's metadata XML.`);
  }
}
