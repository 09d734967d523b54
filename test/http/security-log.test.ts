/**
 * The security log as its owner reads it: the page (sentences, actor, address, paging, filter by kind) and
 * `GET /api/v3/user/security-log` (snake_case events, page/per_page, a Link header Octokit can follow, ?action=).
 * Another user's events never show, on either.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import type { ChangeContext } from '../../src/domain/security-log.ts';
import { createPersonalAccessToken, deletePersonalAccessToken } from '../../src/domain/tokens.ts';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import type { UserRow } from '../../src/store/database.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const FROM_FIREFOX: ChangeContext = { actor: 'owner', clientAddress: '203.0.113.7', userAgent: 'Mozilla/5.0 Firefox/140.0' };

interface ApiEvent {
  id: number;
  action: string;
  actor: string;
  token_id: number | null;
  token_note: string | null;
  client_address: string | null;
  user_agent: string | null;
  created_at: string;
}

/** Alice: 35 events (33 tokens created, 2 of them deleted); Bob: a few of his own, noted so they would be recognised. */
async function seed(t: Parameters<typeof startTestServer>[0]) {
  const clock = fakeClock();
  const server = await startTestServer(t, { clock });
  const alice = await server.createUser({ username: 'log-alice' });
  const bob = await server.createUser({ username: 'log-bob' });
  const reader = await server.createToken(alice, { note: 'reader', scopes: ['read:user'] });
  const repoOnly = await server.createToken(alice, { note: 'repo only', scopes: ['repo'] });
  const ids: number[] = [];
  for (let i = 0; i < 31; i++) {
    clock.advance(1000);
    const created = await createPersonalAccessToken(server.deps, alice, { note: `laptop ${i}`, scopes: [], expiresAt: null }, FROM_FIREFOX);
    assert.ok(created.ok);
    ids.push(created.token.id);
  }
  for (const id of ids.slice(0, 2)) {
    clock.advance(1000);
    assert.ok(await deletePersonalAccessToken(server.deps, alice, id, FROM_FIREFOX));
  }
  const bobsToken = await server.createToken(bob, { note: 'bob secret project', scopes: ['user'] });
  clock.advance(1000);
  assert.ok((await createPersonalAccessToken(server.deps, bob, { note: 'bob other', scopes: [], expiresAt: null }, FROM_FIREFOX)).ok);
  return { server, alice, bob, reader, repoOnly, bobsToken };
}

async function getLog(server: TestServer, token: string, query = '') {
  const response = await server.app.inject({ method: 'GET', url: `/api/v3/user/security-log${query}`, headers: { authorization: `token ${token}` } });
  return { status: response.statusCode, body: response.json() as unknown, link: response.headers.link as string | undefined, headers: response.headers };
}

test('GET /user/security-log: newest first, paged with a Link header, filtered by action, only one\'s own', async (t) => {
  const { server, reader, repoOnly, bobsToken } = await seed(t);

  const first = await getLog(server, reader);
  assert.equal(first.status, 200);
  const events = first.body as ApiEvent[];
  assert.equal(events.length, 30, 'GitHub\'s default page size');
  assert.deepEqual(Object.keys(events[0]!).sort(),
    ['action', 'actor', 'client_address', 'created_at', 'id', 'organization', 'token_id', 'token_note', 'user_agent']);
  assert.deepEqual({ ...events[0], id: 0, token_id: 0 }, {
    id: 0, action: 'token.deleted', actor: 'owner', token_id: 0, token_note: 'laptop 1', organization: null, client_address: '203.0.113.7',
    user_agent: 'Mozilla/5.0 Firefox/140.0', created_at: '2026-11-25T10:00:33Z',
  });
  const times = events.map((event) => event.created_at);
  assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
  const api = `${server.baseUrl}/api/v3/user/security-log`;
  assert.equal(first.link, `<${api}?per_page=30&page=2>; rel="next"`);

  const second = await getLog(server, reader, '?page=2');
  assert.deepEqual((second.body as ApiEvent[]).map((event) => event.token_note), ['laptop 2', 'laptop 1', 'laptop 0', 'repo only', 'reader']);
  assert.equal(second.link, `<${api}?per_page=30&page=1>; rel="prev", <${api}?per_page=30&page=1>; rel="first"`);

  const deletions = await getLog(server, reader, '?action=token.deleted&per_page=1');
  assert.deepEqual((deletions.body as ApiEvent[]).map((event) => [event.action, event.token_note]), [['token.deleted', 'laptop 1']]);
  assert.equal(deletions.link, `<${api}?action=token.deleted&per_page=1&page=2>; rel="next"`);

  for (const query of ['?per_page=101', '?per_page=0', '?page=0', '?page=abc', '?action=token.stolen']) {
    const refused = await getLog(server, reader, query);
    assert.equal(refused.status, 422, query);
    assert.match((refused.body as { message: string }).message, /^Invalid request/, query);
  }

  const lacking = await getLog(server, repoOnly);
  assert.equal(lacking.status, 403, 'a token without read:user (or user) may not read the log');
  assert.equal(lacking.headers['x-accepted-oauth-scopes'], 'read:user, user');

  // Octokit follows the Link header through every page; Bob's token sees only Bob's events.
  const octokit = new Octokit({ baseUrl: server.apiUrl, auth: reader, log: quiet });
  const all = await octokit.paginate('GET /user/security-log', { per_page: 7 }) as unknown as ApiEvent[];
  assert.equal(all.length, 35);
  assert.ok(all.every((event) => !event.token_note?.startsWith('bob')), 'never another user\'s events');
  const bobs = await new Octokit({ baseUrl: server.apiUrl, auth: bobsToken, log: quiet }).paginate('GET /user/security-log', { per_page: 100 }) as unknown as ApiEvent[];
  assert.deepEqual(bobs.map((event) => event.token_note), ['bob other', 'bob secret project']);
  assert.ok(!bobs.some((event) => all.some((mine) => mine.id === event.id)));
});

async function page(server: TestServer, user: UserRow | undefined, query = '') {
  const headers = user ? { cookie: `tessera_session=${await startWebSession(server.deps, user)}` } : {};
  const response = await server.app.inject({ method: 'GET', url: `/settings/security-log${query}`, headers });
  return { status: response.statusCode, body: response.body, location: response.headers.location };
}

function sentences(html: string): string[] {
  return [...html.matchAll(/data-testid="security-event-sentence">([^<]*)</g)].map((match) => match[1]!);
}

test('/settings/security-log: sentences with actor, address and agent; Previous/Next; a filter; nobody else\'s events', async (t) => {
  const { server, alice, bob } = await seed(t);

  const first = await page(server, alice);
  assert.equal(first.status, 200);
  assert.equal(sentences(first.body).length, 30);
  assert.equal(sentences(first.body)[0], 'Deleted personal access token “laptop 1”');
  assert.ok(sentences(first.body).includes('Created personal access token “laptop 30”'));
  assert.match(first.body, /data-testid="security-event-actor">You</);
  assert.match(first.body, /203\.0\.113\.7/);
  assert.match(first.body, /Mozilla\/5\.0 Firefox\/140\.0/);
  assert.match(first.body, /href="\/settings\/security-log\?page=2">Next</);
  assert.doesNotMatch(first.body, /rel="prev" href=/);
  assert.match(first.body, /href="\/settings\/security-log" aria-current="page"/, 'the settings navigation marks the page');
  assert.doesNotMatch(first.body, /bob/);

  const second = await page(server, alice, '?page=2');
  assert.deepEqual(sentences(second.body), [
    'Created personal access token “laptop 2”', 'Created personal access token “laptop 1”', 'Created personal access token “laptop 0”',
    'Created personal access token “repo only”', 'Created personal access token “reader”',
  ]);
  assert.match(second.body, /href="\/settings\/security-log\?page=1">Previous</);

  const filtered = await page(server, alice, '?kind=token.deleted');
  assert.deepEqual(sentences(filtered.body), ['Deleted personal access token “laptop 1”', 'Deleted personal access token “laptop 0”']);
  assert.match(filtered.body, /<option value="token.deleted" selected>/);
  assert.match((await page(server, alice, '?kind=token.revoked_leaked')).body, /No events of this kind/);

  const bobsPage = await page(server, bob);
  assert.deepEqual(sentences(bobsPage.body), ['Created personal access token “bob other”', 'Created personal access token “bob secret project”']);

  assert.equal((await page(server, alice, '?kind=%3Cscript%3E')).status, 400, 'an unknown kind is refused, not a 500');
  assert.equal((await page(server, alice, '?page=-1')).status, 400);
  const signedOut = await page(server, undefined);
  assert.equal(signedOut.status, 302);
  assert.match(String(signedOut.location), /^\/login\?return_to=/);
});
