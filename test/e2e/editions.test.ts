/**
 * Each edition's differences, end to end, on a real server per edition (TESSERA_EDITION and the settings an admin
 * would set), through the pages, the API, the CLI and the disuse sweep:
 * - a token before the email address is verified: refused in cloud and managed and on a server by default, allowed
 *   where the server turns the requirement off; verifying lifts the refusal;
 * - the pages say only what is true of the edition (the verified-email requirement, removal of unused tokens,
 *   SAML authorization for organizations), and the API announces the edition's rate limit;
 * - unused tokens: warned about and removed after 365 days in cloud (or where TESSERA_UNUSED_TOKEN_DAYS says so),
 *   kept on a server and in managed.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { disuseSweepJob } from '../../src/jobs/disuse-sweep.ts';
import { TOKEN_HELP_PATH } from '../../src/http/token-help-links.ts';
import { cliEnvironment, runCli } from '../helpers/cli.ts';
import { apiStatus, fakeClock, startTestServer, TEST_PASSWORD, type TestServer, verificationLinkIn } from '../helpers/server.ts';
import { WebClient } from '../helpers/web-client.ts';

const START = new Date('2026-03-01T12:00:00.000Z');
const DAY_MS = 24 * 60 * 60 * 1000;

interface EditionCase {
  label: string;
  env: NodeJS.ProcessEnv;
  verifiedEmailFirst: boolean;
  /** Days unused before removal; 0: never. */
  sweepDays: number;
  samlTokenAuthorization: boolean;
  rateLimit: number;
  /** GraphQL points an hour per user. */
  graphqlRateLimit: number;
}

const CASES: EditionCase[] = [
  { label: 'cloud', env: { TESSERA_EDITION: 'cloud' }, verifiedEmailFirst: true, sweepDays: 365, samlTokenAuthorization: true, rateLimit: 5000, graphqlRateLimit: 5000 },
  { label: 'managed', env: { TESSERA_EDITION: 'managed' }, verifiedEmailFirst: true, sweepDays: 0, samlTokenAuthorization: true, rateLimit: 15000, graphqlRateLimit: 10000 },
  { label: 'server (the default)', env: {}, verifiedEmailFirst: true, sweepDays: 0, samlTokenAuthorization: false, rateLimit: 5000, graphqlRateLimit: 5000 },
  {
    label: 'server without the verified-email requirement, removing tokens unused for 365 days',
    env: { TESSERA_EDITION: 'server', TESSERA_REQUIRE_VERIFIED_EMAIL: 'false', TESSERA_UNUSED_TOKEN_DAYS: '365' },
    verifiedEmailFirst: false, sweepDays: 365, samlTokenAuthorization: false, rateLimit: 5000, graphqlRateLimit: 5000,
  },
];

/** What a person reads on a page: the text without tags, scripts and runs of white space. */
function visibleText(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')
    .replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', '\'').replaceAll('&quot;', '"')
    .replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/ ([.,;:)])/g, '$1').trim();
}

const hasTestId = (html: string, id: string) => html.includes(`data-testid="${id}"`);
const newTokensOn = (html: string) => [...html.matchAll(/data-testid="new-token">(tsp_[0-9A-Za-z]+)</g)].map((match) => match[1]!);

async function signUp(server: TestServer, username: string): Promise<WebClient> {
  const web = new WebClient();
  await web.get(`${server.baseUrl}/signup`);
  const created = await web.submit(`${server.baseUrl}/signup`, { username, email: `${username}@example.test`, password: TEST_PASSWORD });
  assert.equal(created.status, 302, created.body);
  return web;
}

async function generateToken(server: TestServer, web: WebClient, note: string) {
  const posted = await web.submit(`${server.baseUrl}/settings/tokens`, { note, scopes: 'repo', expiration: '30' });
  assert.equal(posted.status, 302);
  assert.equal(posted.location, '/settings/tokens');
  const list = await web.get(`${server.baseUrl}/settings/tokens`);
  return { list, tokens: newTokensOn(list.body) };
}

async function tokenBeforeVerification(t: TestContext, server: TestServer, edition: EditionCase) {
  const username = `early-${edition.label.split(' ')[0]}`;
  const web = await signUp(server, username);
  const mail = (await server.readOutbox()).find((message) => message.to.includes(`${username}@example.test`));
  assert.ok(mail, 'a verification mail');
  assert.match(mail.text, edition.verifiedEmailFirst
    ? /verify your email address so that you can create personal access tokens\./
    : /verify your email address so that you can create repositories\./);

  const page = await web.get(`${server.baseUrl}/settings/tokens`);
  const text = visibleText(page.body);
  const form = await web.get(`${server.baseUrl}/settings/tokens/new`);
  const cli = await runCli(cliEnvironment(server, edition.env), 'token', 'create', '--user', username, '--note', 'from the CLI', '--scopes', 'repo');
  const { tokens } = await generateToken(server, web, 'before verification');

  if (edition.verifiedEmailFirst) {
    assert.ok(hasTestId(page.body, 'verify-email-banner'));
    assert.match(text, new RegExp(`You need to verify your email address \\(${username}@example\\.test\\) before you can create personal access tokens`));
    assert.match(page.body, /<button type="button" class="btn btn-sm" disabled[^>]*>Generate new token<\/button>/);
    assert.equal(form.status, 302, 'the form sends the person back to say why');
    assert.equal(cli.code, 1);
    assert.match(cli.stderr, new RegExp(`tessera: ${username} has not verified their email address; tokens need a verified address`));
    assert.deepEqual(tokens, [], 'no token was created');
    assert.equal((await server.db.selectFrom('personal_access_tokens').select('id').execute()).length, 0);

    // Verifying the address lifts the refusal.
    const verified = await web.get(verificationLinkIn(mail));
    assert.match(visibleText(verified.body), /is verified\. You can now create personal access tokens\./);
    const after = await generateToken(server, web, 'after verification');
    assert.equal(after.tokens.length, 1);
    assert.equal(await apiStatus(server, after.tokens[0]!), 200);
  } else {
    assert.ok(!hasTestId(page.body, 'verify-email-banner'));
    assert.ok(hasTestId(page.body, 'verify-email-notice'), 'the person is still told the address is unverified');
    assert.match(text, /is not verified yet\. You can create personal access tokens; creating repositories needs a verified address\./);
    assert.match(page.body, /<a class="btn btn-sm" href="\/settings\/tokens\/new">Generate new token<\/a>/);
    assert.equal(form.status, 200);
    assert.equal(cli.code, 0, cli.stderr);
    assert.match(cli.stdout, /^tsp_[0-9A-Za-z]{36}\n$/);
    assert.equal(await apiStatus(server, cli.stdout.trim()), 200);
    assert.equal(tokens.length, 1);
    assert.equal(await apiStatus(server, tokens[0]!), 200, 'a token of an unverified account works');
    const verified = await web.get(verificationLinkIn(mail));
    assert.match(visibleText(verified.body), /is verified\. You can now create repositories\./);
  }
}

async function pagesSayWhatIsTrue(server: TestServer, edition: EditionCase) {
  const html = await (await fetch(`${server.baseUrl}${TOKEN_HELP_PATH}`)).text();
  const text = visibleText(html);
  const section = (id: string) => html.includes(`id="${id}"`);

  assert.equal(section('verifying-your-email-address'), edition.verifiedEmailFirst);
  assert.equal(hasTestId(html, 'step-verify'), edition.verifiedEmailFirst);
  if (!edition.verifiedEmailFirst) assert.doesNotMatch(text, /verif/i, 'no word of verification where it is not required');

  assert.equal(section('organizations-with-saml-single-sign-on'), edition.samlTokenAuthorization);
  assert.equal(hasTestId(html, 'step-sso'), edition.samlTokenAuthorization);
  // Anywhere on the page, the scope list's API operations included.
  if (!edition.samlTokenAuthorization) assert.doesNotMatch(text, /SAML|single sign-on|SSO/, 'no SAML where organizations cannot require it');
  else assert.match(text, /On the token list, choose Configure SSO next to the token\./);

  assert.ok(section('unused-tokens'), 'what happens to unused tokens is always said');
  if (edition.sweepDays > 0) {
    assert.match(text, new RegExp(`Tessera removes a token that has not been used for ${edition.sweepDays} days`));
    assert.match(text, /Tessera mails you 30 and 7 days before it removes a token, and again when it does\./);
    assert.match(text, /A token that goes unused for 365 days is removed/);
    assert.match(text, /was removed because it was not used for 365 days/);
  } else {
    assert.match(text, /Tokens are not removed here for lack of use: a token works until it expires, or until you delete or regenerate it\./);
    assert.doesNotMatch(text, /not (been )?used for \d+ days|unused for \d+ days/);
  }

  // The token list of a verified user says the same.
  const user = await server.createUser({ username: `reader-${edition.label.split(' ')[0]}` });
  const web = new WebClient();
  await web.get(`${server.baseUrl}/login`);
  await web.submit(`${server.baseUrl}/login`, { login: user.username, password: TEST_PASSWORD });
  const list = await web.get(`${server.baseUrl}/settings/tokens`);
  assert.equal(list.status, 200);
  assert.equal(hasTestId(list.body, 'disuse-note'), edition.sweepDays > 0);
  if (edition.sweepDays > 0) assert.match(visibleText(list.body), /Tokens not used for 365 days are removed; you are mailed 30 and 7 days before\./);
  else assert.doesNotMatch(visibleText(list.body), /not used for|removed/);
  assert.ok(!hasTestId(list.body, 'verify-email-banner') && !hasTestId(list.body, 'verify-email-notice'));

  // The default API rate limits.
  const token = await server.createToken(user, { note: 'limits' });
  const limited = await fetch(`${server.apiUrl}/rate_limit`, { headers: { authorization: `token ${token}` } });
  assert.equal(limited.headers.get('x-ratelimit-limit'), String(edition.rateLimit));
  const budgets = await limited.json() as { resources: { graphql: { limit: number } } };
  assert.equal(budgets.resources.graphql.limit, edition.graphqlRateLimit);
  const anonymous = await fetch(`${server.apiUrl}/rate_limit`);
  assert.equal(anonymous.headers.get('x-ratelimit-limit'), '60');
}

async function sweepOnOrOff(server: TestServer, clock: ReturnType<typeof fakeClock>, edition: EditionCase) {
  const owner = await server.createUser({ username: `idle-${edition.label.split(' ')[0]}` });
  const secret = await server.createToken(owner, { note: 'forgotten', expiresAt: null });
  // The earlier steps' tokens, made at START too, are swept alongside: count this one's mail.
  const mailAbout = async (subject: RegExp) => (await server.readOutbox()).filter((mail) => mail.to.includes(owner.email) && subject.test(mail.subject)).length;
  const on = edition.sweepDays > 0;

  clock.set(new Date(START.getTime() + 335 * DAY_MS));
  const warned = await disuseSweepJob.run(server.deps);
  clock.set(new Date(START.getTime() + 358 * DAY_MS));
  await disuseSweepJob.run(server.deps);
  assert.equal(await mailAbout(/"forgotten" will be removed because it is not used/), on ? 2 : 0, 'warned 30 and 7 days before');
  clock.set(new Date(START.getTime() + 365 * DAY_MS));
  const removed = await disuseSweepJob.run(server.deps);
  assert.equal(await mailAbout(/"forgotten" was removed because it was not used/), on ? 1 : 0);
  assert.equal(await apiStatus(server, secret), on ? 401 : 200);
  if (!on) assert.deepEqual([warned, removed], [{ removed: 0, warned: 0, erased: 0 }, { removed: 0, warned: 0, erased: 0 }], 'the sweep does nothing');
}

for (const edition of CASES) {
  test(`edition: ${edition.label}`, async (t) => {
    const clock = fakeClock(START);
    const server = await startTestServer(t, { clock, env: edition.env });
    assert.equal(server.deps.config.edition.requireVerifiedEmail, edition.verifiedEmailFirst);
    await t.test('a token before the email address is verified', (t) => tokenBeforeVerification(t, server, edition));
    await t.test('the pages say only what is true of the edition', () => pagesSayWhatIsTrue(server, edition));
    await t.test(`unused tokens are ${edition.sweepDays > 0 ? 'removed' : 'kept'} after a year`, () => sweepOnOrOff(server, clock, edition));
  });
}
