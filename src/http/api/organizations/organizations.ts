/**
 * Organizations themselves: `GET /orgs/{org}`, the organizations of the authenticated user (`GET /user/orgs`, with
 * `read:org` or higher, as Tessera's issue asks; GitHub also accepts `user`) and of any user (`GET
 * /users/{username}/orgs`, public memberships only, whoever asks), and GitHub Enterprise Server's
 * `POST /admin/organizations` for site administrators (TESSERA_SITE_ADMINS; a 404 to everyone else, as on GHES).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { missingScopeMessage, setAcceptedScopes, tokenPrincipalOf } from '../../plugins/api-authentication.ts';
import { sendApiError, sendCredentialError } from '../api-error.ts';
import { organizationFullJson, organizationSimpleJson } from '../json/organization-json.ts';
import { pageOf, sendPage, type PageQuery } from '../pagination.ts';
import { pageQuery, usernameParams } from '../users.ts';
import { findUserByName } from '../../../domain/accounts.ts';
import { authorizeOrganization } from '../../../domain/authorization.ts';
import {
  createOrganization, type CreateOrganizationResult, findOrganization, listOrganizationsOfUser, listPublicOrganizationsOfUser,
} from '../../../domain/organizations.ts';
import { countRepositoriesOf } from '../../../domain/repository-counts.ts';
import { loadStanding } from '../../../domain/repository-access.ts';
import { profileProblemSentence } from '../../../i18n/english-field-errors.ts';
import { requestChangeContext } from '../../change-context.ts';
import { withoutSsoWithheld } from '../sso-headers.ts';

export const organizationParams = {
  type: 'object',
  properties: { org: { type: 'string', maxLength: 100 } },
  required: ['org'],
} as const;

interface CreateOrganizationBody {
  login: string;
  admin: string;
  profile_name?: string;
}

/** GitHub's 422: `errors` names the field and what is wrong with it. */
function validationFailed(field: string, code: string, message: string) {
  return { errors: [{ resource: 'Organization', field, code, message }] };
}

/** Each refusal a body can cause: the field, GitHub's error code, and what is wrong. */
const CREATION_FAILURES: Partial<Record<Exclude<CreateOrganizationResult, { ok: true }>['code'], [string, string, string]>> = {
  login_invalid: ['login', 'invalid', 'login may only contain letters, digits and single hyphens, not at either end, and is at most 39 characters'],
  login_reserved: ['login', 'invalid', 'login is reserved by this server'],
  login_taken: ['login', 'already_exists', 'login is already taken by a user or an organization'],
  admin_not_found: ['admin', 'invalid', 'admin does not name a user'],
};

export function registerOrganizationObjectRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get<{ Params: { org: string } }>('/orgs/:org', { schema: { params: organizationParams } }, async (request, reply) => {
    const organization = await findOrganization(deps, request.params.org);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    const standing = await loadStanding(deps, request.principal, organization.owner);
    const ownerView = authorizeOrganization(request.principal, 'administer', standing).ok;
    const counts = await countRepositoriesOf(deps, organization.owner.id);
    return organizationFullJson(organization, deps.config.baseUrl, counts, ownerView);
  });

  app.get<{ Querystring: PageQuery }>('/user/orgs', {
    config: { requiresAuthentication: true, requiredScope: 'read:org' },
    schema: { querystring: pageQuery },
  }, async (request, reply) => {
    const principal = tokenPrincipalOf(request);
    const organizations = await withoutSsoWithheld(reply, deps, principal, await listOrganizationsOfUser(deps, principal.user));
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), organizations)
      .map((organization) => organizationSimpleJson(organization, deps.config.baseUrl));
  });

  app.get<{ Params: { username: string }; Querystring: PageQuery }>('/users/:username/orgs', {
    schema: { params: usernameParams, querystring: pageQuery },
  }, async (request, reply) => {
    const user = await findUserByName(deps, request.params.username);
    if (!user) return sendApiError(reply, 404, 'Not Found');
    const organizations = await listPublicOrganizationsOfUser(deps, user);
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), organizations)
      .map((organization) => organizationSimpleJson(organization, deps.config.baseUrl));
  });

  app.post<{ Body: CreateOrganizationBody }>('/admin/organizations', {
    // Site administrators alone, with admin:org: checked by the handler, so that everyone else gets GHES's 404.
    config: { requiresAuthentication: true, scopeCheckedByHandler: 'admin:org' },
    schema: {
      body: {
        type: 'object',
        required: ['login', 'admin'],
        properties: {
          login: { type: 'string', maxLength: 100 },
          admin: { type: 'string', maxLength: 100 },
          profile_name: { type: 'string', maxLength: 1000 },
        },
      },
    },
  }, async (request, reply) => {
    const principal = tokenPrincipalOf(request);
    const result = await createOrganization(deps, principal, {
      login: request.body.login, admin: request.body.admin, name: request.body.profile_name ?? null,
    }, requestChangeContext(request, 'admin'));
    if (result.ok) return reply.code(201).send(organizationSimpleJson(result.organization, deps.config.baseUrl));
    if (result.code === 'missing_scope') {
      setAcceptedScopes(reply, result.scope);
      return sendCredentialError(reply, 403, missingScopeMessage(result.scope), { scope: result.scope });
    }
    if (result.code === 'invalid_profile') {
      return sendApiError(reply, 422, 'Validation Failed', validationFailed('profile_name', 'invalid', profileProblemSentence(result, 'profile_name')));
    }
    const failure = CREATION_FAILURES[result.code];
    if (failure) return sendApiError(reply, 422, 'Validation Failed', validationFailed(...failure));
    return sendApiError(reply, 404, 'Not Found');
  });
}
