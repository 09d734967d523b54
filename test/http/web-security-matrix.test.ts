/**
 * The web pages' share of the security matrix: every page and form × signed out, signed in as another user, signed
 * in as the owner of what it shows; every form also without a CSRF token and with another session's. Each case is
 * sent four times: as is, and with the owner's valid token in the Authorization header as `token`, `Bearer` and
 * Basic. Pages read the session cookie alone, so a token must never sign anyone in: the answer is the same with it as
 * without. A refused form changes nothing in the store, and no page shows the owner's private things to anyone else.
 * The expected answers are in matrix/web-table.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Kysely, sql } from 'kysely';
import { present, SCHEMES, type Scheme } from '../helpers/credential-fixture.ts';
import { coverageProblems } from '../helpers/route-areas.ts';
import { fakeClock, startTestServer, type TestServer } from '../helpers/server.ts';
import { type PageResponse, WebClient } from '../helpers/web-client.ts';
import { SESSION_COOKIE } from '../../src/http/plugins/web-session.ts';
import { startWebSession } from '../../src/domain/web-sessions.ts';
import { hashToken } from '../../src/domain/token-format.ts';
import type { Database } from '../../src/store/database.ts';
import { createWebFixture } from './matrix/web-fixture.ts';
import { STATIC_ASSETS, WEB_ROUTES } from './matrix/web-table.ts';
import { type Expected, VARIANT_TAGS, type Visitor, VISITORS } from './matrix/web-vocabulary.ts';

/** Each request is sent as is, then with the owner's token each way; the tag goes into names the request makes. */
const VARIANTS = VARIANT_TAGS.map((tag, index): [string, Scheme | undefined] => [tag, index === 0 ? undefined : SCHEMES[index - 1]]);
const TAGS = /v(?:NONE|TOKEN|BEARER|BASIC)\b/g;
const CSRF_REFUSED = 'The form was out of date or not sent by this site.';
const STACK_TRACE = /\bat .*\.[cm]?[jt]s:\d+/;

/** Forms sent without their own page's CSRF token: refused whoever sends them. */
const FORGED: Array<{ name: string; visitor: Visitor; csrf: 'none' | 'foreign' | 'before sign-in' }> = [
  { name: 'signed out, no CSRF token', visitor: 'signed out', csrf: 'none' },
  { name: 'signed out, another session\'s CSRF token', visitor: 'signed out', csrf: 'foreign' },
  { name: 'owner, no CSRF token', visitor: 'owner', csrf: 'none' },
  { name: 'owner, another session\'s CSRF token', visitor: 'owner', csrf: 'foreign' },
  // The same browser's token from its sign-in page, sent after signing in: a token is bound to its session.
  { name: 'owner, the CSRF token of the browser\'s page before signing in', visitor: 'owner', csrf: 'before sign-in' },
];

const slug = (text: string) => text.replace(/[^A-Za-z0-9]+/g, '-');

/** A session notes its latest activity on whatever request it makes: bookkeeping, not a change a form made. */
const SESSION_ACTIVITY = ['last_active_at', 'client_address', 'user_agent'];

/** Every row of every table of the store, to show that a refused request changed nothing. */
async function storeSnapshot(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const tables = (await db.introspection.getTables()).map((table) => table.name).filter((name) => !name.startsWith('kysely_')).sort();
  const snapshot: Record<string, string[]> = {};
  for (const name of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(db);
    const kept = (row: Record<string, unknown>) => (name === 'web_sessions'
      ? Object.fromEntries(Object.entries(row).filter(([column]) => !SESSION_ACTIVITY.includes(column)))
      : row);
    snapshot[name] = rows.map((row) => JSON.stringify(kept(row))).sort();
  }
  return snapshot;
}

test('the web matrix covers every page and form as registered', async (t) => {
  const server = await startTestServer(t);
  assert.deepEqual(coverageProblems(server.app.registeredRoutes, { web: WEB_ROUTES }), []);
  const invented = [...server.app.registeredRoutes, { method: 'POST', url: '/settings/secret-thing' }, { method: 'GET', url: '/:owner/:repo/settings' }];
  assert.deepEqual(coverageProblems(invented, { web: WEB_ROUTES }), [
    'POST /settings/secret-thing is not in the web security matrix',
    'GET /:owner/:repo/settings is not in the web security matrix',
  ]);
  // A page or form that lets a signed-out visitor in says why it is public.
  const openWithoutReason = WEB_ROUTES.filter((route) => !route.publicBecause && ![404, 'sign in'].includes(route.expected['signed out'] as number | string));
  assert.deepEqual(openWithoutReason.map((route) => `${route.method} ${route.url}`), []);
});

test('every page and form × signed out, another user, the owner, forged forms × no token, token, Bearer and Basic', async (t) => {
  const clock = fakeClock();
  const server = await startTestServer(t, {
    clock,
    rateLimits: { authenticatedPerHour: 100_000, anonymousPerHour: 100_000, signInAttemptsPerHour: 100_000, failedAuthenticationsPerHour: 0 },
  });
  const owner = await server.createUser({ username: 'web-owner' });
  const other = await server.createUser({ username: 'web-other' });
  const headerToken = await server.createToken(owner, { note: 'owner laptop token', scopes: ['repo', 'user', 'delete_repo', 'admin:org'] });
  const fixture = await createWebFixture(t, server, owner, other);
  const privateThings = [fixture.repo, fixture.orgRepo, 'owner ci token', 'owner laptop token', 'owner removed token', owner.email];
  const headersFor = (scheme: Scheme | undefined): Record<string, string> => (scheme ? { authorization: present(scheme, owner.username, headerToken) } : {});

  /**
   * A browser with its own cookies: a session of the visitor's (none when signed out) and a form's CSRF token, from a
   * page seen in that session or (`tokenBeforeSignIn`) from the sign-in page seen before it.
   */
  async function browser(visitor: Visitor, tokenBeforeSignIn = false): Promise<WebClient> {
    const client = new WebClient();
    const user = visitor === 'owner' ? owner : visitor === 'another user' ? other : undefined;
    if (!user || tokenBeforeSignIn) await client.get(`${server.baseUrl}/login`);
    if (user) client.setCookie(SESSION_COOKIE, await startWebSession(server.deps, user));
    if (user && !tokenBeforeSignIn) await client.get(`${server.baseUrl}/`);
    assert.ok(client.csrfToken, `the ${visitor} browser has a form's CSRF token`);
    return client;
  }

  function check(answer: PageResponse, expected: Expected, path: string, visitor: Visitor, label: string): void {
    assert.doesNotMatch(answer.body, STACK_TRACE, `${label}: no stack trace`);
    const wanted = expected === 'sign in' ? { status: 302, location: `/login?return_to=${encodeURIComponent(path)}` }
      : typeof expected === 'number' ? { status: expected, location: undefined } : expected;
    assert.equal(answer.status, wanted.status, `${label}: ${answer.location ?? answer.body.slice(0, 300)}`);
    if (typeof wanted.location === 'string') assert.equal(answer.location, wanted.location, label);
    if (wanted.location instanceof RegExp) assert.match(String(answer.location), wanted.location, label);
    if (visitor === 'signed out') assert.ok(!answer.body.includes('data-testid="signed-in-as"'), `${label}: nobody is signed in`);
    if (visitor !== 'owner') {
      for (const thing of privateThings) assert.ok(!answer.body.includes(thing), `${label}: the owner's ${thing} is not shown`);
    }
  }

  /** What must not differ whether or not a token rode along (CSRF tokens, nonces, made-up names and one-time ids aside). */
  const comparable = (answer: PageResponse, varies?: RegExp) => ({
    status: answer.status,
    location: answer.location?.replace(TAGS, 'vVARIANT').replace(varies ?? /^\b$/, ''),
    contentType: answer.headers.get('content-type'),
    body: answer.body.replace(/name="_csrf" value="[^"]*"/g, '').replace(/nonce="[^"]*"/g, '').replace(TAGS, 'vVARIANT').replace(varies ?? /^\b$/, ''),
  });
  const sameEachWay = (answers: PageResponse[], label: string, varies?: RegExp) => {
    for (const [index, answer] of answers.entries()) {
      assert.deepEqual(comparable(answer, varies), comparable(answers[0]!, varies), `${label}: ${VARIANTS[index]![0]} answered differently from no token`);
    }
  };

  let requests = 0;
  // Pages: one browser per visitor; looking changes nothing.
  const browsers = { 'signed out': await browser('signed out'), 'another user': await browser('another user'), owner: await browser('owner') };
  const beforePages = await storeSnapshot(server.db);
  for (const route of WEB_ROUTES.filter((candidate) => candidate.method === 'GET')) {
    for (const visitor of VISITORS) {
      const { path } = route.request(fixture, slug(visitor), false);
      const answers: PageResponse[] = [];
      for (const [tag, scheme] of VARIANTS) {
        const answer = await browsers[visitor].get(`${server.baseUrl}${path}`, headersFor(scheme));
        requests += 1;
        check(answer, route.expected[visitor], path, visitor, `GET ${path} ${visitor} ${tag}`);
        answers.push(answer);
      }
      sameEachWay(answers, `GET ${path} ${visitor}`, route.varies);
    }
  }
  for (const path of STATIC_ASSETS) {
    const answers = await Promise.all(VARIANTS.map(([, scheme]) => browsers['signed out'].get(`${server.baseUrl}${path}`, headersFor(scheme))));
    for (const answer of answers) assert.equal(answer.status, 200, path);
    sameEachWay(answers, `GET ${path}`);
  }
  assert.deepEqual(await storeSnapshot(server.db), beforePages, 'no page changed the store');

  // Forms: a fresh browser per request (a form may end its session), the store compared around each refused case.
  // Forged forms first, while what they aim at is as it was (a reset link not yet capped, say).
  const cases = [
    ...FORGED,
    ...VISITORS.map((visitor) => ({ name: visitor, visitor, csrf: 'own' as const })),
  ];
  for (const route of WEB_ROUTES.filter((candidate) => candidate.method === 'POST')) {
    for (const { name, visitor, csrf } of cases) {
      const changes = csrf === 'own' && (route.changes ?? []).includes(visitor);
      const refusedForgery = csrf !== 'own' && !route.csrfExemptBecause;
      const expected: Expected = refusedForgery ? 403 : route.expected[visitor];
      const clients = await Promise.all(VARIANTS.map(() => browser(visitor, csrf === 'before sign-in')));
      const foreignToken = csrf === 'foreign' ? (await browser('another user')).csrfToken : '';
      const before = changes ? undefined : await storeSnapshot(server.db);
      const answers: PageResponse[] = [];
      for (const [index, [tag, scheme]] of VARIANTS.entries()) {
        const { path, form = {} } = route.request(fixture, `${slug(name)}-${tag}`, changes && visitor === 'owner');
        const url = `${server.baseUrl}${path}`;
        const client = clients[index]!;
        const answer = csrf === 'own' || csrf === 'before sign-in' ? await client.submit(url, form, headersFor(scheme))
          : await client.post(url, { ...form, ...(csrf === 'foreign' && { _csrf: foreignToken }) }, headersFor(scheme));
        requests += 1;
        const label = `POST ${path} ${name} ${tag}`;
        check(answer, expected, path, visitor, label);
        if (refusedForgery) assert.ok(answer.body.includes(CSRF_REFUSED), `${label}: says why`);
        answers.push(answer);
      }
      if (before) assert.deepEqual(await storeSnapshot(server.db), before, `POST ${route.url} ${name}: nothing changed`);
      sameEachWay(answers, `POST ${route.url} ${name}`, route.varies);
    }
  }
  assert.ok(requests > 500, `the matrix sent ${requests} requests`);

  // The owner's allowed forms did what they say, on the doomed things alone.
  const repositories = (await server.db.selectFrom('repositories').select('name').where('owner_id', '=', owner.id).execute()).map((row) => row.name);
  assert.ok(repositories.includes(fixture.repo) && !repositories.some((name) => name.startsWith('doomed-')), repositories.join(', '));
  await server.deps.tokenUses.settled();
  const token = await server.db.selectFrom('personal_access_tokens').select(['last_used_at', 'id']).where('token_hash', '=', hashToken(headerToken)).executeTakeFirstOrThrow();
  assert.equal(token.last_used_at, null, 'no page ever took the token in the Authorization header');
  assert.deepEqual(await server.db.selectFrom('token_uses').select('id').where('token_id', '=', token.id).execute(), []);
});
