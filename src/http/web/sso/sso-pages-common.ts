/** What the single sign-on pages share: finding an organization that uses SAML, and the error page. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authorizeOrganization } from '../../../domain/authorization.ts';
import { findOrganization } from '../../../domain/organizations.ts';
import { loadStanding } from '../../../domain/repository-access.ts';
import { findOrganizationSaml, type OrganizationSaml } from '../../../domain/sso/saml-settings.ts';
import type { OwnerRow, UserRow } from '../../../store/database.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requireWebUser } from '../../plugins/web-session.ts';
import { pageText } from '../page-locale.ts';
import { renderPage } from '../render.ts';

export const orgParams = {
  type: 'object',
  properties: { org: { type: 'string', minLength: 1, maxLength: 39 } },
  required: ['org'],
} as const;

/** The organization's owner row (its id and login), by login in any letter case. */
export async function findOrganizationOwner(deps: AppDeps, login: string): Promise<OwnerRow | undefined> {
  return (await findOrganization(deps, login))?.owner;
}

/** The organization and its SAML settings, when it exists and uses SAML. */
export async function findSamlOrganization(deps: AppDeps, login: string): Promise<{ organization: OwnerRow; saml: OrganizationSaml } | undefined> {
  const organization = await findOrganizationOwner(deps, login);
  const saml = organization && await findOrganizationSaml(deps, organization);
  return organization && saml ? { organization, saml } : undefined;
}

/** The error page of single sign-on: its title, what was wrong and what to do, already in the page's language. */
export function renderSsoError(reply: FastifyReply, status: number, page: { title: string; problem: string; remedy: string; retry?: string }) {
  return renderPage(reply.code(status), 'sso-error', page);
}

export function renderNoSaml(reply: FastifyReply, login: string) {
  const { t } = pageText(reply.request);
  return renderSsoError(reply, 404, {
    title: t('sso:errorPage.notSetUpTitle'),
    problem: t('sso:errorPage.notSetUpProblem', { org: login }),
    remedy: t('sso:errorPage.notSetUpRemedy'),
  });
}

/**
 * The organization, when the signed-in user is one of its owners; otherwise the answer is sent (sign in, or a 404 as
 * for an organization that does not exist, or a 403 for a member) and undefined returned.
 */
export async function requireOrganizationOwner(
  request: FastifyRequest, reply: FastifyReply, deps: AppDeps, login: string,
): Promise<{ organization: OwnerRow; user: UserRow } | undefined> {
  const user = requireWebUser(request, reply);
  if (!user) return undefined;
  const organization = await findOrganizationOwner(deps, login);
  const standing = organization && await loadStanding(deps, request.principal, organization);
  const decision = standing ? authorizeOrganization(request.principal, 'administer', standing) : undefined;
  if (organization && decision?.ok) return { organization, user };
  if (decision?.ok === false && decision.code === 'forbidden') {
    const { t } = pageText(request);
    await renderPage(reply.code(403), 'error', {
      title: t('sso:errorPage.ownersOnlyTitle'), message: t('sso:errorPage.ownersOnlyMessage', { org: organization!.login }),
    });
  } else {
    await reply.callNotFound();
  }
  return undefined;
}

export const ssoPath = (organization: { login: string }) => `/orgs/${encodeURIComponent(organization.login)}/sso`;

/** The page that authorizes one of the user's tokens for the organization. */
export const tokenSsoPath = (tokenId: number, organization: { login: string }) => `/settings/tokens/${tokenId}/sso/${encodeURIComponent(organization.login)}`;

/** The IdP's origin: a form that starts a sign-in is answered with a redirect there, which CSP's form-action must allow. */
export function idpFormActions(ssoUrl: string | undefined): string[] {
  return ssoUrl && URL.canParse(ssoUrl) ? [new URL(ssoUrl).origin] : [];
}
