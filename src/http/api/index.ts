import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { registerApiAuthentication } from '../plugins/api-authentication.ts';
import { registerApiBodies } from '../plugins/api-bodies.ts';
import { registerApiProtocol, registerApiVersionCheck } from '../plugins/api-protocol.ts';
import { registerApiSecurityHeaders } from '../plugins/security-headers.ts';
import { registerDiscoveryRoutes } from './discovery.ts';
import { sendApiError } from './api-error.ts';
import { registerCredentialAuthorizationRoutes } from './credential-authorizations.ts';
import { registerCredentialRevocationRoutes } from './credential-revocation.ts';
import { registerOrganizationRoutes } from './organizations/index.ts';
import { registerRateLimitRoutes } from './rate-limit.ts';
import { registerRepositoryRoutes } from './repositories.ts';
import { registerSecurityLogRoutes } from './security-log.ts';
import { registerTokenIntrospectionRoutes } from './token-introspection.ts';
import { registerUserRoutes } from './users.ts';

/** The REST API, mounted under /api/v3 in GitHub's shape. */
export async function apiRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  registerApiBodies(app);
  registerApiSecurityHeaders(app);
  registerApiProtocol(app, deps);
  registerApiAuthentication(app, deps);
  registerApiVersionCheck(app);
  app.setNotFoundHandler((_request, reply) => sendApiError(reply, 404, 'Not Found'));
  registerDiscoveryRoutes(app, deps);
  registerUserRoutes(app, deps);
  registerRepositoryRoutes(app, deps);
  registerOrganizationRoutes(app, deps);
  registerRateLimitRoutes(app, deps);
  registerSecurityLogRoutes(app, deps);
  registerCredentialRevocationRoutes(app, deps);
  registerTokenIntrospectionRoutes(app, deps);
  registerCredentialAuthorizationRoutes(app, deps);
}
