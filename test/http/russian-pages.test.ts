/**
 * Every page in Russian: a person who chose Russian on their account page (and a signed-out visitor whose browser
 * asks for Russian) reads no English on any page, taken from the routes as registered (test/helpers/web-pages.ts), so a
 * page added later is checked too. What a person reads is the page's text and the attributes a browser shows or
 * speaks (placeholder, title, aria-label, alt, a button's value); code (`<code>`, `<pre>`, `<kbd>`) stays as typed,
 * and names that are the same in every language (Tessera, Git, SAML, a scope's name, the test's own data) are allowed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_SCOPES } from '../../src/domain/scopes.ts';
import { startTestServer } from '../helpers/server.ts';
import { preparePageWalk, signInThroughForm } from '../helpers/web-pages.ts';
import { WebClient } from '../helpers/web-client.ts';

/** Words that are names, not English: products, protocols, and the identifiers a person types as they are. */
const NAMES = new Set([
  'Tessera', 'GitHub', 'Git', 'git', 'SSH', 'HTTPS', 'HTTP', 'API', 'REST', 'GraphQL', 'SAML', 'SSO', 'IdP', 'URL', 'ID',
  'CLI', 'XML', 'X', 'Octokit', 'gh', 'UTC', 'NameID', 'ACS', 'Entity', 'Basic', 'Bearer', 'token', 'tsp', 'Primer',
  'OpenAPI', 'JSON', 'Enterprise', 'Server', 'Cloud', 'Managed', 'English', 'Русский', 'PyGithub', 'curl', 'Windows',
  'macOS', 'Linux', 'Keychain', 'Credential', 'Manager', 'libsecret', 'osxkeychain', 'manager', 'SHA', 'GPG',
  'OAuth', 'Actions', // a protocol; GitHub Actions (the scope workflow's)
  // The SAML settings page: the certificate format, and the metadata's root element shown as a placeholder.
  'PEM', 'md', 'EntityDescriptor',
]);

/** The visible words of a page: its text outside code and scripts, and the attributes a person reads or hears. */
function readableText(html: string): string {
  const attributes = [...html.matchAll(/\s(?:placeholder|title|aria-label|alt)="([^"]*)"/g), ...html.matchAll(/<input[^>]*type="submit"[^>]*value="([^"]*)"/g)]
    .map((match) => match[1]);
  const text = html
    .replace(/<(script|style|pre|code|kbd|samp|svg|title)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return [text, ...attributes].join(' ')
    .replace(/&(?:amp|lt|gt|quot|#39|nbsp|middot);|&#\d+;|&#x[0-9a-f]+;/gi, ' ');
}

function englishWords(html: string, allowed: Set<string>): string[] {
  const words = readableText(html)
    // Addresses, email addresses and paths are data: https://…, someone@example.com, /settings/tokens.
    .replace(/\b[\w.+-]+@[\w.-]+\b|https?:\/\/\S+|(?:^|\s)\/\S*/g, ' ')
    .match(/[A-Za-z][A-Za-z'’-]*/g) ?? [];
  return [...new Set(words.filter((word) => !allowed.has(word) && !allowed.has(word.replace(/[’'-].*$/, ''))))];
}

test('every page reads in Russian, signed in and signed out', async (t) => {
  const server = await startTestServer(t);
  const walk = await preparePageWalk(server);
  const allowed = new Set([
    ...NAMES, ...ALL_SCOPES.flatMap((scope) => scope.split(/[:_]/)),
    // Split where a word is split: "user123x4" is "user" and "x" to the word finder. `node`: the user agent the
    // test's client sends, shown on the sessions page.
    ...[walk.user.username, walk.repository.name, 'walked', 'token', 'org', 'repository', 'idp', 'test', 'example', 'com', 'node'].flatMap((name) => name.split(/[^A-Za-z]+/)),
  ]);

  const client = new WebClient();
  await signInThroughForm(client, server.baseUrl, walk.user.username, walk.password);
  await client.get(`${server.baseUrl}/settings/account`);
  const chosen = await client.submit(`${server.baseUrl}/settings/account/language`, { locale: 'ru' });
  assert.equal(chosen.status, 302, 'choosing Russian on the account page');

  const anonymous = new WebClient();
  const russianBrowser = { 'accept-language': 'ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7' };
  const leftovers: string[] = [];
  for (const { route, path } of walk.pages) {
    for (const [who, reader, headers] of [['signed in', client, {}], ['signed out', anonymous, russianBrowser]] as const) {
      const page = await reader.get(`${server.baseUrl}${path}`, headers);
      if (!(page.headers.get('content-type') ?? '').startsWith('text/html')) continue;
      if (!/<html lang="ru"/.test(page.body)) leftovers.push(`${route} (${who}): <html lang> is not ru`);
      const english = englishWords(page.body, allowed);
      if (english.length > 0) leftovers.push(`${route} (${who}, ${page.status}): ${english.slice(0, 12).join(' ')}`);
    }
  }
  assert.deepEqual(leftovers, [], 'pages with English left in them');
});
