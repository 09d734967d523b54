/** The pages of organizations' SAML single sign-on and of authorizing tokens for it. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { registerCredentialAuthorizationPages } from './credential-authorization-pages.ts';
import { registerSamlSettingsPages } from './saml-settings-pages.ts';
import { registerSamlEndpointPages } from './saml-endpoint-pages.ts';
import { registerSsoSignInPages } from './sso-sign-in-pages.ts';
import { registerTokenSsoPages } from './token-sso-pages.ts';

export function registerOrganizationSsoPages(app: FastifyInstance, deps: AppDeps): void {
  registerSsoSignInPages(app, deps);
  registerSamlEndpointPages(app, deps);
  registerSamlSettingsPages(app, deps);
  registerCredentialAuthorizationPages(app, deps);
  registerTokenSsoPages(app, deps);
}
