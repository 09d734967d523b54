/**
 * Signing in to an organization through its IdP, as on GitHub: GET /orgs/{org}/sso (also where a refused token's link
 * and the organization's pages send a member) says where the member is going and why, and its **Continue** button (a
 * POST with a CSRF token, so that no other site can send a browser through the IdP) starts the SP-initiated sign-in.
 * RelayState is Tessera's own handle on where to come back to, a local path checked here and again on the way back.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { takeSsoAuthorizationRequest } from '../../../domain/sso/authorization-requests.ts';
import type { OrganizationSaml } from '../../../domain/sso/saml-settings.ts';
import { type SignInPurpose, startOrganizationSignIn } from '../../../domain/sso/saml-sign-in.ts';
import { isSamlSessionActive } from '../../../domain/sso/sso-standing.ts';
import type { OwnerRow, UserRow } from '../../../store/database.ts';
import { findMembershipRole } from '../../../store/membership-store.ts';
import { findSamlIdentity } from '../../../store/saml-identity-store.ts';
import { findTokenOfUser } from '../../../store/token-store.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requireWebUser } from '../../plugins/web-session.ts';
import { safeReturnPath } from '../form.ts';
import { localeOf, pageText } from '../page-locale.ts';
import { renderPage } from '../render.ts';
import { formBody, pageQuery } from '../web-input.ts';
import { findSamlOrganization, idpFormActions, orgParams, renderNoSaml, renderSsoError, tokenSsoPath } from './sso-pages-common.ts';

const RETURN_TO = { type: 'string', maxLength: 2000 } as const;

function renderNotMember(reply: FastifyReply, organization: OwnerRow, onlyOwners = false) {
  const { t } = pageText(reply.request);
  const org = organization.login;
  return renderSsoError(reply, 403, {
    title: t('sso:errorPage.membersOnlyTitle'),
    problem: t(onlyOwners ? 'sso:errorPage.onlyOwnersTest' : 'sso:errorPage.notMember', { org }),
    remedy: t('sso:errorPage.askToBeAdded', { org }),
  });
}

/** Sends the browser to the IdP, or says why the user cannot sign in to this organization. */
export async function startSignIn(
  reply: FastifyReply, deps: AppDeps, organization: OwnerRow, saml: OrganizationSaml, user: UserRow, purpose: SignInPurpose,
) {
  const started = await startOrganizationSignIn(deps, organization, saml, user, purpose, localeOf(reply.request));
  if (!started.ok) return renderNotMember(reply, organization, started.code === 'not_an_owner');
  return reply.redirect(started.url);
}

function renderExpiredLink(reply: FastifyReply, organization: OwnerRow) {
  const { t } = pageText(reply.request);
  return renderSsoError(reply, 404, {
    title: t('sso:errorPage.expiredLinkTitle'),
    problem: t('sso:errorPage.expiredLinkProblem'),
    remedy: t('sso:errorPage.expiredLinkRemedy', { org: organization.login }),
    retry: '/settings/tokens',
  });
}

export function registerSsoSignInPages(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string }; Querystring: { return_to?: string; authorization_request?: string } }>('/orgs/:org/sso', {
    schema: { params: orgParams, querystring: pageQuery({ return_to: RETURN_TO, authorization_request: { type: 'string', maxLength: 64 } }) },
  }, async (request, reply) => {
    const found = await findSamlOrganization(deps, request.params.org);
    if (!found) return renderNoSaml(reply, request.params.org);
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const { organization } = found;
    if (!(await findMembershipRole(deps.db, organization.id, user.id))) return renderNotMember(reply, organization);
    const identity = await findSamlIdentity(deps.db, organization.id, user.id);
    const signedIn = isSamlSessionActive(identity, deps.clock.now());
    let returnTo = safeReturnPath(request.query.return_to ?? '', `/${organization.login}`);
    if (request.query.authorization_request !== undefined) {
      const asked = await takeSsoAuthorizationRequest(deps, request.query.authorization_request, organization.id);
      const token = asked && await findTokenOfUser(deps.db, user.id, asked.tokenId);
      if (!token) return renderExpiredLink(reply, organization);
      returnTo = tokenSsoPath(token.id, organization);
      // Signed in through the IdP already: straight to the page that authorizes the token.
      if (signedIn) return reply.redirect(returnTo);
    }
    return renderPage(reply, 'sso-start', {
      title: pageText(request).t('sso:start.title', { org: organization.login }),
      organization,
      returnTo,
      sessionEndsAt: signedIn ? new Date(identity!.session_expires_at!) : undefined,
    }, idpFormActions(found.saml.idp.ssoUrl));
  });

  app.post<{ Params: { org: string }; Body: { return_to?: string } }>('/orgs/:org/sso', {
    preHandler: app.csrfProtection, schema: { params: orgParams, body: formBody({ return_to: RETURN_TO }) },
  }, async (request, reply) => {
    const found = await findSamlOrganization(deps, request.params.org);
    if (!found) return renderNoSaml(reply, request.params.org);
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const returnTo = safeReturnPath(request.body.return_to ?? '', `/${found.organization.login}`);
    return startSignIn(reply, deps, found.organization, found.saml, user, { kind: 'sign_in', returnTo });
  });
}
