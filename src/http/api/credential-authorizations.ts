/**
 * GitHub's "SAML SSO authorizations" of an organization, for its owners: `GET /orgs/{org}/credential-authorizations`
 * (`read:org`) lists the personal access tokens members authorized for the organization, never a secret, and
 * `DELETE /orgs/{org}/credential-authorizations/{credential_id}` (`admin:org`) revokes one. An owner's own token must
 * itself be authorized for a SAML organization to call them, as on GitHub.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { authorizeOrganization, type OrganizationAction } from '../../domain/authorization.ts';
import { findOwner } from '../../domain/owners.ts';
import type { Principal } from '../../domain/principal.ts';
import { loadStanding } from '../../domain/repository-access.ts';
import { listOrganizationCredentialAuthorizations, revokeCredentialAuthorization } from '../../domain/sso/credential-authorizations.ts';
import type { CredentialAuthorizationListing } from '../../store/credential-authorization-store.ts';
import type { OwnerRow } from '../../store/database.ts';
import type { AppDeps } from '../app-deps.ts';
import { requestChangeContext } from '../change-context.ts';
import { missingScopeMessage } from '../plugins/api-authentication.ts';
import { sendApiError } from './api-error.ts';
import { isoSeconds } from './github-json.ts';
import { type PageQuery, pagedQuery, pageOf, setPageLinks } from './pagination.ts';
import { sendSsoRequired } from './sso-headers.ts';

const orgProperty = { org: { type: 'string', maxLength: 100 } } as const;

function credentialAuthorizationJson({ authorization, token, username }: CredentialAuthorizationListing) {
  return {
    login: username,
    credential_id: authorization.id,
    credential_type: 'personal access token',
    credential_authorized_at: isoSeconds(authorization.created_at),
    credential_accessed_at: token.last_used_at && isoSeconds(token.last_used_at),
    authorized_credential_id: token.id,
    authorized_credential_note: token.note,
    authorized_credential_expires_at: token.expires_at && isoSeconds(token.expires_at),
    scopes: token.scopes === '' ? [] : token.scopes.split(' '),
  };
}

/** The organization when the principal is one of its owners; otherwise GitHub's answer is sent and undefined returned. */
async function ownedOrganization(reply: FastifyReply, deps: AppDeps, principal: Principal, login: string, action: OrganizationAction): Promise<OwnerRow | undefined> {
  const owner = await findOwner(deps, login);
  if (!owner || owner.kind !== 'organization') return void (await sendApiError(reply, 404, 'Not Found'));
  const decision = authorizeOrganization(principal, action, await loadStanding(deps, principal, owner));
  if (decision.ok) return owner;
  if (decision.code === 'sso_required') await sendSsoRequired(reply, deps, principal, decision.organization);
  else if (decision.code === 'forbidden') await sendApiError(reply, 403, 'You must be an owner of this organization.');
  else if (decision.code === 'missing_scope') await sendApiError(reply, 403, missingScopeMessage(decision.scope));
  else await sendApiError(reply, 404, 'Not Found');
  return undefined;
}

export function registerCredentialAuthorizationRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string }; Querystring: PageQuery & { login?: string } }>('/orgs/:org/credential-authorizations', {
    config: { requiresAuthentication: true, requiredScope: 'read:org' },
    schema: {
      params: { type: 'object', properties: orgProperty, required: ['org'] },
      querystring: pagedQuery({ login: { type: 'string', maxLength: 100 } }),
    },
  }, async (request, reply) => {
    const organization = await ownedOrganization(reply, deps, request.principal, request.params.org, 'read_credential_authorizations');
    if (!organization) return reply;
    const page = pageOf(request.query);
    const { items, hasMore } = await listOrganizationCredentialAuthorizations(deps, organization, { ...page, login: request.query.login });
    setPageLinks(reply, deps.config.baseUrl, page, { hasMore });
    return items.map(credentialAuthorizationJson);
  });

  app.delete<{ Params: { org: string; credential_id: number } }>('/orgs/:org/credential-authorizations/:credential_id', {
    config: { requiresAuthentication: true, requiredScope: 'admin:org' },
    schema: {
      params: {
        type: 'object',
        properties: { ...orgProperty, credential_id: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 } },
        required: ['org', 'credential_id'],
      },
    },
  }, async (request, reply) => {
    const organization = await ownedOrganization(reply, deps, request.principal, request.params.org, 'administer');
    if (!organization) return reply;
    const revoked = await revokeCredentialAuthorization(deps, organization, request.params.credential_id, requestChangeContext(request, 'organization_owner'));
    if (!revoked) return sendApiError(reply, 404, 'Not Found');
    return reply.code(204).send();
  });
}
