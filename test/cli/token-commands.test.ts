/**
 * `tessera token create`, `list` and `revoke`, spawned as a user would run them, against the store test/helpers/store.ts
 * selects: the printed token works, expiry options, what a list shows, and errors that say what to do next.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { hashToken, isWellFormedToken } from '../../src/domain/token-format.ts';
import { checkToken } from '../../src/domain/tokens.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { assertCliError, DAY, openCli, tokenRow } from './cli-fixture.ts';

describe(`tessera CLI (${TEST_STORE})`, { concurrency: 4 }, () => {
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
});
