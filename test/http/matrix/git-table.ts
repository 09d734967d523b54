/**
 * Git's share of the security matrix (git-security-matrix.test.ts sends it): the three smart-HTTP endpoints as
 * registered, and what git must be told for each request × repository × credential case. Credentials that do not
 * work at all (expired, deleted, replaced, bad checksum, unknown, malformed, a password) are refused with 401 on every
 * row, whatever the repository; the table below is for credentials that do.
 */
import type { RouteKey } from '../../helpers/route-areas.ts';

export const GIT_ROUTES: RouteKey[] = [
  // HEAD on info/refs is Fastify's copy of the GET route (route-areas.ts).
  { method: 'GET', url: '/:owner/:repo/info/refs' },
  { method: 'POST', url: '/:owner/:repo/git-upload-pack' },
  { method: 'POST', url: '/:owner/:repo/git-receive-pack' },
];

export const GIT_REQUESTS = ['GET info/refs?service=git-upload-pack', 'GET info/refs?service=git-receive-pack', 'POST git-upload-pack', 'POST git-receive-pack'] as const;
export type GitRequest = (typeof GIT_REQUESTS)[number];

/**
 * The owner's repositories: public, private, a name that does not exist (which a private one must look like to
 * whoever may not see it), and a private repository of an organization the owner owns.
 */
export const GIT_REPOSITORIES = ['public', 'private', 'missing', 'organization'] as const;
export type GitRepository = (typeof GIT_REPOSITORIES)[number];

export const GIT_CASES = ['no credential', 'valid token', 'public_repo only', 'token lacking the scope', 'token of another user', 'organization member'] as const;
export type GitCase = (typeof GIT_CASES)[number];

/**
 * What git is told. `ok`: the request reached git (an advertisement, a pack, a push report). The others are
 * refusals decided before git runs: `sign in` 401 with WWW-Authenticate, `not found` 404, `denied` 403 (not the
 * owner's), `needs X` 403 naming the scope the token lacks.
 */
export type GitOutcome = 'ok' | 'sign in' | 'not found' | 'denied' | 'needs repo' | 'needs public_repo';

// The owner's valid token has `repo`; "public_repo only" has just that; the lacking one has gist and read:user (no
// repo, no public_repo); another user's has `repo` but no standing with the owner; the organization member's has
// `repo` and is a member (not an owner) of the owner's organization, and nothing to the owner's own repositories.
const TABLE: Array<[GitRepository, GitRequest, ...GitOutcome[]]> = [
  //                                                         none       valid        public_repo only lacking              another user member
  ['public',       'GET info/refs?service=git-upload-pack',  'ok',      'ok',        'ok',            'ok',                'ok',        'ok'],
  ['public',       'GET info/refs?service=git-receive-pack', 'sign in', 'ok',        'ok',            'needs public_repo', 'denied',    'denied'],
  ['public',       'POST git-upload-pack',                   'ok',      'ok',        'ok',            'ok',                'ok',        'ok'],
  ['public',       'POST git-receive-pack',                  'sign in', 'ok',        'ok',            'needs public_repo', 'denied',    'denied'],
  ['private',      'GET info/refs?service=git-upload-pack',  'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'not found'],
  ['private',      'GET info/refs?service=git-receive-pack', 'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'not found'],
  ['private',      'POST git-upload-pack',                   'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'not found'],
  ['private',      'POST git-receive-pack',                  'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'not found'],
  ['missing',      'GET info/refs?service=git-upload-pack',  'sign in', 'not found', 'not found',     'not found',         'not found', 'not found'],
  ['missing',      'GET info/refs?service=git-receive-pack', 'sign in', 'not found', 'not found',     'not found',         'not found', 'not found'],
  ['missing',      'POST git-upload-pack',                   'sign in', 'not found', 'not found',     'not found',         'not found', 'not found'],
  ['missing',      'POST git-receive-pack',                  'sign in', 'not found', 'not found',     'not found',         'not found', 'not found'],
  ['organization', 'GET info/refs?service=git-upload-pack',  'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'ok'],
  ['organization', 'GET info/refs?service=git-receive-pack', 'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'ok'],
  ['organization', 'POST git-upload-pack',                   'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'ok'],
  ['organization', 'POST git-receive-pack',                  'sign in', 'ok',        'needs repo',    'needs repo',        'not found', 'ok'],
];

export function expectedOutcome(repository: GitRepository, request: GitRequest, caseName: GitCase): GitOutcome {
  const row = TABLE.find(([rowRepository, rowRequest]) => rowRepository === repository && rowRequest === request);
  const outcome = row?.[2 + GIT_CASES.indexOf(caseName)] as GitOutcome | undefined;
  if (!outcome) throw new Error(`no expected answer for ${request} on the ${repository} repository with ${caseName}`);
  return outcome;
}

export const GIT_AUTHENTICATION_REQUIRED = 'Authentication required: use your username and a personal access token as the password.';

/** The status and the text git prints (as `remote:` lines) for a refusal. */
export function refusalOf(outcome: Exclude<GitOutcome, 'ok'>, fullName: string, username: string, push: boolean): { status: number; text: string } {
  const toPush = push ? ' to push' : '';
  switch (outcome) {
    case 'sign in': return { status: 401, text: GIT_AUTHENTICATION_REQUIRED };
    case 'not found': return { status: 404, text: 'Repository not found.' };
    case 'denied': return { status: 403, text: `Permission to ${fullName}.git denied to ${username}.` };
    case 'needs repo': return { status: 403, text: `Permission to ${fullName}.git denied: the token needs the 'repo' scope${toPush}.` };
    case 'needs public_repo': return { status: 403, text: `Permission to ${fullName}.git denied: the token needs the 'public_repo' or 'repo' scope${toPush}.` };
  }
}

/** What git is told for a credential that does not work, by why (the same on every row). */
export function badCredentialText(reason: 'malformed' | 'password' | 'expired' | 'unknown', baseUrl: string): string {
  const tokensPage = `${baseUrl}/settings/tokens`;
  switch (reason) {
    case 'malformed': return 'Invalid credentials. Use your username and a personal access token as the password.';
    case 'password': return `Password authentication is not supported for Git operations. Use a personal access token instead: ${tokensPage}`;
    case 'expired': return `Your personal access token has expired. Regenerate it at ${tokensPage}`;
    case 'unknown': return `Invalid username or token. Password authentication is not supported for Git operations; use a personal access token: ${tokensPage}`;
  }
}
