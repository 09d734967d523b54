/**
 * The headers a browser uses to protect Tessera's pages, on every page there is (the pages are taken from the routes
 * as registered, test/helpers/web-pages.ts), on error pages, and the smaller sets the API and Git send instead.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';
import { preparePageWalk, signInThroughForm } from '../helpers/web-pages.ts';
import { sendRequest } from '../helpers/http-request.ts';
import { makeTestCertificates } from '../helpers/tls-certificates.ts';

type HeaderOf = (name: string) => string | null;
const ONE_YEAR_S = 31_536_000;
/** The headers api.github.com sends on every answer. */
const GITHUB_API_HEADERS = {
  'content-security-policy': "default-src 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'deny',
  'referrer-policy': 'origin-when-cross-origin, strict-origin-when-cross-origin',
};

function fromFetch(headers: Headers): HeaderOf {
  return (name) => headers.get(name);
}

function fromNode(headers: Record<string, string | string[] | undefined>): HeaderOf {
  return (name) => {
    const value = headers[name];
    return value === undefined ? null : [value].flat().join(', ');
  };
}

function parseCsp(header: string | null): Map<string, string[]> {
  assert.ok(header, 'a Content-Security-Policy');
  return new Map(header.split(';').map((part) => part.trim()).filter(Boolean).map((part) => {
    const [name, ...values] = part.split(/\s+/);
    return [name!, values];
  }));
}

/** Asserts what every page must send; returns the page's script nonce. */
function assertPageHeaders(what: string, header: HeaderOf, html: string, options: { https: boolean }): string {
  const csp = parseCsp(header('content-security-policy'));
  assert.doesNotMatch(header('content-security-policy')!, /unsafe-inline|unsafe-eval|\*/, `${what}: no 'unsafe-inline', eval or wildcard`);
  assert.deepEqual(csp.get('frame-ancestors'), ["'none'"], `${what}: frame-ancestors`);
  assert.deepEqual(csp.get('object-src'), ["'none'"], `${what}: object-src`);
  assert.deepEqual(csp.get('style-src'), ["'self'"], `${what}: style-src`);
  const scriptSources = csp.get('script-src') ?? [];
  const nonces = scriptSources.filter((source) => /^'nonce-[A-Za-z0-9+/]{22}==?'$/.test(source));
  assert.equal(nonces.length, 1, `${what}: one nonce of 128 bits in script-src ${scriptSources.join(' ')}`);
  assert.deepEqual(scriptSources.filter((source) => !nonces.includes(source)), ["'self'"], `${what}: scripts from this site only`);
  const nonce = nonces[0]!.slice("'nonce-".length, -1);
  assert.equal(csp.has('upgrade-insecure-requests'), options.https, `${what}: upgrade-insecure-requests only over HTTPS`);

  assert.equal(header('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(header('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(header('referrer-policy'), 'same-origin', `${what}: Referrer-Policy`);
  if (options.https) assert.equal(header('strict-transport-security'), `max-age=${ONE_YEAR_S}`, `${what}: HSTS`);
  else assert.equal(header('strict-transport-security'), null, `${what}: no HSTS over plain HTTP`);

  // What the policy allows is what the page needs: each inline script carries this response's nonce, and nothing
  // depends on what the policy forbids (style attributes, inline event handlers).
  for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) {
    if (!/\ssrc=/.test(tag)) assert.ok(tag.includes(`nonce="${nonce}"`), `${what}: inline script without this page's nonce: ${tag}`);
  }
  assert.doesNotMatch(html, /<[^>]+\sstyle=/, `${what}: a style attribute the policy would block`);
  assert.doesNotMatch(html, /<[^>]+\son[a-z]+=/i, `${what}: an inline event handler the policy would block`);
  const title = /<title>([^<]*)<\/title>/.exec(html)?.[1];
  assert.ok(title, `${what}: a title`);
  const parts = title.split(' · ');
  assert.equal(new Set(parts).size, parts.length, `${what}: the title repeats itself: ${title}`);
  assert.equal(parts.at(-1), 'Tessera', `${what}: the title ends with the site's name`);
  return nonce;
}

function assertApiHeaders(what: string, header: HeaderOf, options: { https: boolean }): void {
  for (const [name, value] of Object.entries(GITHUB_API_HEADERS)) assert.equal(header(name), value, `${what}: ${name}`);
  assert.equal(header('strict-transport-security'), options.https ? `max-age=${ONE_YEAR_S}` : null, `${what}: HSTS`);
}

test('every page sends the security headers, its inline scripts carry its nonce, and its title says each thing once', async (t) => {
  const server = await startTestServer(t);
  const walk = await preparePageWalk(server);
  const signedIn = new WebClient();
  await signInThroughForm(signedIn, server.baseUrl, walk.user.username, walk.password);
  const signedOut = new WebClient();

  assert.ok(walk.pages.length >= 15, `${walk.pages.length} pages found`);
  const kinds = new Map<string, string>();
  for (const { route, path } of walk.pages) {
    // A page for signed-out visitors (sign-in, sign-up) sends a signed-in one elsewhere: it is visited signed out.
    let page = await signedIn.get(`${server.baseUrl}${path}`);
    if (page.status >= 300 && page.status < 400) page = await signedOut.get(`${server.baseUrl}${path}`);
    assert.equal(page.status, 200, `${route} could not be reached as ${path}: ${page.status} ${page.body.slice(0, 300)}`);
    const type = page.headers.get('content-type') ?? '';
    kinds.set(route, type);
    if (type.startsWith('text/html')) assertPageHeaders(route, fromFetch(page.headers), page.body, { https: false });
    else assert.equal(page.headers.get('x-content-type-options'), 'nosniff', `${route}: ${type} says nosniff`);
  }
  assert.match(kinds.get('/settings/tokens') ?? '', /^text\/html/);
  assert.match(kinds.get('/avatars/u/:id') ?? '', /^image\/svg\+xml/);
  const avatar = await signedOut.get(`${server.baseUrl}/avatars/u/${walk.user.id}`);
  assert.equal(avatar.headers.get('content-security-policy'), "default-src 'none'", 'an SVG avatar runs nothing');

  await t.test('every answer gets a nonce of its own', async () => {
    const nonces = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const page = await signedIn.get(`${server.baseUrl}/settings/tokens/new`);
      nonces.add(assertPageHeaders('token form', fromFetch(page.headers), page.body, { https: false }));
    }
    assert.equal(nonces.size, 3);
  });

  await t.test('error pages send them too: not found, a refused form, a bad address, a form error', async () => {
    const notFound = await signedIn.get(`${server.baseUrl}/no/such/page/here`);
    assert.equal(notFound.status, 404);
    assertPageHeaders('404', fromFetch(notFound.headers), notFound.body, { https: false });
    const badAddress = await signedIn.get(`${server.baseUrl}/settings/tokens?notice=constructor`);
    assert.equal(badAddress.status, 400);
    assertPageHeaders('400', fromFetch(badAddress.headers), badAddress.body, { https: false });
    const forged = await new WebClient().submit(`${server.baseUrl}/login`, { login: 'x', password: 'y' });
    assert.equal(forged.status, 403);
    assertPageHeaders('403', fromFetch(forged.headers), forged.body, { https: false });
    await signedIn.get(`${server.baseUrl}/settings/tokens/new`);
    const formError = await signedIn.submit(`${server.baseUrl}/settings/tokens`, { note: '', expiration: '30' });
    assert.equal(formError.status, 422);
    assertPageHeaders('422', fromFetch(formError.headers), formError.body, { https: false });
  });

  await t.test('the API sends GitHub\'s own set, on answers and refusals alike', async () => {
    const token = await server.createToken(walk.user, { scopes: ['repo'] });
    for (const [what, path, headers] of [
      ['an anonymous answer', '/api/v3/zen', {}],
      ['an authenticated answer', '/api/v3/user', { authorization: `token ${token}` }],
      ['a refusal', '/api/v3/user', {}],
      ['an unknown route', '/api/v3/no-such-thing', {}],
      ['outside /api/v3', '/api/nothing', {}],
    ] as const) {
      const answer = await fetch(`${server.baseUrl}${path}`, { headers });
      assert.match(answer.headers.get('content-type') ?? '', /json|text\/plain/, what);
      assertApiHeaders(what, fromFetch(answer.headers), { https: false });
    }
    const graphql = await fetch(`${server.baseUrl}/api/graphql`, { method: 'POST', body: '{"query":"{ viewer { login } }"}' });
    assert.equal(graphql.status, 401);
    assertApiHeaders('GraphQL', fromFetch(graphql.headers), { https: false });
  });

  await t.test('Git answers say nosniff, refused or served', async () => {
    const token = await server.createToken(walk.user, { scopes: ['repo'] });
    const refs = `${server.baseUrl}/${walk.user.username}/${walk.repository.name}.git/info/refs?service=git-upload-pack`;
    const refused = await fetch(refs, { headers: { 'user-agent': 'git/2.47.0' } });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('x-content-type-options'), 'nosniff');
    const basic = `Basic ${Buffer.from(`${walk.user.username}:${token}`).toString('base64')}`;
    const served = await fetch(refs, { headers: { 'user-agent': 'git/2.47.0', authorization: basic } });
    assert.equal(served.status, 200);
    assert.equal(served.headers.get('x-content-type-options'), 'nosniff');
    await served.arrayBuffer();
  });

  await t.test('static files say nosniff, and the favicon is there', async () => {
    for (const path of ['/assets/primer/primer.css', '/assets/tessera/tessera.css', '/assets/tessera/favicon.svg', '/assets/clipboard-copy/index.js', '/favicon.ico']) {
      const answer = await fetch(`${server.baseUrl}${path}`);
      assert.equal(answer.status, 200, path);
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', path);
      await answer.arrayBuffer();
    }
    const icon = Buffer.from(await (await fetch(`${server.baseUrl}/favicon.ico`)).arrayBuffer());
    assert.deepEqual([...icon.subarray(0, 4)], [0, 0, 1, 0], 'an ICO file');
  });

  await t.test('the CSRF cookie over plain HTTP cannot be __Host- or Secure', async () => {
    const answer = await fetch(`${server.baseUrl}/login`);
    const cookie = answer.headers.getSetCookie().find((line) => line.includes('csrf'));
    assert.match(cookie ?? '', /^tessera_csrf=[^;]+; Path=\/; HttpOnly; SameSite=Lax$/);
  });
});

test('over HTTPS, pages and the API add HSTS, and the CSRF cookie is __Host- and Secure', async (t) => {
  const certificates = await makeTestCertificates(t, ['127.0.0.1']);
  const server = await startTestServer(t, { tls: certificates });
  const get = (path: string) => sendRequest(`${server.baseUrl}${path}`, { ca: certificates.ca });

  const login = await get('/login');
  assert.equal(login.status, 200);
  assertPageHeaders('sign-in page over HTTPS', fromNode(login.headers), login.body, { https: true });
  const cookie = [login.headers['set-cookie'] ?? []].flat().find((line) => line.includes('csrf'));
  assert.match(cookie ?? '', /^__Host-tessera_csrf=[^;]+; Path=\/; HttpOnly; Secure; SameSite=Lax$/, 'no Domain, Path=/ and Secure, as __Host- requires');

  const notFound = await get('/no/such/page');
  assert.equal(notFound.status, 404);
  assertPageHeaders('404 over HTTPS', fromNode(notFound.headers), notFound.body, { https: true });

  const zen = await get('/api/v3/zen');
  assert.equal(zen.status, 200);
  assertApiHeaders('API over HTTPS', fromNode(zen.headers), { https: true });
});
