import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app-deps.ts';
import { registerOrganizationMemberRoutes } from './members.ts';
import { registerOrganizationMembershipChangeRoutes } from './membership-changes.ts';
import { registerOrganizationObjectRoutes } from './organizations.ts';
import { registerOrganizationRepositoryRoutes } from './repositories.ts';

/** Organizations, their members and their repositories, in GitHub's shapes. */
export function registerOrganizationRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerOrganizationObjectRoutes(app, deps);
  registerOrganizationMemberRoutes(app, deps);
  registerOrganizationMembershipChangeRoutes(app, deps);
  registerOrganizationRepositoryRoutes(app, deps);
}
