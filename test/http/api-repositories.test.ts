/** The REST API's repository endpoints through Octokit: list, create, read and delete, each with the scopes it needs, 404 for the hidden. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { docsUrl, helpUrl } from '../helpers/api-docs.ts';
import { header, makeRepository, octokitFailure, octokitFor, octokitWithHeader, repositoryExists } from './api-fixture.ts';

test('GET /user/repos lists the owner\'s repositories; private ones only with `repo`', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'lister' });
  const other = await server.createUser({ username: 'stranger' });
  await makeRepository(server, user, 'open-one', false);
  await makeRepository(server, user, 'secret-one', true);
  await makeRepository(server, other, 'not-mine', false);

  const full = await octokitFor(server, await server.createToken(user, { scopes: ['repo'] })).rest.repos.listForAuthenticatedUser();
  assert.deepEqual(full.data.map((repository) => repository.full_name).sort(), ['lister/open-one', 'lister/secret-one']);
  const secret = full.data.find((repository) => repository.name === 'secret-one');
  assert.equal(secret?.private, true);
  assert.equal(secret?.visibility, 'private');
  assert.equal(secret?.owner.login, 'lister');
  assert.equal(secret?.permissions?.admin, true);

  const publicOnly = await octokitFor(server, await server.createToken(user, { scopes: ['public_repo'] })).rest.repos.listForAuthenticatedUser();
  assert.deepEqual(publicOnly.data.map((repository) => repository.full_name), ['lister/open-one']);

  const anonymous = await octokitFailure(octokitWithHeader(server).rest.repos.listForAuthenticatedUser(), 401);
  assert.deepEqual(anonymous.data, { message: 'Requires authentication', documentation_url: helpUrl(server, 'api') });
});

test('POST /user/repos needs `repo`, or `public_repo` for a public repository', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'creator' });
  const full = octokitFor(server, await server.createToken(user, { scopes: ['repo'] }));
  const publicOnly = octokitFor(server, await server.createToken(user, { scopes: ['public_repo'] }));
  const none = octokitFor(server, await server.createToken(user, { scopes: ['user'] }));

  const created = await full.rest.repos.createForAuthenticatedUser({ name: 'private-made', private: true, description: 'd' });
  assert.equal(created.status, 201);
  assert.equal(created.data.full_name, 'creator/private-made');
  assert.equal(created.data.private, true);
  assert.equal(created.data.description, 'd');
  assert.equal(header(created.headers, 'x-accepted-oauth-scopes'), 'repo');

  const publicMade = await publicOnly.rest.repos.createForAuthenticatedUser({ name: 'public-made' });
  assert.equal(publicMade.status, 201);
  assert.equal(publicMade.data.private, false);
  assert.equal(header(publicMade.headers, 'x-accepted-oauth-scopes'), 'public_repo, repo');

  const privateRefused = await octokitFailure(publicOnly.rest.repos.createForAuthenticatedUser({ name: 'nope-private', private: true }), 404);
  assert.equal(header(privateRefused.headers, 'x-accepted-oauth-scopes'), 'repo');
  const publicRefused = await octokitFailure(none.rest.repos.createForAuthenticatedUser({ name: 'nope-public' }), 404);
  assert.equal(header(publicRefused.headers, 'x-accepted-oauth-scopes'), 'public_repo, repo');
  assert.equal(header(publicRefused.headers, 'x-oauth-scopes'), 'user');
  assert.equal(await repositoryExists(server, user, 'nope-private'), false);
  assert.equal(await repositoryExists(server, user, 'nope-public'), false);

  const duplicate = await octokitFailure(full.rest.repos.createForAuthenticatedUser({ name: 'private-made' }), 422);
  assert.equal((duplicate.data as { message: string }).message, 'Repository creation failed.');
  const invalid = await octokitFailure(full.rest.repos.createForAuthenticatedUser({ name: 'bad name!' }), 422);
  assert.equal((invalid.data as { errors: Array<{ field: string }> }).errors[0]?.field, 'name');
});

test('GET /repos/{owner}/{repo}: public to anyone; private only to its owner with `repo`, 404 otherwise', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'keeper' });
  const other = await server.createUser({ username: 'peeker' });
  await makeRepository(server, owner, 'shown', false);
  await makeRepository(server, owner, 'hidden', true);
  const ownerFull = octokitFor(server, await server.createToken(owner, { scopes: ['repo'] }));
  const ownerPublicOnly = octokitFor(server, await server.createToken(owner, { scopes: ['public_repo', 'user'] }));
  const otherFull = octokitFor(server, await server.createToken(other, { scopes: ['repo', 'delete_repo'] }));
  const anonymous = octokitWithHeader(server);

  for (const client of [ownerFull, ownerPublicOnly, otherFull, anonymous]) {
    const { data } = await client.rest.repos.get({ owner: 'keeper', repo: 'shown' });
    assert.equal(data.full_name, 'keeper/shown');
    assert.equal(data.private, false);
  }
  const asOwner = await ownerFull.rest.repos.get({ owner: 'keeper', repo: 'hidden' });
  assert.equal(asOwner.data.private, true);
  assert.equal(asOwner.data.permissions?.admin, true);
  assert.equal(header(asOwner.headers, 'x-accepted-oauth-scopes'), 'repo');
  const asOther = await otherFull.rest.repos.get({ owner: 'keeper', repo: 'shown' });
  assert.equal(asOther.data.permissions?.admin, false);

  const notFound = { message: 'Not Found', documentation_url: docsUrl(server, 'get-a-repository') };
  for (const [who, client] of [['another user', otherFull], ['the owner without repo', ownerPublicOnly], ['anonymous', anonymous]] as const) {
    const failure = await octokitFailure(client.rest.repos.get({ owner: 'keeper', repo: 'hidden' }), 404);
    assert.deepEqual(failure.data, notFound, who);
    if (client !== anonymous) assert.equal(header(failure.headers, 'x-accepted-oauth-scopes'), 'repo', who);
  }
  // Absent and hidden look the same.
  const absent = await octokitFailure(otherFull.rest.repos.get({ owner: 'keeper', repo: 'never-was' }), 404);
  assert.deepEqual(absent.data, notFound);
});

test('DELETE /repos/{owner}/{repo} needs `delete_repo` and ownership', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'deleter' });
  const other = await server.createUser({ username: 'intruder' });
  await makeRepository(server, owner, 'doomed', true);
  await makeRepository(server, owner, 'public-doomed', false);
  const withoutScope = octokitFor(server, await server.createToken(owner, { scopes: ['repo'] }));
  const withScope = octokitFor(server, await server.createToken(owner, { scopes: ['repo', 'delete_repo'] }));
  const otherWithScope = octokitFor(server, await server.createToken(other, { scopes: ['repo', 'delete_repo'] }));

  const refused = await octokitFailure(withoutScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' }), 403);
  assert.equal(header(refused.headers, 'x-accepted-oauth-scopes'), 'delete_repo');
  assert.match((refused.data as { message: string }).message, /delete_repo/);
  assert.equal(await repositoryExists(server, owner, 'doomed'), true);

  const hidden = await octokitFailure(otherWithScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' }), 404);
  assert.equal((hidden.data as { message: string }).message, 'Not Found');
  const notAdmin = await octokitFailure(otherWithScope.rest.repos.delete({ owner: 'deleter', repo: 'public-doomed' }), 403);
  assert.equal((notAdmin.data as { message: string }).message, 'Must have admin rights to Repository.');
  assert.equal(await repositoryExists(server, owner, 'doomed'), true);
  assert.equal(await repositoryExists(server, owner, 'public-doomed'), true);

  const deleted = await withScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' });
  assert.equal(deleted.status, 204);
  assert.equal(await repositoryExists(server, owner, 'doomed'), false);
  await octokitFailure(withScope.rest.repos.get({ owner: 'deleter', repo: 'doomed' }), 404);
  await octokitFailure(withScope.rest.repos.delete({ owner: 'deleter', repo: 'doomed' }), 404);
});
