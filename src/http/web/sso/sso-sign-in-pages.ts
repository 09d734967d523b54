/**
 * Single sign-on to an organization: the SP metadata its IdP administrator imports, the start of a sign-in
 * (GET /orgs/{org}/sso, also the link a refused token is given), and the Assertion Consumer Service the IdP posts to.
 *
 * The ACS takes no cookie and sets none: the browser posts from the IdP's site, the response is verified by
 * src/saml/, and the sign-in is bound to the user who started it (src/domain/sso/saml-sign-in.ts). A refused response
 * gets a page saying what was wrong and what to do, creates no SAML session, and is logged as its code alone.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { takeSsoAuthorizationRequest } from '../../../domain/sso/authorization-requests.ts';
import { finishOrganizationSignIn, type FinishSignInResult, type SignInPurpose, startOrganizationSignIn } from '../../../domain/sso/saml-sign-in.ts';
import { isSamlSessionActive } from '../../../domain/sso/sso-standing.ts';
import { findTokenOfUser } from '../../../store/token-store.ts';
import { findSamlIdentity } from '../../../store/saml-identity-store.ts';
import { buildServiceProviderMetadata, samlServiceProvider } from '../../../saml/service-provider.ts';
import { MAX_SAML_RESPONSE_BYTES } from '../../../saml/verify-response.ts';
import type { OwnerRow, UserRow } from '../../../store/database.ts';
import type { OrganizationSaml } from '../../../domain/sso/saml-settings.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requireWebUser } from '../../plugins/web-session.ts';
import { safeReturnPath } from '../form.ts';
import { describeSignInFailure } from './sign-in-failure-messages.ts';
import { findOrganizationOwner, findSamlOrganization, orgParams, renderNoSaml, renderSsoError } from './sso-pages-common.ts';

/** A base64 SAMLResponse of MAX_SAML_RESPONSE_BYTES, form-encoded (+, / and = become three characters), and room. */
const ACS_BODY_LIMIT = Math.ceil(MAX_SAML_RESPONSE_BYTES / 3) * 4 * 3 + 16 * 1024;

export const tokenSsoPath = (tokenId: number, org: OwnerRow) => `/settings/tokens/${tokenId}/sso/${encodeURIComponent(org.login)}`;

/** Where the browser goes after a successful sign-in, by what it was for. */
function afterSignIn(result: Extract<FinishSignInResult, { ok: true }>, org: OwnerRow): string {
  switch (result.purpose.kind) {
    case 'sign_in':
      return safeReturnPath(result.purpose.returnTo, `/${org.login}`);
    case 'test':
      return `/orgs/${encodeURIComponent(org.login)}/settings/saml?notice=test-succeeded`;
    case 'authorize_token':
      return result.authorization?.ok
        ? '/settings/tokens?notice=sso-authorized'
        : `${tokenSsoPath(result.purpose.tokenId, org)}?notice=not-authorized`;
  }
}

export function registerSsoSignInPages(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string } }>('/orgs/:org/saml/metadata', { schema: { params: orgParams } }, async (request, reply) => {
    const organization = await findOrganizationOwner(deps, request.params.org);
    if (!organization) return reply.callNotFound();
    return reply.type('application/samlmetadata+xml; charset=utf-8').header('Cache-Control', 'no-cache')
      .send(buildServiceProviderMetadata(deps.config.baseUrl, organization.login));
  });

  app.get<{ Params: { org: string }; Querystring: { return_to?: string; authorization_request?: string } }>('/orgs/:org/sso', {
    schema: {
      params: orgParams,
      querystring: {
        type: 'object',
        properties: { return_to: { type: 'string', maxLength: 2000 }, authorization_request: { type: 'string', maxLength: 64 } },
      },
    },
  }, async (request, reply) => {
    const found = await findSamlOrganization(deps, request.params.org);
    if (!found) return renderNoSaml(reply, request.params.org);
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const { organization, saml } = found;
    let purpose: SignInPurpose = { kind: 'sign_in', returnTo: safeReturnPath(request.query.return_to ?? '', `/${organization.login}`) };
    const requestId = request.query.authorization_request;
    if (requestId !== undefined) {
      const asked = await takeSsoAuthorizationRequest(deps, requestId, organization.id);
      const token = asked && await findTokenOfUser(deps.db, user.id, asked.tokenId);
      if (!token) return renderExpiredLink(reply, organization);
      purpose = { kind: 'sign_in', returnTo: tokenSsoPath(token.id, organization) };
      // Already signed in through the IdP: straight to the confirmation.
      if (isSamlSessionActive(await findSamlIdentity(deps.db, organization.id, user.id), deps.clock.now())) return reply.redirect(purpose.returnTo);
    }
    return startSignIn(reply, deps, organization, saml, user, purpose);
  });

  app.post<{ Params: { org: string }; Body: { SAMLResponse?: string; RelayState?: string } }>('/orgs/:org/saml/consume', {
    bodyLimit: ACS_BODY_LIMIT,
    schema: { params: orgParams },
  }, async (request, reply) => {
    const found = await findSamlOrganization(deps, request.params.org);
    if (!found) return renderNoSaml(reply, request.params.org);
    const { organization, saml } = found;
    const retry = `/orgs/${encodeURIComponent(organization.login)}/sso`;
    const posted = (request.body as Record<string, unknown> | undefined)?.SAMLResponse;
    if (typeof posted !== 'string' || posted === '') {
      request.log.warn({ saml_refusal: 'missing', org: organization.login }, 'SAML response refused');
      return renderSsoError(reply, 400, {
        title: 'Single sign-on failed', problem: 'Nothing was posted in place of a SAML response.',
        remedy: 'Start the sign-in again from Tessera.', retry,
      });
    }
    const result = await finishOrganizationSignIn(deps, organization, saml, posted);
    if (!result.ok) {
      // The code only: never the response, the assertion or its NameID.
      request.log.warn({ saml_refusal: result.code, org: organization.login }, 'SAML response refused');
      const words = describeSignInFailure(result.code, organization.login, samlServiceProvider(deps.config.baseUrl, organization.login));
      return renderSsoError(reply, result.code === 'malformed' ? 400 : 403, { title: 'Single sign-on failed', ...words, retry });
    }
    request.log.info({ org: organization.login, user: result.user.username, linked: result.linked }, 'SAML sign-in');
    return reply.code(303).redirect(afterSignIn(result, organization));
  });
}

/** Sends the browser to the IdP, or says why the user cannot sign in to this organization. */
export async function startSignIn(
  reply: FastifyReply, deps: AppDeps, organization: OwnerRow, saml: OrganizationSaml, user: UserRow, purpose: SignInPurpose,
) {
  const started = await startOrganizationSignIn(deps, organization, saml, user, purpose);
  if (!started.ok) {
    return renderSsoError(reply, 403, {
      title: 'Single sign-on is for members',
      problem: started.code === 'not_an_owner'
        ? `Only owners of ${organization.login} can test its SAML settings.`
        : `You are not a member of ${organization.login}.`,
      remedy: `Ask an owner of ${organization.login} to add you.`,
    });
  }
  return reply.redirect(started.url);
}

function renderExpiredLink(reply: FastifyReply, organization: OwnerRow) {
  return renderSsoError(reply, 404, {
    title: 'This authorization link does not work',
    problem: 'The link has expired (links last an hour), was used already, or is for a token of another account.',
    remedy: `Use the token again to get a new link, or authorize it for ${organization.login} under Configure SSO on your personal access tokens page.`,
    retry: '/settings/tokens',
  });
}
