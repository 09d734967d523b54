/**
 * Git's share of the security matrix: info/refs (both services), git-upload-pack and git-receive-pack, each sent
 * directly over real HTTP as git sends them, on a public, a private and a missing repository and an organization's
 * private one, × every credential case × `token`, `Bearer` and Basic. What matters is the answer decided before git
 * runs: the same status and text whichever scheme carried the token (GHSA-cc8w-r4qh-3v65), WWW-Authenticate on a 401,
 * a line git can print, no stack trace; an allowed request reaches git; a refused push changes no ref. The expected
 * answers are in matrix/git-table.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createCredentialFixture, present, SCHEMES, type Scheme, unissuedToken, withBadChecksum } from '../helpers/credential-fixture.ts';
import { bareGit, createGitClient, pktLine } from '../helpers/git.ts';
import { coverageProblems } from '../helpers/route-areas.ts';
import { fakeClock, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import type { RepositoryRow } from '../../src/store/database.ts';
import { addMember } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import {
  badCredentialText, expectedOutcome, GIT_CASES, GIT_REPOSITORIES, GIT_REQUESTS, GIT_ROUTES, type GitCase, type GitRepository,
  type GitRequest, refusalOf,
} from './matrix/git-table.ts';

const ZERO = '0'.repeat(40);
const STACK_TRACE = /\bat .*\.[cm]?[jt]s:\d+/;

/** A pack with no objects: what git sends when a push only points a ref at objects the server has. */
function emptyPack(): Buffer {
  const header = Buffer.from([0x50, 0x41, 0x43, 0x4b, 0, 0, 0, 2, 0, 0, 0, 0]);
  return Buffer.concat([header, createHash('sha1').update(header).digest()]);
}

/** One commit on main, made in the bare repository itself. */
function seed(server: TestServer, repository: RepositoryRow): string {
  const tree = bareGit(server, repository, ['hash-object', '-t', 'tree', '-w', '/dev/null']).trim();
  const identity = { GIT_AUTHOR_NAME: 'Seed', GIT_AUTHOR_EMAIL: 'seed@example.test', GIT_COMMITTER_NAME: 'Seed', GIT_COMMITTER_EMAIL: 'seed@example.test' };
  const commit = bareGit(server, repository, ['commit-tree', tree, '-m', 'seed'], identity).trim();
  bareGit(server, repository, ['update-ref', 'refs/heads/main', commit]);
  return commit;
}

function refsOf(server: TestServer, repository: RepositoryRow): string[] {
  return bareGit(server, repository, ['for-each-ref', '--format=%(refname) %(objectname)']).trim().split('\n').filter(Boolean).sort();
}

interface GitAnswer {
  status: number;
  contentType: string | null;
  wwwAuthenticate: string | null;
  text: string;
}

async function send(server: TestServer, path: string, request: GitRequest, authorization: string | undefined, pushBody: Buffer, wantBody: Buffer): Promise<GitAnswer> {
  const [method, endpoint] = request.split(' ') as ['GET' | 'POST', string];
  const service = endpoint.replace(/^info\/refs\?service=/, '');
  const headers: Record<string, string> = { 'user-agent': 'git/2.47.0', ...(authorization !== undefined && { authorization }) };
  if (method === 'POST') {
    headers['content-type'] = `application/x-${service}-request`;
    headers.accept = `application/x-${service}-result`;
  }
  const response = await fetch(`${server.baseUrl}${path}/${endpoint}`, {
    method, headers, ...(method === 'POST' && { body: service === 'git-receive-pack' ? pushBody : wantBody }),
  });
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    wwwAuthenticate: response.headers.get('www-authenticate'),
    text: Buffer.from(await response.arrayBuffer()).toString('latin1'),
  };
}

/**
 * The owner's public and private repositories and a private one of the owner's organization (with a member), each
 * with one commit on main, and the credentials of the matrix.
 */
async function gitFixture(t: Parameters<typeof startTestServer>[0]) {
  const clock = fakeClock();
  const server = await startTestServer(t, {
    clock,
    // The matrix sends hundreds of bad credentials from one address on purpose; the failure limit has its own tests.
    rateLimits: { authenticatedPerHour: 100_000, anonymousPerHour: 100_000, failedAuthenticationsPerHour: 0 },
  });
  const owner = await server.createUser({ username: 'git-owner' });
  const other = await server.createUser({ username: 'git-other' });
  const member = await server.createUser({ username: 'git-member' });
  const created = await createOrganization(server.deps, sessionPrincipal(owner), { login: 'git-org', admin: owner }, {});
  assert.ok(created.ok);
  assert.ok((await addMember(server.deps, sessionPrincipal(owner), created.organization, member.username, 'member', {})).ok);
  const inner = await createRepository(server.deps, sessionPrincipal(owner), created.organization.owner, { name: 'inner', private: true });
  assert.ok(inner.ok);
  const repositories = {
    public: await server.createRepository(owner, 'open', { private: false }),
    private: await server.createRepository(owner, 'closed', { private: true }),
    organization: inner.repository,
  };
  const seeds = {
    public: seed(server, repositories.public), private: seed(server, repositories.private), organization: seed(server, repositories.organization),
  };
  const credentials = await createCredentialFixture(server, clock, { owner, other }, ['repo']);
  const publicRepoOnly = await server.createToken(owner, { scopes: ['public_repo'] });
  const membersToken = await server.createToken(member, { scopes: ['repo'] });
  return { server, owner, other, member, repositories, seeds, credentials, publicRepoOnly, membersToken };
}

test('the Git matrix covers every Git route as registered', async (t) => {
  const server = await startTestServer(t);
  assert.deepEqual(coverageProblems(server.app.registeredRoutes, { git: GIT_ROUTES }), []);
  const invented = [...server.app.registeredRoutes, { method: 'GET', url: '/:owner/:repo.git/info/refs' }];
  assert.deepEqual(coverageProblems(invented, { git: GIT_ROUTES }), ['GET /:owner/:repo.git/info/refs is not in the git security matrix']);
});

test('every Git request × public, private, missing and organization repository × every credential case × token, Bearer and Basic', async (t) => {
  const { server, owner, other, member, repositories, seeds, credentials, publicRepoOnly, membersToken } = await gitFixture(t);
  const { valid, lacking, othersToken, expired, deleted, replaced } = credentials;
  const fullNames: Record<GitRepository, string> = {
    public: `${owner.username}/open`, private: `${owner.username}/closed`, missing: `${owner.username}/absent`, organization: 'git-org/inner',
  };
  const usernames: Record<GitCase, string> = {
    'no credential': '', 'valid token': owner.username, 'public_repo only': owner.username, 'token lacking the scope': owner.username,
    'token of another user': other.username, 'organization member': member.username,
  };

  const working: Record<GitCase, (scheme: Scheme) => string | undefined> = {
    'no credential': () => undefined,
    'valid token': (scheme) => present(scheme, owner.username, valid),
    'public_repo only': (scheme) => present(scheme, owner.username, publicRepoOnly),
    'token lacking the scope': (scheme) => present(scheme, owner.username, lacking),
    'token of another user': (scheme) => present(scheme, other.username, othersToken),
    'organization member': (scheme) => present(scheme, member.username, membersToken),
  };
  const broken: Array<[string, 'malformed' | 'password' | 'expired' | 'unknown', (scheme: Scheme) => string, readonly Scheme[]]> = [
    ['expired token', 'expired', (scheme) => present(scheme, owner.username, expired), SCHEMES],
    ['deleted token', 'unknown', (scheme) => present(scheme, owner.username, deleted), SCHEMES],
    ['regenerated token (old secret)', 'unknown', (scheme) => present(scheme, owner.username, replaced), SCHEMES],
    ['bad checksum', 'unknown', (scheme) => present(scheme, owner.username, withBadChecksum(valid)), SCHEMES],
    ['unknown well-formed token', 'unknown', (scheme) => present(scheme, owner.username, unissuedToken()), SCHEMES],
    ['malformed token', 'unknown', (scheme) => present(scheme, owner.username, 'tsp_tooShort'), SCHEMES],
    ['malformed header', 'malformed', (scheme) => ({ token: `token ${valid} extra`, Bearer: 'Bearer', Basic: `Basic ${Buffer.from('no-colon').toString('base64')}` })[scheme], SCHEMES],
    // A password only travels in Basic (git's username:password); token and Bearer carry tokens.
    ['account password', 'password', (scheme) => present(scheme, owner.username, TEST_PASSWORD), ['Basic']],
  ];

  let requests = 0;
  const allowedPushes: Record<keyof typeof seeds, string[]> = { public: [], private: [], organization: [] };
  for (const repository of GIT_REPOSITORIES) {
    const fullName = fullNames[repository];
    const path = `/${fullName}.git`;
    const head = repository === 'missing' ? seeds.public : seeds[repository];
    const wantBody = Buffer.concat([pktLine(`want ${head}\n`), Buffer.from('0000'), pktLine('done\n')]);
    for (const request of GIT_REQUESTS) {
      const push = request.endsWith('git-receive-pack');
      const cells: Array<{ name: string; schemes: readonly Scheme[]; credential: (scheme: Scheme) => string | undefined; expected: (scheme: Scheme) => { status: number; text?: string } }> = [
        ...broken.map(([name, reason, credential, schemes]) => ({
          name, schemes, credential, expected: () => ({ status: 401, text: badCredentialText(reason, server.baseUrl) }),
        })),
        ...GIT_CASES.map((caseName) => {
          const outcome = expectedOutcome(repository, request, caseName);
          return {
            name: caseName, schemes: caseName === 'no credential' ? ['token'] as const : SCHEMES, credential: working[caseName],
            expected: () => (outcome === 'ok' ? { status: 200 } : refusalOf(outcome, fullName, usernames[caseName], push)),
          };
        }),
      ];
      for (const [caseIndex, cell] of cells.entries()) {
        const answers: Array<[Scheme, GitAnswer, string]> = [];
        for (const scheme of cell.schemes) {
          const expected = cell.expected(scheme);
          // Every push asks for a branch of its own; one that should be refused also asks to delete main.
          const branch = `refs/heads/pushed-c${String(caseIndex).padStart(2, '0')}-s${SCHEMES.indexOf(scheme)}`;
          const commands = [
            ...(expected.status === 200 ? [] : [pktLine(`${head} ${ZERO} refs/heads/main\0report-status delete-refs\n`)]),
            pktLine(`${ZERO} ${head} ${branch}${expected.status === 200 ? '\0report-status' : ''}\n`),
          ];
          const pushBody = Buffer.concat([...commands, Buffer.from('0000'), emptyPack()]);
          const answer = await send(server, path, request, cell.credential(scheme), pushBody, wantBody);
          requests += 1;
          const label = `${request} on the ${repository} repository with ${cell.name} sent as ${scheme}`;
          assert.doesNotMatch(answer.text, STACK_TRACE, `${label}: no stack trace`);
          assert.equal(answer.status, expected.status, `${label}: ${answer.text}`);
          if (expected.text !== undefined) {
            assert.equal(answer.text, `${expected.text}\n`, label);
            assert.equal(answer.contentType, 'text/plain; charset=utf-8', label);
          } else if (request.startsWith('GET')) {
            const service = request.slice(request.indexOf('=') + 1);
            assert.equal(answer.contentType, `application/x-${service}-advertisement`, label);
            assert.ok(answer.text.startsWith(`${pktLine(`# service=${service}\n`).toString()}0000`), label);
            assert.ok(answer.text.includes(`${head} refs/heads/main`), `${label}: git advertised main`);
          } else if (push) {
            assert.equal(answer.contentType, 'application/x-git-receive-pack-result', label);
            assert.match(answer.text, new RegExp(`unpack ok\n.*ok ${branch}\n`, 's'), `${label}: git took the push`);
            allowedPushes[repository as keyof typeof seeds].push(`${branch} ${head}`);
          } else {
            assert.equal(answer.contentType, 'application/x-git-upload-pack-result', label);
            assert.match(answer.text, /NAK\n.*PACK/s, `${label}: git sent a pack`);
          }
          assert.equal(answer.wwwAuthenticate, answer.status === 401 ? 'Basic realm="Tessera"' : null, `${label}: WWW-Authenticate`);
          answers.push([scheme, answer, branch]);
        }
        // The same answer whichever way the token was sent (the branch asked for is the only difference).
        const normalised = answers.map(([, answer, branch]) => ({ ...answer, text: answer.text.replaceAll(branch, 'BRANCH') }));
        for (const [index, answer] of normalised.entries()) {
          assert.deepEqual(answer, normalised[0], `${request} on the ${repository} repository with ${cell.name}: ${answers[index]![0]} answered differently`);
        }
      }
    }
  }
  assert.ok(requests > 400, `the matrix sent ${requests} requests`);

  // Refused pushes changed nothing: main is where it was, and only the allowed pushes made branches.
  for (const repository of ['public', 'private', 'organization'] as const) {
    assert.deepEqual(refsOf(server, repositories[repository]), [`refs/heads/main ${seeds[repository]}`, ...allowedPushes[repository]].sort(), repository);
  }
  assert.equal(allowedPushes.public.length, 6, 'the owner\'s repo and public_repo tokens pushed to the public repository, each way');
  assert.equal(allowedPushes.private.length, 3, 'only the owner\'s repo token pushed to the private one, each way');
  assert.equal(allowedPushes.organization.length, 6, 'the organization\'s owner and member pushed to its private repository, each way');
});

test('a push with an under-scoped token, sent straight to git-receive-pack as token, Bearer and Basic, is refused and changes nothing', async (t) => {
  const { server, owner, repositories, seeds, credentials, publicRepoOnly } = await gitFixture(t);
  // A real new commit and its pack, made by the git client, that would move main if git were ever started.
  const git = await createGitClient(t);
  const work = join(git.home, 'work');
  await git.ok(['init', '-q', work]);
  await git.ok(['commit', '-q', '--allow-empty', '-m', 'not allowed'], { cwd: work });
  const commit = (await git.ok(['rev-parse', 'HEAD'], { cwd: work })).stdout.trim();
  const pack = execFileSync('git', ['-C', work, 'pack-objects', '--stdout', '--revs', '-q'], { input: `${commit}\n`, env: git.env });

  const cases: Array<[string, 'public' | 'private', string, string]> = [
    ['a token without repo or public_repo', 'public', credentials.lacking, "the 'public_repo' or 'repo' scope"],
    ['a token without repo or public_repo', 'private', credentials.lacking, "the 'repo' scope"],
    ['a public_repo token', 'private', publicRepoOnly, "the 'repo' scope"],
  ];
  for (const [what, visibility, token, scope] of cases) {
    const repository = repositories[visibility];
    const before = refsOf(server, repository);
    for (const scheme of SCHEMES) {
      const response = await fetch(`${server.baseUrl}/${owner.username}/${repository.name}.git/git-receive-pack`, {
        method: 'POST',
        headers: { authorization: present(scheme, owner.username, token), 'content-type': 'application/x-git-receive-pack-request' },
        body: Buffer.concat([pktLine(`${seeds[visibility]} ${commit} refs/heads/main\0report-status\n`), Buffer.from('0000'), pack]),
      });
      const label = `${what} pushing to the ${visibility} repository, sent as ${scheme}`;
      assert.equal(response.status, 403, label);
      assert.equal(await response.text(), `Permission to ${owner.username}/${repository.name}.git denied: the token needs ${scope} to push.\n`, label);
      assert.deepEqual(refsOf(server, repository), before, `${label}: refs unchanged`);
      assert.throws(() => bareGit(server, repository, ['cat-file', '-e', commit]), `${label}: no object of the push was kept`);
    }
  }

  // The same request with the owner's repo token is a working push: the refusals above were the token's alone.
  const response = await fetch(`${server.baseUrl}/${owner.username}/closed.git/git-receive-pack`, {
    method: 'POST',
    headers: { authorization: present('Bearer', owner.username, credentials.valid), 'content-type': 'application/x-git-receive-pack-request' },
    body: Buffer.concat([pktLine(`${seeds.private} ${commit} refs/heads/main\0report-status\n`), Buffer.from('0000'), pack]),
  });
  assert.equal(response.status, 200);
  assert.match(await response.text(), /unpack ok\n.*ok refs\/heads\/main\n/s);
  assert.deepEqual(refsOf(server, repositories.private), [`refs/heads/main ${commit}`]);
});
