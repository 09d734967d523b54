/**
 * The REST API's protocol behaviour as GitHub documents it, over real HTTP: paging with Link (Octokit's paginate
 * over 250 repositories), ETag/Last-Modified with 304s that do not count against the rate limit, bodies read as JSON
 * whatever their content type and validated without coercion, CORS and X-GitHub-Api-Version (on GraphQL too), request
 * ids, avatars.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { Octokit } from '@octokit/rest';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';
import { docsUrl } from '../helpers/api-docs.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** A request exactly as curl sends it: no Content-Type at all when none is given (fetch always adds one). */
function rawPost(server: TestServer, path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(`${server.apiUrl}${path}`, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

test('REST protocol behaviour', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'proto' });
  const token = await server.createToken(user, { scopes: ['repo', 'user'] });
  const auth = { authorization: `token ${token}` };
  const createDocs = docsUrl(server, 'create-a-repository-for-the-authenticated-user');
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.apiUrl}${path}`, { headers: { ...auth, ...headers } });

  await t.test('Octokit paginate follows Link over 250 repositories; Link names next, prev, first and last', async () => {
    const now = new Date().toISOString();
    await server.db.insertInto('repositories').values(Array.from({ length: 250 }, (_, i) => ({
      owner_id: user.id, name: `r${String(i).padStart(3, '0')}`, name_key: `r${String(i).padStart(3, '0')}`,
      description: null, private: i % 2, created_at: now, updated_at: now, state: 'ready' as const,
    }))).execute();
    const octokit = new Octokit({ baseUrl: server.apiUrl, auth: token, log: quiet });
    const pages: number[] = [];
    const names: string[] = [];
    for await (const page of octokit.paginate.iterator(octokit.rest.repos.listForAuthenticatedUser, { per_page: 100 })) {
      pages.push(page.data.length);
      names.push(...page.data.map((repository) => repository.name));
    }
    assert.deepEqual(pages, [100, 100, 50]);
    assert.deepEqual(names, Array.from({ length: 250 }, (_, i) => `r${String(i).padStart(3, '0')}`));
    const publicOnes = await octokit.paginate(octokit.rest.repos.listForUser, { username: 'proto', per_page: 30 });
    assert.equal(publicOnes.length, 125, 'the public list pages too, and shows only public repositories, even to their owner');

    const middle = await get('/user/repos?page=3');
    const link = `${server.apiUrl}/user/repos?per_page=30`;
    assert.equal(middle.headers.get('link'),
      `<${link}&page=2>; rel="prev", <${link}&page=4>; rel="next", <${link}&page=9>; rel="last", <${link}&page=1>; rel="first"`);
    assert.equal((await middle.json() as unknown[]).length, 30);
    assert.equal((await get('/user/repos?per_page=101')).status, 422);
    const emails = await get('/user/emails?per_page=1&page=2');
    assert.deepEqual(await emails.json(), []);
  });

  await t.test('a 304 for If-None-Match or If-Modified-Since (where Last-Modified is sent) does not count against the rate limit', async () => {
    const first = await get('/user');
    assert.equal(first.status, 200);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"[0-9a-f]+"$/);
    let used = Number(first.headers.get('x-ratelimit-used'));
    const again = await get('/user', { 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(await again.text(), '');
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(Number(again.headers.get('x-ratelimit-used')), used, 'a 304 is free');
    await server.createRepository(user, 'dated', { private: false });
    const repository = await get('/repos/proto/dated');
    const lastModified = repository.headers.get('last-modified')!;
    assert.match(lastModified, /GMT$/);
    const unchanged = await get('/repos/proto/dated', { 'if-modified-since': lastModified });
    assert.equal(unchanged.status, 304);
    assert.equal(Number(unchanged.headers.get('x-ratelimit-used')), used + 1, 'If-Modified-Since: a 304 is free too');
    used += 1;
    const changed = await get('/user', { 'if-none-match': 'W/"something-else"' });
    assert.equal(changed.status, 200);
    assert.equal(Number(changed.headers.get('x-ratelimit-used')), used + 1, 'a conditional request answered in full counts');
    assert.equal((await get('/rate_limit').then((response) => response.json()) as any).resources.core.used, used + 1);
    assert.equal(first.headers.get('vary'), 'Accept, Authorization, Accept-Encoding');
  });

  await t.test('bodies are JSON whatever the content type; wrong types, forms and taken names get GitHub\'s answers', async () => {
    const noType = await rawPost(server, '/user/repos', auth, '{"name":"Hello-World"}');
    assert.equal(noType.status, 201, JSON.stringify(noType.body));
    assert.equal(noType.body.full_name, 'proto/Hello-World');
    const curlStyle = await rawPost(server, '/user/repos', { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, '{"name":"from-curl"}');
    assert.equal(curlStyle.status, 201);
    const form = await rawPost(server, '/user/repos', { ...auth, 'content-type': 'application/x-www-form-urlencoded' }, 'name=a-form');
    assert.deepEqual(form, { status: 400, body: { message: 'Problems parsing JSON', documentation_url: createDocs } });

    const json = { ...auth, 'content-type': 'application/json' };
    assert.deepEqual(await rawPost(server, '/user/repos', json, '{"name":5}'), {
      status: 422, body: { message: 'Invalid request.\n\nFor \'properties/name\', 5 is not a string.', documentation_url: createDocs },
    });
    assert.deepEqual((await rawPost(server, '/user/repos', json, '{"name":"x","private":"yes"}')).body.message,
      'Invalid request.\n\nFor \'properties/private\', "yes" is not a boolean.');
    assert.deepEqual((await rawPost(server, '/user/repos', json, '{}')).body.message, 'Invalid request.\n\n"name" wasn\'t supplied.');
    assert.deepEqual(await rawPost(server, '/user/repos', json, '{"name":"Hello-World"}'), {
      status: 422,
      body: {
        message: 'Repository creation failed.', documentation_url: createDocs,
        errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
      },
    });
    const rename = await fetch(`${server.apiUrl}/user`, { method: 'PATCH', headers: json, body: '{"name":123}' });
    assert.equal(rename.status, 422);
    assert.equal(((await rename.json()) as { message: string }).message, 'Invalid request.\n\nFor \'properties/name\', 123 is not a string or null.');
    const names = (await server.db.selectFrom('repositories').select('name').where('owner_id', '=', user.id).execute()).map((row) => row.name);
    assert.ok(!names.includes('5') && !names.includes('a-form'), 'nothing was created from a refused body');
    const row = await server.db.selectFrom('users').select('name').where('id', '=', user.id).executeTakeFirstOrThrow();
    assert.equal(row.name, null, 'the user was not renamed "123"');
    for (const status of [404, 422]) {
      const refused = status === 404 ? await get('/users/nobody-at-all') : await get('/user/repos?page=0');
      assert.equal(refused.status, status);
      assert.ok(refused.headers.get('x-ratelimit-remaining') !== null, `rate-limit headers on a ${status}`);
    }
  });

  await t.test('POST /user/repos without the scope names it', async () => {
    const gistOnly = await server.createToken(user, { scopes: ['gist'] });
    const answer = await rawPost(server, '/user/repos', { authorization: `token ${gistOnly}`, 'content-type': 'application/json' }, '{"name":"nope"}');
    assert.equal(answer.status, 404);
    assert.equal(answer.body.message, 'Your token has not been granted the required scopes to execute this query. It needs \'public_repo\' or \'repo\'.');
  });

  await t.test('CORS: a 204 preflight, GitHub\'s exposed headers, and no cookie is ever honoured', async () => {
    const preflight = await fetch(`${server.apiUrl}/user/repos`, {
      method: 'OPTIONS',
      headers: { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
    assert.match(preflight.headers.get('access-control-allow-headers')!, /Authorization/);
    assert.match(preflight.headers.get('access-control-allow-methods')!, /POST/);
    assert.equal(preflight.headers.get('access-control-max-age'), '86400');
    assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
    const answer = await get('/user', { origin: 'https://example.org' });
    assert.equal(answer.headers.get('access-control-allow-origin'), '*');
    assert.match(answer.headers.get('access-control-expose-headers')!, /ETag, Link, .*X-RateLimit-Remaining.*X-GitHub-Request-Id/);

    const browser = new WebClient();
    await browser.get(`${server.baseUrl}/login`);
    assert.equal((await browser.submit(`${server.baseUrl}/login`, { login: 'proto', password: TEST_PASSWORD })).status, 302);
    assert.equal((await browser.get(`${server.baseUrl}/settings/tokens`)).status, 200, 'signed in on the web');
    assert.equal((await browser.get(`${server.apiUrl}/user`)).status, 401, 'the session cookie means nothing to the API');
  });

  await t.test('X-GitHub-Api-Version: the supported dated version, or 400 in GitHub\'s words', async () => {
    const chosen = await get('/user', { 'x-github-api-version': '2022-11-28' });
    assert.equal(chosen.status, 200);
    assert.equal(chosen.headers.get('x-github-api-version-selected'), '2022-11-28');
    assert.equal((await get('/user')).headers.get('x-github-api-version-selected'), '2022-11-28');
    const unsupported = await get('/user', { 'x-github-api-version': 'v3' });
    assert.equal(unsupported.status, 400);
    assert.ok(unsupported.headers.get('x-ratelimit-remaining') !== null, 'rate-limit headers on the 400 too');
    assert.deepEqual(await unsupported.json(), {
      message: 'The version you specified in the "X-GitHub-Api-Version" request header, "v3", is not a supported version. The following versions are currently supported: "2022-11-28" (most recent).',
      documentation_url: docsUrl(server, 'get-the-authenticated-user'),
    });
    assert.deepEqual(await (await get('/versions')).json(), ['2022-11-28']);
  });

  await t.test('GraphQL: the same CORS answers and X-GitHub-Api-Version handling as REST', async () => {
    const corsHeaders = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-')));
    const preflightHeaders = { origin: 'https://example.org', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' };
    const restPreflight = await server.app.inject({ method: 'OPTIONS', url: '/api/v3/user', headers: preflightHeaders });
    const preflight = await server.app.inject({ method: 'OPTIONS', url: '/api/graphql', headers: preflightHeaders });
    assert.equal(preflight.statusCode, 204, 'a preflight carries no credential and is answered all the same');
    assert.equal(preflight.body, '');
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.equal(preflight.headers['access-control-allow-credentials'], undefined);
    assert.deepEqual(corsHeaders(preflight.headers), corsHeaders(restPreflight.headers));

    const graphql = (headers: Record<string, string>) => server.app.inject({
      method: 'POST', url: '/api/graphql', headers: { ...auth, origin: 'https://example.org', ...headers }, payload: { query: '{ viewer { login } }' },
    });
    const answer = await graphql({});
    assert.equal(answer.statusCode, 200);
    assert.deepEqual(answer.json(), { data: { viewer: { login: 'proto' } } });
    assert.equal(answer.headers['access-control-allow-origin'], '*');
    assert.equal(answer.headers['access-control-expose-headers'], restPreflight.headers['access-control-expose-headers']);
    assert.equal(answer.headers['x-github-api-version-selected'], '2022-11-28');
    const refused = await server.app.inject({ method: 'POST', url: '/api/graphql', headers: { origin: 'https://example.org' }, payload: { query: '{ viewer { login } }' } });
    assert.equal(refused.statusCode, 401);
    assert.equal(refused.headers['access-control-allow-origin'], '*', 'a browser can read the 401 too');

    const chosen = await graphql({ 'x-github-api-version': '2022-11-28' });
    assert.equal(chosen.statusCode, 200);
    assert.equal(chosen.headers['x-github-api-version-selected'], '2022-11-28');
    const unsupported = await graphql({ 'x-github-api-version': 'v3' });
    assert.equal(unsupported.statusCode, 400);
    assert.equal(unsupported.headers['access-control-allow-origin'], '*');
    assert.deepEqual(unsupported.json(), {
      message: 'The version you specified in the "X-GitHub-Api-Version" request header, "v3", is not a supported version. The following versions are currently supported: "2022-11-28" (most recent).',
      documentation_url: docsUrl(server, 'graphql'),
    });
  });

  await t.test('X-GitHub-Request-Id on every answer, and on its log line', async () => {
    const answers = [await get('/user'), await get('/nowhere'), await fetch(`${server.baseUrl}/login`)];
    const ids = answers.map((answer) => answer.headers.get('x-github-request-id')!);
    for (const id of ids) assert.match(id, /^[0-9A-F]{4}:[0-9A-F]{4}:[0-9A-F]{6}:[0-9A-F]{6}:[0-9A-F]{8}$/);
    assert.equal(new Set(ids).size, ids.length);
    const lines = server.logs.map((line) => JSON.parse(line) as { reqId?: string; msg: string });
    for (const id of ids) assert.ok(lines.some((line) => line.reqId === id && line.msg === 'request completed'), `log line for ${id}`);
  });

  await t.test('the URLs in a user resolve: repos_url and an identicon at avatar_url', async () => {
    const me = await (await get('/user')).json() as { repos_url: string; avatar_url: string };
    assert.equal((await fetch(me.repos_url)).status, 200);
    const avatar = await fetch(me.avatar_url);
    assert.equal(avatar.status, 200);
    assert.equal(avatar.headers.get('content-type'), 'image/svg+xml');
    assert.match(avatar.headers.get('cache-control')!, /public, max-age=86400/);
    const svg = await avatar.text();
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    assert.equal(await (await fetch(me.avatar_url)).text(), svg, 'the same picture every time');
    // gh auth login checks a token with GET /api/v3/ and reads its scopes there.
    const rootAnswer = await fetch(`${server.apiUrl}/`, { headers: auth });
    assert.equal(rootAnswer.headers.get('x-oauth-scopes'), 'repo, user');
    const root = await rootAnswer.json() as Record<string, string>;
    assert.equal(root.current_user_url, `${server.apiUrl}/user`);
    assert.equal((await fetch(root.rate_limit_url!)).status, 200);
  });
});
