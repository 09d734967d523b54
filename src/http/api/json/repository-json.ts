/**
 * Repositories in GitHub's "Full Repository" shape (also a valid "Repository" and "Minimal Repository"). Issues,
 * pulls, stars, forks, wikis and pages are features Tessera does not have: counts are 0, flags false, and the URL
 * templates are GitHub's, so a client that expands one gets a clean 404 rather than a parse error.
 */
import type { OwnerRow, RepositoryRow } from '../../../store/database.ts';
import { API_PREFIX, isoSeconds, nodeId } from '../github-json.ts';
import { simpleOwnerJson } from './user-json.ts';

/** `{name}` → `${api}/{name}` for GitHub's URL templates, grouped by their placeholder. */
const TEMPLATED_URLS: Record<string, string> = {
  archive_url: '/{archive_format}{/ref}', assignees_url: '/assignees{/user}', blobs_url: '/git/blobs{/sha}',
  branches_url: '/branches{/branch}', collaborators_url: '/collaborators{/collaborator}', comments_url: '/comments{/number}',
  commits_url: '/commits{/sha}', compare_url: '/compare/{base}...{head}', contents_url: '/contents/{+path}',
  git_commits_url: '/git/commits{/sha}', git_refs_url: '/git/refs{/sha}', git_tags_url: '/git/tags{/sha}',
  issue_comment_url: '/issues/comments{/number}', issue_events_url: '/issues/events{/number}', issues_url: '/issues{/number}',
  keys_url: '/keys{/key_id}', labels_url: '/labels{/name}', milestones_url: '/milestones{/number}',
  notifications_url: '/notifications{?since,all,participating}', pulls_url: '/pulls{/number}', releases_url: '/releases{/id}',
  statuses_url: '/statuses/{sha}', trees_url: '/git/trees{/sha}',
  contributors_url: '/contributors', deployments_url: '/deployments', downloads_url: '/downloads', events_url: '/events',
  forks_url: '/forks', hooks_url: '/hooks', languages_url: '/languages', merges_url: '/merges', stargazers_url: '/stargazers',
  subscribers_url: '/subscribers', subscription_url: '/subscription', tags_url: '/tags', teams_url: '/teams',
};

/** What the caller may do with the repository (authorization.ts repositoryRights). */
export interface RepositoryRights {
  admin: boolean;
  push: boolean;
}

export function repositoryJson(repository: RepositoryRow, owner: OwnerRow, baseUrl: string, rights: RepositoryRights) {
  const fullName = `${owner.login}/${repository.name}`;
  const api = `${baseUrl}${API_PREFIX}/repos/${fullName}`;
  const host = new URL(baseUrl).host;
  const urls = Object.fromEntries(Object.entries(TEMPLATED_URLS).map(([field, suffix]) => [field, `${api}${suffix}`]));
  return {
    id: repository.id,
    node_id: nodeId('Repository', repository.id),
    name: repository.name,
    full_name: fullName,
    private: repository.private === 1,
    visibility: repository.private === 1 ? 'private' : 'public',
    owner: simpleOwnerJson(owner, baseUrl),
    html_url: `${baseUrl}/${fullName}`,
    description: repository.description,
    fork: false,
    url: api,
    ...urls,
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${baseUrl}/${fullName}.git`,
    svn_url: `${baseUrl}/${fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0, forks: 0,
    stargazers_count: 0, watchers_count: 0, watchers: 0, subscribers_count: 0, network_count: 0,
    size: 0,
    default_branch: 'main',
    open_issues_count: 0, open_issues: 0,
    is_template: false,
    topics: [],
    has_issues: false, has_projects: false, has_wiki: false, has_pages: false, has_downloads: false, has_discussions: false,
    archived: false,
    disabled: false,
    license: null,
    allow_forking: false,
    web_commit_signoff_required: false,
    // Tessera does not record pushes on the repository row; its last change is the closest honest time.
    pushed_at: isoSeconds(repository.updated_at),
    created_at: isoSeconds(repository.created_at),
    updated_at: isoSeconds(repository.updated_at),
    permissions: { admin: rights.admin, maintain: rights.admin, push: rights.push, triage: rights.push, pull: true },
  };
}
