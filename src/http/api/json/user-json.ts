/**
 * Users in GitHub's shapes: "Simple User" (a repository's owner), "Public User" (`GET /users/{u}`, which allows no
 * other field) and "Private User" (`GET /user`). Followers, gists, organizations and events are features Tessera
 * does not have: their counts are 0 and their URLs GitHub's templates, as a fresh GitHub account shows them.
 */
import type { Organization } from '../../../domain/organizations.ts';
import type { OwnerRow, UserRow } from '../../../store/database.ts';
import { API_PREFIX, isoSeconds, nodeId } from '../github-json.ts';
import { weakETag } from '../etag.ts';

export interface RepositoryCounts {
  public: number;
  private: number;
}

/** Where a user's avatar is served: an identicon made from the user id (src/http/web/avatars.ts). */
export function avatarUrl(baseUrl: string, owner: { id: number }): string {
  return `${baseUrl}/avatars/u/${owner.id}`;
}

export function simpleUserJson(user: UserRow, baseUrl: string) {
  return simpleOwnerJson({ id: user.id, login: user.username, kind: 'user' }, baseUrl);
}

/** A user or an organization in the "Simple User" shape GitHub gives a repository's owner. */
export function simpleOwnerJson(owner: Pick<OwnerRow, 'id' | 'login' | 'kind'>, baseUrl: string) {
  const api = `${baseUrl}${API_PREFIX}/users/${owner.login}`;
  const type = owner.kind === 'organization' ? 'Organization' : 'User';
  return {
    login: owner.login,
    id: owner.id,
    node_id: nodeId(type, owner.id),
    avatar_url: avatarUrl(baseUrl, owner),
    gravatar_id: '',
    url: api,
    html_url: `${baseUrl}/${owner.login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

interface PublicProfile {
  owner: Pick<OwnerRow, 'id' | 'login' | 'kind'>;
  name: string | null;
  bio: string | null;
  createdAt: string;
  updatedAt: string;
}

/** GitHub's "Public User", for a user or an organization. */
function publicProfileJson(profile: PublicProfile, baseUrl: string, counts: RepositoryCounts) {
  return {
    ...simpleOwnerJson(profile.owner, baseUrl),
    name: profile.name,
    company: null,
    blog: '',
    location: null,
    email: null,
    hireable: null,
    bio: profile.bio,
    twitter_username: null,
    public_repos: counts.public,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: isoSeconds(profile.createdAt),
    updated_at: isoSeconds(profile.updatedAt),
  };
}

/** `GET /users/{u}`: what anyone may see. The email address is never shown to others (Tessera has no public email). */
export function userJson(user: UserRow, baseUrl: string, counts: RepositoryCounts) {
  const owner = { id: user.id, login: user.username, kind: 'user' as const };
  return publicProfileJson({ owner, name: user.name, bio: null, createdAt: user.created_at, updatedAt: user.updated_at }, baseUrl, counts);
}

/**
 * `GET /users/{org}`: GitHub answers an organization's login too, in the same shape with type "Organization" (the
 * login namespace is shared), so a client that looks an owner up by name finds either.
 */
export function organizationAsUserJson(organization: Organization, baseUrl: string, counts: RepositoryCounts) {
  const { owner, profile } = organization;
  return publicProfileJson({
    owner, name: profile.name, bio: profile.description, createdAt: profile.created_at, updatedAt: profile.updated_at,
  }, baseUrl, counts);
}

/** `GET /user`: the authenticated user sees a little more about themselves, as on GitHub. */
export function privateUserJson(user: UserRow, baseUrl: string, counts: RepositoryCounts) {
  return {
    ...userJson(user, baseUrl, counts),
    user_view_type: 'private',
    email: user.email,
    notification_email: user.email,
    private_gists: 0,
    total_private_repos: counts.private,
    owned_private_repos: counts.private,
    disk_usage: 0,
    collaborators: 0,
    two_factor_authentication: false,
  };
}

/**
 * `GET /user`'s body as JSON text. The API's hottest answer is the same bytes for as long as the cached user row and
 * repository counts it is made from live (about a second, see domain/token-cache.ts and repository-counts.ts): it is
 * kept with its ETag beside the row, made again when the counts or the base URL change, and dropped with the row.
 * Only frozen rows and counts are remembered, since a change to either must make a new body.
 */
const privateUserBodies = new WeakMap<UserRow, { counts: RepositoryCounts; baseUrl: string; body: JsonBody }>();

export interface JsonBody {
  json: string;
  etag: string;
}

export function privateUserBody(user: UserRow, baseUrl: string, counts: RepositoryCounts): JsonBody {
  const kept = privateUserBodies.get(user);
  if (kept && kept.counts === counts && kept.baseUrl === baseUrl) return kept.body;
  const json = JSON.stringify(privateUserJson(user, baseUrl, counts));
  const body = { json, etag: weakETag(json) };
  if (Object.isFrozen(user) && Object.isFrozen(counts)) privateUserBodies.set(user, { counts, baseUrl, body });
  return body;
}
