/** Maps Tessera's records to the JSON shapes of GitHub's REST API (snake_case), so existing clients read them. */
import type { RepositoryRow, UserRow } from '../../store/database.ts';

export const API_PREFIX = '/api/v3';
export const DOCUMENTATION_URL = 'https://docs.github.com/rest';

export function userJson(user: UserRow, baseUrl: string) {
  const api = `${baseUrl}${API_PREFIX}/users/${user.username}`;
  return {
    login: user.username,
    id: user.id,
    node_id: Buffer.from(`04:User${user.id}`).toString('base64'),
    avatar_url: `${baseUrl}/${user.username}.png`,
    url: api,
    html_url: `${baseUrl}/${user.username}`,
    repos_url: `${api}/repos`,
    type: 'User',
    site_admin: false,
    name: user.name,
    created_at: isoSeconds(user.created_at),
    updated_at: isoSeconds(user.updated_at),
  };
}

/** The authenticated user sees a little more about themselves, as on GitHub. */
export function privateUserJson(user: UserRow, baseUrl: string) {
  return { ...userJson(user, baseUrl), email: user.email };
}

export function repositoryJson(repository: RepositoryRow, owner: UserRow, baseUrl: string, isAdmin: boolean) {
  const fullName = `${owner.username}/${repository.name}`;
  return {
    id: repository.id,
    node_id: Buffer.from(`010:Repository${repository.id}`).toString('base64'),
    name: repository.name,
    full_name: fullName,
    private: repository.private === 1,
    visibility: repository.private === 1 ? 'private' : 'public',
    owner: userJson(owner, baseUrl),
    html_url: `${baseUrl}/${fullName}`,
    description: repository.description,
    fork: false,
    url: `${baseUrl}${API_PREFIX}/repos/${fullName}`,
    clone_url: `${baseUrl}/${fullName}.git`,
    default_branch: 'main',
    created_at: isoSeconds(repository.created_at),
    updated_at: isoSeconds(repository.updated_at),
    permissions: { admin: isAdmin, maintain: isAdmin, push: isAdmin, triage: isAdmin, pull: true },
  };
}

/** GitHub writes times to the second: 2026-11-25T10:00:00Z. */
export function isoSeconds(iso: string): string {
  return `${iso.slice(0, 19)}Z`;
}
