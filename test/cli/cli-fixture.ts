/**
 * What the CLI tests share: the real `tessera` command on a fresh store of the kind test/helpers/store.ts selects,
 * domain dependencies on the same store to check what it did, and the shape a CLI error must have.
 */
import { type CliRun, cliEnvironment, runCli, runCliWithInput } from '../helpers/cli.ts';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import type { Deps } from '../../src/domain/deps.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import { findTokenByNote } from '../../src/store/token-store.ts';
import { findUserByUsername } from '../../src/store/user-store.ts';
import { createTestStore } from '../helpers/store.ts';

export const PASSWORD = 'correct horse battery staple';
export const DAY = 24 * 60 * 60 * 1000;

/** A finished `tessera` run: its exit status and what it wrote. */
export type Run = CliRun;

export interface Cli {
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

export async function openCli(t: TestContext): Promise<Cli> {
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
export function assertCliError(result: Run, pattern: RegExp): void {
  assert.equal(result.code, 1, `expected status 1, got ${result.code}; stderr: ${result.stderr}`);
  assert.equal(result.stdout, '');
  assert.match(result.stderr, pattern);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(result.stderr, /unexpected error/);
}

export async function tokenRow(cli: Cli, username: string, note: string) {
  const deps = await cli.deps();
  const user = await findUserByUsername(deps.db, username);
  assert.ok(user, `user ${username}`);
  return findTokenByNote(deps.db, user.id, note);
}
