/**
 * The real `tessera` command, spawned as a user would run it, against the store test/helpers/store.ts selects.
 * Tokens it prints are checked with the domain code against the same store.
 */
import { cliEnvironment, runCli, runCliWithInput } from '../helpers/cli.ts';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { findUserByName } from '../../src/domain/accounts.ts';
import type { Deps } from '../../src/domain/deps.ts';
import { ANONYMOUS, sessionPrincipal } from '../../src/domain/principal.ts';
import { findRepositoryFor } from '../../src/domain/repository-access.ts';
import { hashToken, isWellFormedToken } from '../../src/domain/token-format.ts';
import { checkToken } from '../../src/domain/tokens.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import { findTokenByNote } from '../../src/store/token-store.ts';
import { findUserByUsername } from '../../src/store/user-store.ts';
import { createTestStore, TEST_STORE } from '../helpers/store.ts';

const PASSWORD = 'correct horse battery staple';
const DAY = 24 * 60 * 60 * 1000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Cli {
  dataDir: string;
  env: NodeJS.ProcessEnv;
  run(...args: string[]): Promise<Run>;
  /** Runs a command that must succeed and returns its output. */
  ok(...args: string[]): Promise<Run>;
  /** Creates a user through the CLI (verified unless told otherwise). */
  user(username: string, verified?: boolean): Promise<void>;
  /** Domain dependencies on the same store as the CLI (opened on first use, closed when the test ends). */
  deps(): Promise<Deps>;
}

async function openCli(t: TestContext): Promise<Cli> {
  const store = await createTestStore(t);
  const env = cliEnvironment(store);
  const run = (...args: string[]): Promise<Run> => runCli(env, ...args);
  let deps: Promise<Deps> | undefined;
  const cli: Cli = {
    dataDir: store.dataDir,
    env,
    run,
    async ok(...args) {
      const result = await run(...args);
      assert.equal(result.code, 0, `tessera ${args.join(' ')} failed:\n${result.stderr}`);
      return result;
    },
    async user(username, verified = true) {
      const created = await runCliWithInput(env, `${PASSWORD}\n`, 'user', 'create', '--username', username, '--email', `${username}@example.test`,
        ...(verified ? ['--verified'] : []));
      assert.equal(created.code, 0, created.stderr);
    },
    deps() {
      deps ??= (async () => {
        const config = loadConfig(env);
        const db = await openMigratedStore(config);
        t.after(() => db.destroy());
        return createDeps(config, db);
      })();
      return deps;
    },
  };
  return cli;
}

/** An error as the CLI must report it: status 1, nothing on stdout, one `tessera:` message and no stack trace. */
function assertCliError(result: Run, pattern: RegExp): void {
  assert.equal(result.code, 1, `expected status 1, got ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /unexpected error/);
}

async function tokenRow(cli: Cli, username: string, note: string) {
  const deps = await cli.deps();
  const user = await findUserByUsername(deps.db, username);
  assert.ok(user, `user ${username}`);
  return findTokenByNote(deps.db, user.id, note);
}

describe(`tessera CLI (${TEST_STORE})`, { concurrency: 4 }, () => {
  test('--help lists the commands', async (t) => {
    const cli = await openCli(t);
    const result = await cli.ok('--help');
    for (const command of ['serve', 'migrate', 'user', 'token']) assert.match(result.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), command);
    const token = await cli.ok('token', '--help');
    for (const command of ['create', 'list', 'revoke']) assert.match(token.stdout, new RegExp(`^\\s+${command}\\b`, 'm'), command);
    const create = await cli.ok('token', 'create', '--help');
    for (const option of ['--user', '--note', '--scopes', '--expires-in', '--expires-at', '--no-expiry']) assert.ok(create.stdout.includes(option), option);
    const user = await cli.ok('user', 'create', '--help');
    for (const option of ['--username', '--email', '--verified']) assert.ok(user.stdout.includes(option), option);
    assert.match(user.stdout, /standard input/);
  });

  test('user create --verified: a verified account, no mail', async (t) => {
    const cli = await openCli(t);
    assertCliError(await cli.run('user', 'create', '--username', 'Octocat', '--email', 'octocat@example.test', '--password', PASSWORD), /unknown option '--password'/);
    const result = await runCliWithInput(cli.env, `${PASSWORD}\n`, 'user', 'create', '--username', 'Octocat', '--email', 'octocat@example.test', '--verified');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Octocat/);
    assert.ok(!result.stdout.includes(PASSWORD) && !result.stderr.includes(PASSWORD), 'the password is not echoed');
    const user = await findUserByUsername((await cli.deps()).db, 'octocat');
    assert.ok(user);
    assert.notEqual(user.email_verified_at, null);
    assert.deepEqual(await readdir(join(cli.dataDir, 'outbox')).catch(() => []), []);
  });

  test('user create without --verified: an unverified account and a verification mail in <data>/outbox', async (t) => {
    const cli = await openCli(t);
    await cli.user('mona', false);
    const user = await findUserByUsername((await cli.deps()).db, 'mona');
    assert.ok(user);
    assert.equal(user.email_verified_at, null);
    const files = (await readdir(join(cli.dataDir, 'outbox'))).filter((name) => name.endsWith('.eml'));
    assert.equal(files.length, 1);
    const mail = await readFile(join(cli.dataDir, 'outbox', files[0]!), 'utf8');
    assert.match(mail, /^To: mona@example\.test$/m);
    assert.match(mail, /verify-email\?token=/);
  });

  test('user create refuses a username taken in another case, saying which option to change', async (t) => {
    const cli = await openCli(t);
    await cli.user('taken');
    const result = await runCliWithInput(cli.env, `${PASSWORD}\n`, 'user', 'create', '--username', 'TAKEN', '--email', 'other@example.test');
    assertCliError(result, /^tessera: .*not available.*--username/m);
  });

  test('token create prints exactly one line, a well-formed token, and that token works', async (t) => {
    const cli = await openCli(t);
    await cli.user('alice');
    const result = await cli.ok('token', 'create', '--user', 'alice', '--note', 'laptop', '--scopes', 'repo,read:org');
    assert.match(result.stdout, /^[^\n]+\n$/, 'one line');
    const secret = result.stdout.slice(0, -1);
    assert.ok(isWellFormedToken(secret), JSON.stringify(result.stdout));
    assert.ok(!result.stderr.includes(secret), 'the token is not repeated on stderr');
    const check = await checkToken(await cli.deps(), secret);
    assert.ok(check.ok, JSON.stringify(check));
    assert.equal(check.principal.user.username, 'alice');
    assert.equal(check.principal.token.note, 'laptop');
    assert.deepEqual(check.principal.token.scopes, ['repo', 'read:org']);
    assert.equal((await tokenRow(cli, 'alice', 'laptop'))!.token_hash, hashToken(secret));
  });

  test('token create: 30 days by default, --expires-in 7d, --expires-at a date, --no-expiry', async (t) => {
    const cli = await openCli(t);
    await cli.user('bob');
    const between = async (note: string, args: string[], days: number) => {
      const before = Date.now();
      const result = await cli.ok('token', 'create', '--user', 'bob', '--note', note, '--scopes', 'gist', ...args);
      const after = Date.now();
      assert.ok(isWellFormedToken(result.stdout.trim()));
      const expiresAt = Date.parse((await tokenRow(cli, 'bob', note))!.expires_at!);
      assert.ok(expiresAt >= before + days * DAY && expiresAt <= after + days * DAY,
        `${note}: expires ${new Date(expiresAt).toISOString()}, expected ${days} days after the command ran`);
    };
    await between('default', [], 30);
    await between('week', ['--expires-in', '7d'], 7);
    await between('quarter', ['--expires-in', '90d'], 90);

    const dated = await cli.ok('token', 'create', '--user', 'bob', '--note', 'dated', '--expires-at', '2099-12-31');
    assert.ok(isWellFormedToken(dated.stdout.trim()));
    assert.equal((await tokenRow(cli, 'bob', 'dated'))!.expires_at, '2100-01-01T00:00:00.000Z', 'works through the whole of that day, UTC');

    const forever = await cli.ok('token', 'create', '--user', 'bob', '--note', 'forever', '--no-expiry');
    assert.ok(isWellFormedToken(forever.stdout.trim()));
    assert.equal((await tokenRow(cli, 'bob', 'forever'))!.expires_at, null);
    assert.ok((await checkToken(await cli.deps(), forever.stdout.trim())).ok);
  });

  test('token create refuses conflicting or bad expiration options, and creates nothing', async (t) => {
    const cli = await openCli(t);
    await cli.user('carol');
    const create = (...args: string[]) => cli.run('token', 'create', '--user', 'carol', '--note', 'x', ...args);
    for (const args of [
      ['--expires-in', '7d', '--no-expiry'],
      ['--expires-in', '7d', '--expires-at', '2099-12-31'],
      ['--expires-at', '2099-12-31', '--no-expiry'],
    ]) {
      assertCliError(await create(...args), /^tessera: Give at most one of --expires-in, --expires-at and --no-expiry/m);
    }
    assertCliError(await create('--expires-in', '7h'), /--expires-in takes a number of days such as 30d/);
    assertCliError(await create('--expires-in', '0d'), /between 1 and 366 days/);
    assertCliError(await create('--expires-at', '31/12/2099'), /YYYY-MM-DD/);
    assertCliError(await create('--expires-at', '2020-01-01'), /after today/);
    assert.equal(await tokenRow(cli, 'carol', 'x'), undefined);
  });

  test('token list shows notes, scopes and expiry but never a secret or its hash', async (t) => {
    const cli = await openCli(t);
    await cli.user('dave');
    const empty = await cli.ok('token', 'list', '--user', 'dave');
    assert.match(empty.stdout, /dave has no tokens/);
    const secrets: string[] = [];
    for (const [note, scopes, ...rest] of [['ci deploy', 'repo,workflow'], ['reader', 'read:org,user:email', '--no-expiry']] as const) {
      secrets.push((await cli.ok('token', 'create', '--user', 'dave', '--note', note, '--scopes', scopes, ...rest)).stdout.trim());
    }
    const list = await cli.ok('token', 'list', '--user', 'dave');
    const lines = list.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /NOTE.*SCOPES.*EXPIRES/);
    const reader = lines.find((line) => line.includes('reader'));
    const ci = lines.find((line) => line.includes('ci deploy'));
    assert.ok(reader && ci, list.stdout);
    assert.match(reader, /read:org,user:email/);
    assert.match(reader, /never\s*$/);
    assert.match(ci, /repo,workflow/);
    for (const secret of secrets) {
      for (const output of [list.stdout, list.stderr]) {
        assert.ok(!output.includes(secret), 'no token');
        assert.ok(!output.includes(secret.slice(4, 34)), 'no token body');
        assert.ok(!output.includes(hashToken(secret).slice(0, 16)), 'no token hash');
        assert.doesNotMatch(output, /tsp_/);
      }
    }
  });

  test('token revoke makes the token stop working, and leaves the others', async (t) => {
    const cli = await openCli(t);
    await cli.user('erin');
    const doomed = (await cli.ok('token', 'create', '--user', 'erin', '--note', 'doomed', '--scopes', 'repo')).stdout.trim();
    const kept = (await cli.ok('token', 'create', '--user', 'erin', '--note', 'kept', '--scopes', 'repo')).stdout.trim();
    const deps = await cli.deps();
    assert.ok((await checkToken(deps, doomed)).ok);
    const revoke = await cli.ok('token', 'revoke', '--user', 'erin', '--note', 'doomed');
    assert.match(revoke.stdout, /Revoked/);
    assert.deepEqual(await checkToken(deps, doomed), { ok: false, reason: 'unknown' });
    assert.ok((await checkToken(deps, kept)).ok);
    const list = await cli.ok('token', 'list', '--user', 'erin');
    assert.doesNotMatch(list.stdout, /doomed/);
    assert.match(list.stdout, /kept/);
    // Revoking it again says where to look.
    assertCliError(await cli.run('token', 'revoke', '--user', 'erin', '--note', 'doomed'), /no token with the note "doomed".*tessera token list --user erin/);
  });

  test('errors exit with status 1 and say what to do next', async (t) => {
    const cli = await openCli(t);
    await cli.user('frank');
    await cli.user('grace', false);
    await cli.ok('token', 'create', '--user', 'frank', '--note', 'ci', '--scopes', 'repo');

    // Unknown user: how to create one.
    assertCliError(await cli.run('token', 'create', '--user', 'nobody', '--note', 'x', '--scopes', 'repo'), /No user named nobody.*tessera user create --username nobody/);
    assertCliError(await cli.run('token', 'list', '--user', 'nobody'), /tessera user create/);
    assertCliError(await cli.run('token', 'revoke', '--user', 'nobody', '--note', 'x'), /tessera user create/);

    // Unverified user: verify the address (or create the user verified).
    assertCliError(await cli.run('token', 'create', '--user', 'grace', '--note', 'x', '--scopes', 'repo'), /not verified.*(--verified|verification link)/);

    // Duplicate note: choose another note or revoke the old token.
    const duplicate = await cli.run('token', 'create', '--user', 'frank', '--note', 'ci', '--scopes', 'gist');
    assertCliError(duplicate, /already been taken/);
    assert.match(duplicate.stderr, /--note/);
    assert.match(duplicate.stderr, /tessera token revoke --user frank --note "ci"/);

    // Unknown scope: which scopes there are.
    const scope = await cli.run('token', 'create', '--user', 'frank', '--note', 'other', '--scopes', 'repo,bogus');
    assertCliError(scope, /Unknown scope: bogus/);
    assert.match(scope.stderr, /--scopes/);
    for (const known of ['repo', 'read:org', 'admin:gpg_key', 'read:project']) assert.ok(scope.stderr.includes(known), known);

    // A missing required option: commander names it and points at --help.
    const missing = await cli.run('token', 'create', '--user', 'frank');
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, '');
    assert.match(missing.stderr, /--note/);
    assert.match(missing.stderr, /--help/);

    // Nothing was created by the failed commands.
    const list = await cli.ok('token', 'list', '--user', 'frank');
    assert.equal(list.stdout.trimEnd().split('\n').length, 2);
    assert.match((await cli.ok('token', 'list', '--user', 'grace')).stdout, /grace has no tokens/);
  });

  test('an unknown command fails with status 1', async (t) => {
    const cli = await openCli(t);
    const result = await cli.run('frobnicate');
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /unknown command/i);
  });

  test('repo create prints the clone URL alone and makes a bare repository; repo delete removes both', async (t) => {
    const cli = await openCli(t);
    await cli.user('rita');
    const created = await cli.ok('repo', 'create', '--user', 'rita', '--name', 'tools', '--private');
    assert.match(created.stdout, /^http:\/\/127\.0\.0\.1:8080\/rita\/tools\.git\n$/);
    const deps = await cli.deps();
    const found = await findRepositoryFor(deps, sessionPrincipal((await findUserByName(deps, 'rita'))!), 'read', 'rita', 'tools');
    assert.ok(found.ok && found.repository.private === 1);
    const gitDir = deps.repositoryFiles.pathOf(found.repository);
    assert.ok(existsSync(join(gitDir, 'HEAD')));

    const again = await cli.run('repo', 'create', '--user', 'rita', '--name', 'TOOLS');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /name already exists on this account/);
    const missing = await cli.run('repo', 'delete', '--user', 'rita', '--name', 'nope');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /rita has no repository named nope/);

    await cli.ok('repo', 'delete', '--user', 'rita', '--name', 'tools');
    assert.equal(existsSync(gitDir), false);
    assert.equal((await findRepositoryFor(deps, ANONYMOUS, 'read', 'rita', 'tools')).ok, false);
  });
});
