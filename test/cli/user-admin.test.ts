/**
 * `tessera user verify | set-password | list | suspend | unsuspend` and `tessera --version`, spawned as an
 * administrator runs them, against the store of a running test server, whose pages and API show the effect.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test, type TestContext } from 'node:test';
import { authenticateWithPassword, signUp } from '../../src/domain/accounts.ts';
import { TOKEN_CACHE_TTL_MS } from '../../src/domain/token-cache.ts';
import { findUserByUsername } from '../../src/store/user-store.ts';
import { type CliRun, cliEnvironment, runCli, runCliWithInput } from '../helpers/cli.ts';
import { apiStatus, fakeClock, startTestServer, TEST_PASSWORD, type TestServer } from '../helpers/server.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { WebClient } from '../helpers/web-client.ts';
import { isSignedIn, mailTo, signedIn } from '../http/account-fixture.ts';

const NEW_PASSWORD = 'amber tractor whistle 63';

interface Admin {
  server: TestServer;
  tessera(...args: string[]): Promise<CliRun>;
  tesseraWithInput(input: string, ...args: string[]): Promise<CliRun>;
}

async function openAdmin(t: TestContext, clock = fakeClock(new Date())): Promise<Admin> {
  const server = await startTestServer(t, { clock });
  const env = cliEnvironment({ dataDir: server.dataDir, databaseUrl: server.databaseUrl });
  return { server, tessera: (...args) => runCli(env, ...args), tesseraWithInput: (input, ...args) => runCliWithInput(env, input, ...args) };
}

function assertOk(run: CliRun, what: string): void {
  assert.equal(run.code, 0, `${what} failed:\n${run.stderr}`);
}

/** An error as the CLI reports one: status 1, nothing on stdout, one `tessera:` line saying what to do, no stack. */
function assertCliError(run: CliRun, pattern: RegExp): void {
  assert.equal(run.code, 1, `expected status 1, got ${run.code}; stderr: ${run.stderr}`);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, pattern);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
}

describe(`tessera user administration (${TEST_STORE})`, { concurrency: 2 }, () => {
  test('--version prints the version alone; user --help lists every user command', async (t) => {
    const admin = await openAdmin(t);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const run = await admin.tessera(flag);
      assertOk(run, flag);
      assert.equal(run.stdout, `${version}\n`);
    }
    const help = await admin.tessera('user', '--help');
    for (const command of ['create', 'list', 'verify', 'set-password', 'suspend', 'unsuspend']) {
      assert.match(help.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), command);
    }
  });

  test('user verify marks the address verified; says so when it already is, and who holds a taken one', async (t) => {
    const admin = await openAdmin(t);
    const { server } = admin;
    await server.createUser({ username: 'pending', verified: false });
    const run = await admin.tessera('user', 'verify', '--username', 'PENDING');
    assertOk(run, 'verify');
    assert.equal(run.stdout, 'Verified pending\'s email address pending@example.test.\n');
    assert.notEqual((await findUserByUsername(server.db, 'pending'))!.email_verified_at, null);
    assert.match((await admin.tessera('user', 'verify', '--username', 'pending')).stdout, /is already verified/);

    const copy = await signUp(server.deps, { username: 'copycat', email: 'PENDING@example.test', password: TEST_PASSWORD }, { whenEmailTaken: 'conceal' });
    assert.ok(copy.ok);
    assertCliError(await admin.tessera('user', 'verify', '--username', 'copycat'),
      /^tessera: PENDING@example\.test belongs to the account pending, so copycat cannot have it\. copycat can choose another address on the account settings page/m);
    assertCliError(await admin.tessera('user', 'verify', '--username', 'ghost'), /^tessera: No user named ghost\. Create one with: tessera user create/m);
  });

  test('user set-password reads standard input only, refuses a weak password with its reasons, and signs the user out', async (t) => {
    const admin = await openAdmin(t);
    const { server } = admin;
    const user = await server.createUser({ username: 'locked-out' });
    const browser = await signedIn(server, 'locked-out', TEST_PASSWORD);

    assertCliError(await admin.tessera('user', 'set-password', '--username', 'locked-out', '--password', NEW_PASSWORD), /unknown option '--password'/);
    assertCliError(await admin.tesseraWithInput('', 'user', 'set-password', '--username', 'locked-out'), /^tessera: No new password on standard input\. Pipe it in/m);
    assertCliError(await admin.tesseraWithInput('locked-out1\n', 'user', 'set-password', '--username', 'locked-out'),
      /^tessera: Password is too easy to guess\. .*Choose another and run the command again\./m);
    assert.equal(await isSignedIn(server, browser), true, 'refusals change nothing');

    const run = await admin.tesseraWithInput(`${NEW_PASSWORD}\nignored second line\n`, 'user', 'set-password', '--username', 'locked-out');
    assertOk(run, 'set-password');
    assert.equal(run.stdout, 'Set a new password for locked-out; 1 browser session was signed out.\n');
    assert.ok(!run.stdout.includes(NEW_PASSWORD) && !run.stderr.includes(NEW_PASSWORD), 'the password is not echoed');
    assert.equal(await isSignedIn(server, browser), false);
    assert.equal(await authenticateWithPassword(server.deps, 'locked-out', TEST_PASSWORD), undefined);
    assert.equal((await authenticateWithPassword(server.deps, 'locked-out', NEW_PASSWORD))?.id, user.id);
    const events = await server.db.selectFrom('security_events').select(['kind', 'actor']).where('user_id', '=', user.id).execute();
    assert.deepEqual(events.map((event) => ({ ...event })), [{ kind: 'account.password_changed', actor: 'admin' }]);
    assert.match((await mailTo(server, user.email)).at(-1)!.text, /The password of your Tessera account was set by an administrator\./);
  });

  test('user list pages through users in id order, by state, and says how to get the next page', async (t) => {
    const admin = await openAdmin(t);
    const { server } = admin;
    assert.match((await admin.tessera('user', 'list')).stderr, /There are no users yet/);
    for (const name of ['ada', 'grace-hopper', 'linus']) await server.createUser({ username: name });
    await server.createUser({ username: 'newbie', verified: false });
    assertOk(await admin.tessera('user', 'suspend', '--username', 'linus'), 'suspend');

    const all = await admin.tessera('user', 'list');
    assertOk(all, 'list');
    const lines = all.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^ID  USERNAME      STATE       CREATED     EMAIL$/);
    assert.deepEqual(lines.slice(1).map((line) => line.trim().split(/\s+/).slice(1, 3).join(' ')),
      ['ada verified', 'grace-hopper verified', 'linus suspended', 'newbie unverified']);
    assert.match(lines[2]!, /^ {1}2  grace-hopper  verified    \d{4}-\d\d-\d\d  grace-hopper@example\.test$/);
    assert.equal(all.stderr, '4 users listed.\n');

    const unverified = await admin.tessera('user', 'list', '--state', 'unverified');
    assert.deepEqual(unverified.stdout.trimEnd().split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1]), ['newbie']);
    const first = await admin.tessera('user', 'list', '--limit', '2');
    assert.equal(first.stdout.trimEnd().split('\n').length, 3);
    assert.equal(first.stderr, '2 users listed. More follow: tessera user list --after 2 --limit 2\n');
    const second = await admin.tessera('user', 'list', '--after', '2', '--limit', '2');
    assert.deepEqual(second.stdout.trimEnd().split('\n').slice(1).map((line) => line.trim().split(/\s+/)[1]), ['linus', 'newbie']);
    assert.equal(second.stderr, '2 users listed.\n', 'no next page after the last user');
    assertCliError(await admin.tessera('user', 'list', '--state', 'banned'), /--state takes one of all, verified, unverified, suspended, not "banned"\./);
    assertCliError(await admin.tessera('user', 'list', '--limit', 'ten'), /--limit takes a whole number, not "ten"\./);
  });

  test('user suspend: tokens refused, sessions ended, sign-in refused; unsuspend gives the account back as it was', async (t) => {
    const clock = fakeClock(new Date());
    const admin = await openAdmin(t, clock);
    const { server } = admin;
    const user = await server.createUser({ username: 'rogue' });
    const token = await server.createToken(user, { note: 'ci' });
    const browser = await signedIn(server, 'rogue', TEST_PASSWORD);
    assert.equal(await apiStatus(server, token), 200);

    const run = await admin.tessera('user', 'suspend', '--username', 'rogue');
    assertOk(run, 'suspend');
    assert.equal(run.stdout, 'Suspended rogue: their personal access tokens stop working and 1 browser session was signed out. '
      + 'Lift it with: tessera user unsuspend --username rogue\n');
    // This server heard nothing from the CLI (another process, and no Redis in this test): its cached check lasts
    // at most TOKEN_CACHE_TTL_MS. test/e2e/multi-process.test.ts shows the message reaching servers through Redis.
    clock.advance(TOKEN_CACHE_TTL_MS);
    assert.equal(await apiStatus(server, token), 401);
    assert.equal(await isSignedIn(server, browser), false);
    const login = new WebClient();
    await login.get(`${server.baseUrl}/login`);
    const refused = await login.submit(`${server.baseUrl}/login`, { login: 'rogue', password: TEST_PASSWORD });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /Your account is suspended\. Ask your Tessera administrator to lift the suspension\./);
    assert.match((await admin.tessera('user', 'suspend', '--username', 'rogue')).stdout, /^rogue is already suspended \(since \d{4}-/);

    const lifted = await admin.tessera('user', 'unsuspend', '--username', 'rogue');
    assert.equal(lifted.stdout, 'Lifted the suspension of rogue: their tokens work again and they can sign in.\n');
    clock.advance(TOKEN_CACHE_TTL_MS);
    assert.equal(await apiStatus(server, token), 200, 'the same token works again');
    await signedIn(server, 'rogue', TEST_PASSWORD);
    assert.equal((await admin.tessera('user', 'unsuspend', '--username', 'rogue')).stdout, 'rogue is not suspended.\n');
    const events = await server.db.selectFrom('security_events').select(['kind', 'actor']).where('user_id', '=', user.id).orderBy('id').execute();
    assert.deepEqual(events.map((event) => `${event.kind} by ${event.actor}`), [
      'token.created by owner', 'account.suspended by admin', 'account.unsuspended by admin',
    ]);
  });
});
