/**
 * The owners' view of an organization's single sign-on: members' linked identities (with "Remove linked identity")
 * and the personal access tokens members authorized for it (note, scopes, when authorized, last used; never a
 * secret), each with "Revoke".
 */
import type { FastifyInstance } from 'fastify';
import { listOrganizationCredentialAuthorizations, removeLinkedIdentity, revokeCredentialAuthorization } from '../../../domain/sso/credential-authorizations.ts';
import { isSamlSessionActive } from '../../../domain/sso/sso-standing.ts';
import { listSamlIdentities } from '../../../store/saml-identity-store.ts';
import type { AppDeps } from '../../app-deps.ts';
import { requestChangeContext } from '../../change-context.ts';
import { noticeText, pageText } from '../page-locale.ts';
import { renderPage } from '../render.ts';
import { formBody, keyOf, pageQuery } from '../web-input.ts';
import { SAML_SETTINGS_NOTICES } from './saml-settings-messages.ts';
import { orgParams, requireOrganizationOwner } from './sso-pages-common.ts';

const PER_PAGE = 50;

const idParams = (name: string) => ({
  type: 'object',
  properties: { org: { type: 'string', minLength: 1, maxLength: 39 }, [name]: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 } },
  required: ['org', name],
} as const);

export function registerCredentialAuthorizationPages(app: FastifyInstance, deps: AppDeps): void {
  const csrf = app.csrfProtection;
  const pagePath = (login: string) => `/orgs/${encodeURIComponent(login)}/settings/credential-authorizations`;

  app.get<{ Params: { org: string }; Querystring: { page?: number; notice?: string } }>('/orgs/:org/settings/credential-authorizations', {
    schema: {
      params: orgParams,
      querystring: pageQuery({ page: { type: 'integer', minimum: 1, maximum: 10_000 }, notice: keyOf(SAML_SETTINGS_NOTICES) }),
    },
  }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    const page = request.query.page ?? 1;
    const now = deps.clock.now();
    const { items, hasMore } = await listOrganizationCredentialAuthorizations(deps, owner.organization, { page, perPage: PER_PAGE });
    const identities = await listSamlIdentities(deps.db, owner.organization.id);
    const { t } = pageText(request);
    return renderPage(reply, 'credential-authorizations', {
      title: t('sso:authorizations.title', { org: owner.organization.login }),
      organization: owner.organization,
      identities: identities.map((identity) => ({ ...identity, sessionActive: isSamlSessionActive(identity, now) })),
      authorizations: items,
      page,
      hasMore,
      notice: noticeText(t, SAML_SETTINGS_NOTICES, request.query.notice),
    });
  });

  app.post<{ Params: { org: string; id: number } }>('/orgs/:org/settings/credential-authorizations/:id/revoke', {
    preHandler: csrf, schema: { params: idParams('id'), body: formBody() },
  }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    if (!(await revokeCredentialAuthorization(deps, owner.organization, request.params.id, requestChangeContext(request, 'organization_owner')))) return reply.callNotFound();
    return reply.redirect(`${pagePath(owner.organization.login)}?notice=revoked`);
  });

  app.post<{ Params: { org: string; user_id: number } }>('/orgs/:org/settings/saml-identities/:user_id/remove', {
    preHandler: csrf, schema: { params: idParams('user_id'), body: formBody() },
  }, async (request, reply) => {
    const owner = await requireOrganizationOwner(request, reply, deps, request.params.org);
    if (!owner) return reply;
    if (!(await removeLinkedIdentity(deps, owner.organization, request.params.user_id, requestChangeContext(request, 'organization_owner')))) return reply.callNotFound();
    return reply.redirect(`${pagePath(owner.organization.login)}?notice=identity-removed`);
  });
}
