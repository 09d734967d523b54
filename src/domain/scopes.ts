/**
 * The classic personal-access-token scopes, as a closed tree: a parent grants every scope below it and nothing
 * else (GitHub's "Scopes for OAuth apps"). The tree is data, so the settings page, the API headers and the checks
 * all read the same list.
 */
export interface ScopeDefinition {
  readonly name: string;
  readonly description: string;
  readonly children?: readonly ScopeDefinition[];
}

export const SCOPE_TREE: readonly ScopeDefinition[] = [
  {
    name: 'repo', description: 'Full control of private repositories', children: [
      { name: 'repo:status', description: 'Access commit status' },
      { name: 'repo_deployment', description: 'Access deployment status' },
      { name: 'public_repo', description: 'Access public repositories' },
      { name: 'repo:invite', description: 'Access repository invitations' },
      { name: 'security_events', description: 'Read and write security events' },
    ],
  },
  { name: 'workflow', description: 'Update GitHub Action workflows' },
  {
    name: 'write:packages', description: 'Upload packages to GitHub Package Registry', children: [
      { name: 'read:packages', description: 'Download packages from GitHub Package Registry' },
    ],
  },
  { name: 'delete:packages', description: 'Delete packages from GitHub Package Registry' },
  {
    name: 'admin:org', description: 'Full control of orgs and teams, read and write org projects', children: [
      {
        name: 'write:org', description: 'Read and write org and team membership, read and write org projects', children: [
          { name: 'read:org', description: 'Read org and team membership, read org projects' },
        ],
      },
    ],
  },
  {
    name: 'admin:public_key', description: 'Full control of user public keys', children: [
      {
        name: 'write:public_key', description: 'Write user public keys', children: [
          { name: 'read:public_key', description: 'Read user public keys' },
        ],
      },
    ],
  },
  {
    name: 'admin:repo_hook', description: 'Full control of repository hooks', children: [
      {
        name: 'write:repo_hook', description: 'Write repository hooks', children: [
          { name: 'read:repo_hook', description: 'Read repository hooks' },
        ],
      },
    ],
  },
  { name: 'admin:org_hook', description: 'Full control of organization hooks' },
  { name: 'gist', description: 'Create gists' },
  { name: 'notifications', description: 'Access notifications' },
  {
    name: 'user', description: 'Update ALL user data', children: [
      { name: 'read:user', description: 'Read ALL user profile data' },
      { name: 'user:email', description: 'Access user email addresses (read-only)' },
      { name: 'user:follow', description: 'Follow and unfollow users' },
    ],
  },
  { name: 'delete_repo', description: 'Delete repositories' },
  {
    name: 'admin:gpg_key', description: 'Full control of public user GPG keys', children: [
      {
        name: 'write:gpg_key', description: 'Write public user GPG keys', children: [
          { name: 'read:gpg_key', description: 'Read public user GPG keys' },
        ],
      },
    ],
  },
  {
    name: 'project', description: 'Full control of projects', children: [
      { name: 'read:project', description: 'Read access of projects' },
    ],
  },
];

export type Scope = string;

const PARENT_OF = new Map<Scope, Scope>();
const DESCENDANTS_OF = new Map<Scope, Scope[]>();

function index(definitions: readonly ScopeDefinition[], parent: Scope | undefined): Scope[] {
  const names: Scope[] = [];
  for (const definition of definitions) {
    if (parent) PARENT_OF.set(definition.name, parent);
    const below = index(definition.children ?? [], definition.name);
    DESCENDANTS_OF.set(definition.name, below);
    names.push(definition.name, ...below);
  }
  return names;
}

/** Every scope name, parents before their children, in the order of the settings page. */
export const ALL_SCOPES: readonly Scope[] = index(SCOPE_TREE, undefined);

export function isKnownScope(name: string): boolean {
  return DESCENDANTS_OF.has(name);
}

/** The scopes a scope grants: itself and everything below it. */
export function impliedScopes(scope: Scope): Scope[] {
  return [scope, ...(DESCENDANTS_OF.get(scope) ?? [])];
}

/** The scopes that would grant `scope`: itself and its ancestors, nearest first (X-Accepted-OAuth-Scopes). */
export function scopesGranting(scope: Scope): Scope[] {
  const chain = [scope];
  for (let parent = PARENT_OF.get(scope); parent; parent = PARENT_OF.get(parent)) chain.push(parent);
  return chain;
}

/** True when a token with `granted` scopes may do what `required` allows. */
export function hasScope(granted: readonly Scope[], required: Scope): boolean {
  return scopesGranting(required).some((scope) => granted.includes(scope));
}

export type ScopeParseResult = { ok: true; scopes: Scope[] } | { ok: false; unknown: string[] };

/**
 * Normalises a requested scope list: unknown names are refused, duplicates dropped, and a child is dropped when
 * its parent is also asked for (GitHub stores `repo`, not `repo, public_repo`). The result is in tree order.
 */
export function normalizeScopes(requested: readonly string[]): ScopeParseResult {
  const names = requested.map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !isKnownScope(name));
  if (unknown.length > 0) return { ok: false, unknown: [...new Set(unknown)] };
  const wanted = new Set(names);
  const kept = ALL_SCOPES.filter(
    (scope) => wanted.has(scope) && !scopesGranting(scope).slice(1).some((ancestor) => wanted.has(ancestor)),
  );
  return { ok: true, scopes: kept };
}
