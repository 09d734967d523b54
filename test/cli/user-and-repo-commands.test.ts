/**
 * The real `tessera` command's help, `user create` and `repo create`/`delete`, spawned as a user would run them, against
 * the store test/helpers/store.ts selects, and an unknown command.
 */
import { runCliWithInput } from '../helpers/cli.ts';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findUserByName } from '../../src/domain/accounts.ts';
import { ANONYMOUS, sessionPrincipal } from '../../src/domain/principal.ts';
import { findRepositoryFor } from '../../src/domain/repository-access.ts';
import { findUserByUsername } from '../../src/store/user-store.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { assertCliError, openCli, PASSWORD } from './cli-fixture.ts';

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
