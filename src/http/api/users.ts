import type { FastifyInstance } from 'fastify';
import { tokenPrincipalOf } from '../plugins/api-authentication.ts';
import type { AppDeps } from '../app-deps.ts';
import { sendApiError } from './api-error.ts';
import { JSON_CONTENT_TYPE, privateUserBody, privateUserJson, userJson } from './github-json.ts';
import { organizationAsUserJson } from './json/user-json.ts';
import { PAGE_QUERY_PROPERTIES, pageOf, sendPage, type PageQuery } from './pagination.ts';
import { findUserByName, updateDisplayName } from '../../domain/accounts.ts';
import { findOrganization } from '../../domain/organizations.ts';
import { unsafeTextSentence } from '../../i18n/english-field-errors.ts';
import { countRepositoriesOf } from '../../domain/repository-counts.ts';
import type { UserRow } from '../../store/database.ts';

export const usernameParams = {
  type: 'object',
  properties: { username: { type: 'string', maxLength: 100 } },
  required: ['username'],
} as const;

export const pageQuery = { type: 'object', properties: PAGE_QUERY_PROPERTIES } as const;

export function registerUserRoutes(app: FastifyInstance, deps: AppDeps): void {
  // No Last-Modified on users: their JSON counts repositories, which change without the user's row changing; the
  // ETag (of the body itself) is what makes these conditional.
  const counts = (user: UserRow) => countRepositoriesOf(deps, user.id);

  app.get('/user', { config: { requiresAuthentication: true } }, async (request, reply) => {
    const { user } = tokenPrincipalOf(request);
    const body = privateUserBody(user, deps.config.baseUrl, await counts(user));
    return reply.type(JSON_CONTENT_TYPE).header('etag', body.etag).send(body.json);
  });

  app.patch<{ Body: { name?: string | null } }>('/user', {
    config: { requiresAuthentication: true, requiredScope: 'user', missingScopeStatus: 404 },
    schema: {
      body: {
        type: 'object',
        properties: { name: { type: ['string', 'null'], maxLength: 255 } },
      },
    },
  }, async (request, reply) => {
    const { user: current } = tokenPrincipalOf(request);
    if (request.body.name === undefined) return privateUserJson(current, deps.config.baseUrl, await counts(current));
    const result = await updateDisplayName(deps, current, request.body.name);
    if (!result.ok) {
      return sendApiError(reply, 422, 'Validation Failed', {
        errors: [{ resource: 'User', code: 'custom', field: 'name', message: unsafeTextSentence('name', result.code) }],
      });
    }
    return privateUserJson(result.user, deps.config.baseUrl, await counts(result.user));
  });

  app.get<{ Querystring: PageQuery }>('/user/emails', {
    config: { requiresAuthentication: true, requiredScope: 'user:email', missingScopeStatus: 404 },
    schema: { querystring: pageQuery },
  }, async (request, reply) => {
    const { user } = tokenPrincipalOf(request);
    const emails = [{ email: user.email, primary: true, verified: user.email_verified_at !== null, visibility: 'private' }];
    return sendPage(reply, deps.config.baseUrl, pageOf(request.query), emails);
  });

  app.get<{ Params: { username: string } }>('/users/:username', { schema: { params: usernameParams } }, async (request, reply) => {
    const user = await findUserByName(deps, request.params.username);
    if (user) return userJson(user, deps.config.baseUrl, await counts(user));
    const organization = await findOrganization(deps, request.params.username);
    if (!organization) return sendApiError(reply, 404, 'Not Found');
    return organizationAsUserJson(organization, deps.config.baseUrl, await countRepositoriesOf(deps, organization.owner.id));
  });
}
