/**
 * The two addresses an organization's IdP knows: Tessera's SP metadata, which its administrator imports, and the
 * Assertion Consumer Service it posts responses to.
 *
 * The ACS takes no cookie and sets no session: the browser posts from the IdP's site, the response is verified by
 * src/saml/, and the sign-in is bound to the user who started it (src/domain/sso/saml-sign-in.ts). A refused response
 * gets a page saying what was wrong and what to do, creates no SAML session, and is logged as its code alone.
 */
import type { FastifyInstance } from 'fastify';
import { finishOrganizationSignIn, type FinishSignInResult } from '../../../domain/sso/saml-sign-in.ts';
import { buildServiceProviderMetadata, samlServiceProvider } from '../../../saml/service-provider.ts';
import { MAX_SAML_RESPONSE_BYTES } from '../../../saml/verify-response.ts';
import type { OwnerRow } from '../../../store/database.ts';
import { clientNetworkKey } from '../../../domain/rate-limits.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requestChangeContext } from '../../change-context.ts';
import { NOSNIFF } from '../../plugins/security-headers.ts';
import { safeReturnPath } from '../form.ts';
import { pageText } from '../page-locale.ts';
import { formBody, TEXT } from '../web-input.ts';
import { describeSignInFailure } from './sign-in-failure-messages.ts';
import { findOrganizationOwner, findSamlOrganization, orgParams, renderNoSaml, renderSsoError, ssoPath, tokenSsoPath } from './sso-pages-common.ts';

/** A base64 SAMLResponse of MAX_SAML_RESPONSE_BYTES, form-encoded (+, / and = become three characters), and room. */
const ACS_BODY_LIMIT = Math.ceil(MAX_SAML_RESPONSE_BYTES / 3) * 4 * 3 + 16 * 1024;

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

export function registerSamlEndpointPages(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string } }>('/orgs/:org/saml/metadata', { schema: { params: orgParams } }, async (request, reply) => {
    const organization = await findOrganizationOwner(deps, request.params.org);
    if (!organization) return reply.callNotFound();
    // application/xml rather than SAML's own application/samlmetadata+xml, which browsers download instead of showing;
    // IdPs that fetch metadata take either. Its every byte is Tessera's (the organization's login is letters, digits and
    // hyphens), so browsers may show it with their XML viewer (which a strict CSP would break).
    return reply.type('application/xml; charset=utf-8').headers(NOSNIFF).header('Cache-Control', 'no-cache')
      .send(buildServiceProviderMetadata(deps.config.baseUrl, organization.login));
  });

  app.post<{ Params: { org: string }; Body: { SAMLResponse?: string; RelayState?: string } }>('/orgs/:org/saml/consume', {
    bodyLimit: ACS_BODY_LIMIT,
    // No CSRF token: the IdP's page posts here from its own site; the signed response and its one-time request stand in.
    schema: { params: orgParams, body: formBody({ SAMLResponse: TEXT, RelayState: TEXT }) },
  }, async (request, reply) => {
    // Verifying a response costs parsing and signature checks: a client network whose responses keep being refused
    // is turned away for the rest of the hour (refusals alone count, so many members behind one address sign in).
    const { t } = pageText(request);
    const refusals = { key: `saml-refused:${clientNetworkKey(request.ip)}`, limit: deps.rateLimits.failedAuthenticationsPerHour };
    const standing = await deps.shared.rateLimiter.peek(refusals.key, refusals.limit, deps.clock.now());
    if (refusals.limit > 0 && standing.remaining === 0) {
      reply.header('Retry-After', Math.max(1, Math.ceil((standing.resetAt.getTime() - deps.clock.now().getTime()) / 1000)));
      return renderSsoError(reply, 429, {
        title: t('sso:errorPage.tooManyTitle'),
        problem: t('sso:errorPage.tooManyProblem'),
        remedy: t('sso:errorPage.tooManyRemedy', { time: standing.resetAt.toISOString().slice(11, 16) }),
      });
    }
    const found = await findSamlOrganization(deps, request.params.org);
    if (!found) return renderNoSaml(reply, request.params.org);
    const { organization, saml } = found;
    const retry = ssoPath(organization);
    const posted = request.body.SAMLResponse;
    if (posted === undefined || posted === '') {
      request.log.warn({ saml_refusal: 'missing', org: organization.login }, 'SAML response refused');
      return renderSsoError(reply, 400, {
        title: t('sso:errorPage.failedTitle'), problem: t('sso:errorPage.nothingPosted'), remedy: t('sso:errorPage.startAgain'), retry,
      });
    }
    const result = await finishOrganizationSignIn(deps, organization, saml, posted, requestChangeContext(request));
    if (!result.ok) {
      await deps.shared.rateLimiter.consume(refusals.key, refusals.limit, deps.clock.now());
      // The code only: never the response, the assertion or its NameID.
      request.log.warn({ saml_refusal: result.code, org: organization.login }, 'SAML response refused');
      // A refusal after the sign-in was recognised speaks the language of the page that started it: the IdP's post
      // carries no session cookie to tell the account's language by.
      if (result.locale) request.locale = result.locale;
      const { t } = pageText(request);
      const words = describeSignInFailure(t, result.code, organization.login, samlServiceProvider(deps.config.baseUrl, organization.login));
      return renderSsoError(reply, result.code === 'malformed' ? 400 : 403, { title: t('sso:errorPage.failedTitle'), ...words, retry });
    }
    request.log.info({ org: organization.login, user: result.user.username, linked: result.linked }, 'SAML sign-in');
    return reply.code(303).redirect(afterSignIn(result, organization));
  });
}
