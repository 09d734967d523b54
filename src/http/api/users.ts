import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { sendApiError } from './api-error.ts';
import { privateUserJson, userJson } from './github-json.ts';
import { findUserByName, updateDisplayName } from '../../domain/accounts.ts';

const usernameParams = {
  type: 'object',
  properties: { username: { type: 'string', maxLength: 100 } },
  required: ['username'],
} as const;

export function registerUserRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/user', { config: { requiresAuthentication: true } }, async (request) => {
    return privateUserJson(request.actor!.user, deps.config.baseUrl);
  });

  app.patch<{ Body: { name?: string | null } }>('/user', {
    config: { requiresAuthentication: true, requiredScope: 'user', missingScopeStatus: 404 },
    schema: {
      body: {
        type: 'object',
        properties: { name: { type: ['string', 'null'], maxLength: 255 } },
      },
    },
  }, async (request) => {
    const { user: current } = request.actor!;
    const user = request.body.name === undefined ? current : await updateDisplayName(deps, current, request.body.name);
    return privateUserJson(user, deps.config.baseUrl);
  });

  app.get('/user/emails', {
    config: { requiresAuthentication: true, requiredScope: 'user:email', missingScopeStatus: 404 },
  }, async (request) => {
    const { user } = request.actor!;
    return [{ email: user.email, primary: true, verified: user.email_verified_at !== null, visibility: 'private' }];
  });

  app.get<{ Params: { username: string } }>('/users/:username', { schema: { params: usernameParams } }, async (request, reply) => {
    const user = await findUserByName(deps, request.params.username);
    if (!user) return sendApiError(reply, 404, 'Not Found');
    return userJson(user, deps.config.baseUrl);
  });
}
