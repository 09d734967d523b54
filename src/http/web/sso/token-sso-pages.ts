/**
 * Authorizing a personal access token for an organization that uses SAML (the token list's "Configure SSO"): the
 * POST form at /settings/tokens/{token_id}/sso/{org}/authorize authorizes it while the user's SAML session for the
 * organization lasts, and otherwise sends them through the IdP first and finishes when they come back. The GET page
 * is where the link of a refused token (X-GitHub-SSO) ends: it names the token and asks for the click that authorizes.
 */
import type { FastifyInstance } from 'fastify';
import { authorizeTokenForOrganization } from '../../../domain/sso/credential-authorizations.ts';
import { isSamlSessionActive } from '../../../domain/sso/sso-standing.ts';
import { findPersonalAccessToken } from '../../../domain/tokens.ts';
import { findSamlIdentity } from '../../../store/saml-identity-store.ts';
import { findMembershipRole } from '../../../store/membership-store.ts';
import type { UserRow } from '../../../store/database.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requestChangeContext } from '../../change-context.ts';
import { requireWebUser } from '../../plugins/web-session.ts';
import { noticeText, pageText } from '../page-locale.ts';
import { renderPage } from '../render.ts';
import { formBody, keyOf, pageQuery } from '../web-input.ts';
import { findSamlOrganization, idpFormActions } from './sso-pages-common.ts';
import { startSignIn } from './sso-sign-in-pages.ts';

const params = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 }, org: { type: 'string', minLength: 1, maxLength: 39 } },
  required: ['id', 'org'],
} as const;

interface Params {
  id: number;
  org: string;
}

/** The `?notice=` of the page, each its key. */
const NOTICES: Record<string, string> = {
  'not-authorized': 'sso:token.notices.not-authorized',
};

export function registerTokenSsoPages(app: FastifyInstance, deps: AppDeps): void {
  /** The user's token and the organization, when both exist, the organization uses SAML and the user is a member. */
  async function load(user: UserRow, tokenId: number, login: string) {
    const found = await findSamlOrganization(deps, login);
    if (!found || !(await findMembershipRole(deps.db, found.organization.id, user.id))) return undefined;
    const token = await findPersonalAccessToken(deps, user, tokenId);
    return token && { ...found, token };
  }

  app.get<{ Params: Params; Querystring: { notice?: string } }>('/settings/tokens/:id/sso/:org', {
    schema: { params, querystring: pageQuery({ notice: keyOf(NOTICES) }) },
  }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const found = await load(user, request.params.id, request.params.org);
    if (!found) return reply.callNotFound();
    const identity = await findSamlIdentity(deps.db, found.organization.id, user.id);
    const { t } = pageText(request);
    return renderPage(reply, 'token-sso', {
      title: t('sso:token.title', { note: found.token.note, org: found.organization.login }),
      token: found.token,
      organization: found.organization,
      signedIn: isSamlSessionActive(identity, deps.clock.now()),
      notice: noticeText(t, NOTICES, request.query.notice),
    }, idpFormActions(found.saml.idp.ssoUrl));
  });

  app.post<{ Params: Params }>('/settings/tokens/:id/sso/:org/authorize', { preHandler: app.csrfProtection, schema: { params, body: formBody() } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const found = await load(user, request.params.id, request.params.org);
    if (!found) return reply.callNotFound();
    const result = await authorizeTokenForOrganization(deps, user, found.token.id, found.organization, requestChangeContext(request));
    if (result.ok) return reply.redirect('/settings/tokens?notice=sso-authorized');
    if (result.code === 'token_not_found') return reply.callNotFound();
    // No SAML session for the organization: through the IdP, and the authorization is finished on the way back.
    return startSignIn(reply, deps, found.organization, found.saml, user, { kind: 'authorize_token', tokenId: found.token.id });
  });
}
