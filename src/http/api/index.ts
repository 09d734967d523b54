import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { registerApiAuthentication } from '../plugins/api-authentication.ts';
import { sendApiError } from './api-error.ts';
import { registerCredentialRevocationRoutes } from './credential-revocation.ts';
import { registerRateLimitRoutes } from './rate-limit.ts';
import { registerRepositoryRoutes } from './repositories.ts';
import { registerSecurityLogRoutes } from './security-log.ts';
import { registerTokenIntrospectionRoutes } from './token-introspection.ts';
import { registerUserRoutes } from './users.ts';

/** The REST API, mounted under /api/v3 in GitHub's shape. */
export async function apiRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // Clients (curl scripts, some SDKs) send `Content-Type: application/json` on a DELETE with no body; GitHub
  // takes that as no body, so do we. Anything else goes to Fastify's own parser (prototype-poisoning safe), which
  // answers an empty POST or PATCH body with "Problems parsing JSON".
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '' && request.method === 'DELETE') return done(null, undefined);
    return parseJson(request, body as string, done);
  });
  registerApiAuthentication(app, deps);
  app.addHook('onSend', async (_request, reply) => {
    reply.header('X-GitHub-Media-Type', 'github.v3; format=json');
    reply.header('Cache-Control', 'private, no-store');
  });
  app.setNotFoundHandler((_request, reply) => sendApiError(reply, 404, 'Not Found'));
  registerUserRoutes(app, deps);
  registerRepositoryRoutes(app, deps);
  registerRateLimitRoutes(app, deps);
  registerSecurityLogRoutes(app, deps);
  registerCredentialRevocationRoutes(app, deps);
  registerTokenIntrospectionRoutes(app, deps);
}
