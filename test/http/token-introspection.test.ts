/**
 * A token about itself (`GET /personal_access_tokens/self`) and its dry run (`…/self/check`): the verdicts are the
 * ones the API really gives, each missing scope named, an unknown route said to be unknown.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const DAY_MS = 24 * 60 * 60 * 1000;

interface Verdict {
  method: string;
  path: string;
  allowed: boolean;
  reason: string | null;
  required_scope: string | null;
  accepted_scopes: string[];
  message: string;
}

async function check(server: TestServer, token: string | undefined, method: string, path: string) {
  const response = await server.app.inject({
    method: 'GET', url: `/api/v3/personal_access_tokens/self/check?${new URLSearchParams({ method, path })}`,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { status: response.statusCode, body: response.json() as Verdict };
}

test('GET /personal_access_tokens/self: the calling token\'s id, note, scopes and times, never its secret', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  const user = await server.createUser();
  const expiresAt = new Date(clock.now().getTime() + 30 * DAY_MS);
  const token = await server.createToken(user, { note: 'deploy bot', scopes: ['repo', 'read:user'], expiresAt });
  const octokit = new Octokit({ baseUrl: server.apiUrl, auth: token, log: quiet });

  const first = await octokit.request('GET /personal_access_tokens/self');
  const id = (await server.db.selectFrom('personal_access_tokens').select('id').where('note', '=', 'deploy bot').executeTakeFirstOrThrow()).id;
  assert.deepEqual(first.data, {
    id, note: 'deploy bot', scopes: ['repo', 'read:user'], created_at: '2026-11-25T10:00:00Z', last_used_at: null,
    expires_at: '2026-12-25T10:00:00Z',
  });
  assert.ok(!JSON.stringify(first.data).includes(token));
  clock.advance(2000);
  const later = await octokit.request('GET /personal_access_tokens/self');
  assert.equal((later.data as { last_used_at: string }).last_used_at, '2026-11-25T10:00:00Z', 'the previous use');

  const anonymous = await server.app.inject({ method: 'GET', url: '/api/v3/personal_access_tokens/self' });
  assert.equal(anonymous.statusCode, 401);
  assert.equal(anonymous.json().message, 'Requires authentication');
});

test('the dry run answers as the API does, naming the scope a token lacks', async (t) => {
  const server = await startTestServer(t);
  const owner = await server.createUser({ username: 'dry-owner' });
  const gist = await server.createToken(owner, { scopes: ['gist'] });
  const repo = await server.createToken(owner, { scopes: ['repo'] });
  const reader = await server.createToken(owner, { scopes: ['read:user'] });

  const cases: Array<[string, string, string, Partial<Verdict>]> = [
    [repo, 'POST', '/user/repos', { allowed: true, reason: null, required_scope: null, accepted_scopes: [] }],
    [gist, 'POST', '/user/repos', { allowed: false, reason: 'missing_scope', required_scope: 'public_repo', accepted_scopes: ['public_repo', 'repo'] }],
    [gist, 'post', '/api/v3/user/repos?x=1', { method: 'POST', allowed: false, required_scope: 'public_repo' }],
    [repo, 'DELETE', `/repos/${owner.username}/anything`, { allowed: false, reason: 'missing_scope', required_scope: 'delete_repo', accepted_scopes: ['delete_repo'] }],
    [reader, 'PATCH', '/user', { allowed: false, reason: 'missing_scope', required_scope: 'user', accepted_scopes: ['user'] }],
    [reader, 'GET', '/user/security-log', { allowed: true }],
    [gist, 'GET', '/user/security-log', { allowed: false, required_scope: 'read:user', accepted_scopes: ['read:user', 'user'] }],
    [gist, 'GET', `/users/${owner.username}`, { allowed: true }],
    [gist, 'HEAD', '/user', { allowed: true }],
    [gist, 'GET', '/user/keys', { allowed: false, reason: 'not_found', required_scope: null }],
    [gist, 'PUT', '/user', { allowed: false, reason: 'not_found' }],
    [gist, 'GET', '/settings/tokens', { allowed: false, reason: 'not_found' }],
  ];
  for (const [token, method, path, expected] of cases) {
    const { status, body } = await check(server, token, method, path);
    assert.equal(status, 200, `${method} ${path}`);
    assert.deepEqual({ ...body, ...expected }, body, `${method} ${path}: ${JSON.stringify(body)}`);
    assert.equal(body.path, path);
  }
  const lacking = await check(server, gist, 'POST', '/user/repos');
  assert.equal(lacking.body.message, 'This token lacks the \'public_repo\' scope; it needs \'public_repo\' or \'repo\'.');

  // The verdicts agree with what the API does when asked for real.
  const patch = await server.app.inject({ method: 'PATCH', url: '/api/v3/user', headers: { authorization: `token ${reader}` }, payload: { name: 'x' } });
  assert.equal(patch.statusCode, 404, 'refused, as the dry run said');
  const created = await server.app.inject({ method: 'POST', url: '/api/v3/user/repos', headers: { authorization: `token ${gist}` }, payload: { name: 'nope' } });
  assert.equal(created.statusCode, 404, 'refused, as the dry run said');

  // Several at once, in order.
  const batch = await server.app.inject({
    method: 'POST', url: '/api/v3/personal_access_tokens/self/check', headers: { authorization: `token ${repo}` },
    payload: { requests: [{ method: 'GET', path: '/user' }, { method: 'DELETE', path: '/repos/a/b' }, { method: 'GET', path: '/nowhere' }] },
  });
  assert.equal(batch.statusCode, 200);
  assert.deepEqual((batch.json() as Verdict[]).map((verdict) => [verdict.allowed, verdict.reason]), [[true, null], [false, 'missing_scope'], [false, 'not_found']]);

  const malformed: Array<[string, unknown]> = [
    ['no requests', {}],
    ['an empty list', { requests: [] }],
    ['101 requests', { requests: Array.from({ length: 101 }, () => ({ method: 'GET', path: '/user' })) }],
    ['a request without a path', { requests: [{ method: 'GET' }] }],
    ['a path that is not a path', { requests: [{ method: 'GET', path: 'user' }] }],
    ['a method with spaces', { requests: [{ method: 'GET /x', path: '/user' }] }],
  ];
  for (const [name, payload] of malformed) {
    const response = await server.app.inject({
      method: 'POST', url: '/api/v3/personal_access_tokens/self/check', headers: { authorization: `token ${repo}` }, payload: payload as object,
    });
    assert.equal(response.statusCode, 422, name);
    assert.match(response.json().message, /^Invalid request/, name);
  }
  const hundred = await server.app.inject({
    method: 'POST', url: '/api/v3/personal_access_tokens/self/check', headers: { authorization: `token ${repo}` },
    payload: { requests: Array.from({ length: 100 }, () => ({ method: 'GET', path: '/user' })) },
  });
  assert.equal(hundred.statusCode, 200);
  assert.equal((await server.app.inject({ method: 'GET', url: '/api/v3/personal_access_tokens/self/check?method=GET', headers: { authorization: `token ${repo}` } })).statusCode, 422);
  assert.equal((await check(server, undefined, 'GET', '/user')).status, 401, 'a token is needed to ask about a token');
});
