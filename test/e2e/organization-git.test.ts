/**
 * The real `git` against an organization's repositories: members with `repo` clone and push a private one (token
 * as the password and as a Bearer header alike), a member's token without `repo` is told which scope it lacks, a
 * non-member (and a member once removed) gets "Repository not found", and a public one clones anonymously but takes
 * pushes from members only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addMember, removeMember } from '../../src/domain/organization-members.ts';
import { createOrganization } from '../../src/domain/organizations.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { createRepository } from '../../src/domain/repositories.ts';
import { createGitClient, withCredentials } from '../helpers/git.ts';
import { startTestServer } from '../helpers/server.ts';

test('organization repositories over Git: members clone and push private ones, everyone else is refused', async (t) => {
  const server = await startTestServer(t);
  const git = await createGitClient(t);
  const [mona, hubot, stranger] = await Promise.all(['mona', 'hubot', 'stranger'].map((username) => server.createUser({ username })));
  const created = await createOrganization(server.deps, sessionPrincipal(mona!), { login: 'acme', admin: mona! }, {});
  assert.ok(created.ok);
  const acme = created.organization;
  assert.ok((await addMember(server.deps, sessionPrincipal(mona!), acme, 'hubot', 'member', {})).ok);
  for (const [name, isPrivate] of [['vault', true], ['website', false]] as const) {
    assert.ok((await createRepository(server.deps, sessionPrincipal(mona!), acme.owner, { name, private: isPrivate })).ok);
  }
  const vault = `${server.baseUrl}/acme/vault.git`;
  const website = `${server.baseUrl}/acme/website.git`;
  const memberToken = await server.createToken(hubot!, { scopes: ['repo'] });
  const memberPublicOnly = await server.createToken(hubot!, { scopes: ['public_repo'] });
  const strangerToken = await server.createToken(stranger!, { scopes: ['repo'] });
  const bearer = (token: string) => ['-c', `http.extraHeader=Authorization: Bearer ${token}`];

  const source = join(git.home, 'source');
  await git.ok(['init', '-q', source]);
  await writeFile(join(source, 'README.md'), '# vault\n');
  await git.ok(['add', '.'], { cwd: source });
  await git.ok(['commit', '-qm', 'first'], { cwd: source });

  // A member with repo pushes and clones, as Basic (token as the password) and as Bearer.
  await git.ok(['push', withCredentials(vault, 'hubot', memberToken), 'main'], { cwd: source });
  await git.ok(['push', withCredentials(website, 'hubot', memberToken), 'main'], { cwd: source });
  await git.ok(['clone', '-q', withCredentials(vault, 'hubot', memberToken), 'basic']);
  await git.ok([...bearer(memberToken), 'clone', '-q', vault, 'bearer']);
  assert.equal(await readFile(join(git.home, 'bearer', 'README.md'), 'utf8'), '# vault\n');
  await writeFile(join(git.home, 'bearer', 'NOTES.md'), 'from a member\n');
  await git.ok(['add', '.'], { cwd: join(git.home, 'bearer') });
  await git.ok(['commit', '-qm', 'second'], { cwd: join(git.home, 'bearer') });
  await git.ok([...bearer(memberToken), 'push', '-q', 'origin', 'main'], { cwd: join(git.home, 'bearer') });

  // The member's token without repo, a non-member, nobody: each sent both ways where there is a token.
  for (const [style, args] of [
    ['basic', (token: string, target: string) => ['clone', '-q', withCredentials(vault, 'x', token), target]],
    ['bearer', (token: string, target: string) => [...bearer(token), 'clone', '-q', vault, target]],
  ] as const) {
    const underScoped = await git.run(args(memberPublicOnly, `under-${style}`));
    assert.notEqual(underScoped.code, 0);
    assert.match(underScoped.stderr, /remote: Permission to acme\/vault\.git denied: the token needs the 'repo' scope\./, style);
    const outsider = await git.run(args(strangerToken, `outsider-${style}`));
    assert.notEqual(outsider.code, 0);
    assert.match(outsider.stderr, /remote: Repository not found\./, style);
  }
  const anonymous = await git.run(['clone', '-q', vault, 'anonymous']);
  assert.notEqual(anonymous.code, 0);
  assert.match(anonymous.stderr, /could not read Username/, 'git asks for credentials, as for a repository that does not exist');

  // A public organization repository: anyone clones it, only members push to it.
  await git.ok(['clone', '-q', website, 'public']);
  const foreignPush = await git.run(['push', withCredentials(website, 'stranger', strangerToken), 'main'], { cwd: source });
  assert.notEqual(foreignPush.code, 0);
  assert.match(foreignPush.stderr, /remote: Permission to acme\/website\.git denied to stranger\./);

  // Removed from the organization: the same token finds nothing any more.
  assert.ok((await removeMember(server.deps, sessionPrincipal(mona!), acme, 'hubot', {})).ok);
  const removed = await git.run([...bearer(memberToken), 'fetch', '-q', 'origin'], { cwd: join(git.home, 'bearer') });
  assert.notEqual(removed.code, 0);
  assert.match(removed.stderr, /remote: Repository not found\./);
});
