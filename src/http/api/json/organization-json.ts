/**
 * Organizations in GitHub's shapes: "Organization Simple" (lists), "Organization Full" (`GET /orgs/{org}`, with the
 * owners-only fields for an owner acting with `admin:org`) and "Org Membership". Projects, teams, hooks, plans and
 * GitHub's security products are features Tessera does not have: their flags are false and their URLs GitHub's
 * templates. Fields GitHub's description types as non-null strings (name, company, email…) are left out when Tessera
 * has no value, rather than sent as null.
 */
import type { OrganizationMembershipRow, UserRow } from '../../../store/database.ts';
import type { Organization } from '../../../domain/organizations.ts';
import { API_PREFIX, isoSeconds, nodeId } from '../github-json.ts';
import { avatarUrl, type RepositoryCounts, simpleUserJson } from './user-json.ts';

export function organizationSimpleJson(organization: Organization, baseUrl: string) {
  const { owner, profile } = organization;
  const api = `${baseUrl}${API_PREFIX}/orgs/${owner.login}`;
  return {
    login: owner.login,
    id: owner.id,
    node_id: nodeId('Organization', owner.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: avatarUrl(baseUrl, owner),
    description: profile.description,
  };
}

/** `GET /orgs/{org}`: what anyone may see, and for an owner (`ownerView`) the counts and settings GitHub adds. */
export function organizationFullJson(organization: Organization, baseUrl: string, counts: RepositoryCounts, ownerView: boolean) {
  const { owner, profile } = organization;
  const publicView = {
    ...organizationSimpleJson(organization, baseUrl),
    ...(profile.name !== null && { name: profile.name }),
    twitter_username: null,
    is_verified: false,
    has_organization_projects: false,
    has_repository_projects: false,
    public_repos: counts.public,
    public_gists: 0,
    followers: 0,
    following: 0,
    html_url: `${baseUrl}/${owner.login}`,
    type: 'Organization',
    created_at: isoSeconds(owner.created_at),
    updated_at: isoSeconds(profile.updated_at),
    archived_at: null,
  };
  if (!ownerView) return publicView;
  return {
    ...publicView,
    total_private_repos: counts.private,
    owned_private_repos: counts.private,
    private_gists: 0,
    disk_usage: 0,
    collaborators: 0,
    billing_email: null,
    // Every member may read and push to every repository, and create repositories, public and private
    // (authorizeRepository, authorizeRepositoryCreation).
    default_repository_permission: 'write',
    members_can_create_repositories: true,
    two_factor_requirement_enabled: false,
    members_allowed_repository_creation_type: 'all',
    members_can_create_public_repositories: true,
    members_can_create_private_repositories: true,
    members_can_create_internal_repositories: false,
    members_can_create_pages: false,
    members_can_fork_private_repositories: false,
    web_commit_signoff_required: false,
  };
}

/** "Org Membership": Tessera adds members directly, so a membership is always `active`. */
export function organizationMembershipJson(
  organization: Organization,
  user: UserRow,
  membership: Pick<OrganizationMembershipRow, 'role'>,
  baseUrl: string,
) {
  const org = organizationSimpleJson(organization, baseUrl);
  return {
    url: `${org.url}/memberships/${user.username}`,
    state: 'active',
    role: membership.role,
    organization_url: org.url,
    organization: org,
    user: simpleUserJson(user, baseUrl),
    permissions: { can_create_repository: true },
  };
}
