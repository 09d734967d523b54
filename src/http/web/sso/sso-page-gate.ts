/**
 * With SAML required, members reach an organization's pages only while their SAML session for it lasts (GitHub's
 * rule): a page of the organization or of one of its repositories sends a member without one through the IdP and
 * back. Anyone else sees what they saw before (public pages stay public). The sign-in routes themselves, and the SAML
 * and authorization settings (so that owners can repair a broken identity provider), are let through.
 */
import type { FastifyInstance } from 'fastify';
import { ssoRefusal } from '../../../domain/authorization.ts';
import { loadStanding } from '../../../domain/repository-access.ts';
import type { AppDeps } from '../../app-deps.ts';
import { pageText } from '../page-locale.ts';
import { findOrganizationOwner, renderSsoError } from './sso-pages-common.ts';

const OPEN_ORGANIZATION_ROUTES = /^\/orgs\/:org\/(sso|saml\/|settings\/(saml|credential-authorizations|saml-identities))/;

/** The organization login a route's URL names, if the route shows or changes something of one. */
function organizationParam(url: string, params: Record<string, unknown>): string | undefined {
  if (OPEN_ORGANIZATION_ROUTES.test(url)) return undefined;
  const value = url.startsWith('/:owner') ? params.owner : url.startsWith('/:org') || url.startsWith('/orgs/:org') ? params.org : undefined;
  return typeof value === 'string' ? value : undefined;
}

export function registerSsoPageGate(app: FastifyInstance, deps: AppDeps): void {
  app.addHook('preHandler', async (request, reply) => {
    if (!request.webUser) return;
    const login = organizationParam(request.routeOptions.url ?? '', (request.params ?? {}) as Record<string, unknown>);
    const organization = login === undefined ? undefined : await findOrganizationOwner(deps, login);
    if (!organization) return;
    const refusal = ssoRefusal(request.principal, await loadStanding(deps, request.principal, organization));
    if (!refusal) return;
    const ssoPath = `/orgs/${encodeURIComponent(organization.login)}/sso`;
    if (request.method === 'GET' || request.method === 'HEAD') return reply.redirect(`${ssoPath}?return_to=${encodeURIComponent(request.url)}`);
    const { t } = pageText(request);
    return renderSsoError(reply, 403, {
      title: t('sso:errorPage.requiredTitle'),
      problem: t('sso:errorPage.requiredProblem', { org: organization.login }),
      remedy: t('sso:errorPage.requiredRemedy'),
      retry: ssoPath,
    });
  });
}
