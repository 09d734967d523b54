/** Runs the real `tessera` command in a child process, as a person or a cron job would. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const TESSERA_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** This process's environment without any TESSERA_* setting, plus the store's location and `extra`. */
export function cliEnvironment(store: { dataDir: string; databaseUrl?: string | undefined }, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TESSERA_') && name !== 'NODE_TEST_CONTEXT') env[name] = value;
  env.TESSERA_DATA_DIR = store.dataDir;
  if (store.databaseUrl) env.TESSERA_DATABASE_URL = store.databaseUrl;
  return { ...env, ...extra };
}

export function runCli(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  return spawnCli(env, args, undefined);
}

/** Runs the command with `input` on its standard input (a pipe, as `printf … | tessera …` gives it). */
export function runCliWithInput(env: NodeJS.ProcessEnv, input: string, ...args: string[]): Promise<CliRun> {
  return spawnCli(env, args, input);
}

function spawnCli(env: NodeJS.ProcessEnv, args: string[], input: string | undefined): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TESSERA_MAIN, ...args], { env, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin!.end(input);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk; });
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** `tessera` in `env`, with the assertions a CLI test makes: ok (exit 0, its standard output) and fails (exit 1, a message). */
export function cliSession(env: NodeJS.ProcessEnv) {
  const run = (...args: string[]) => runCli(env, ...args);
  return {
    run,
    async ok(...args: string[]): Promise<string> {
      const result = await run(...args);
      assert.equal(result.code, 0, `tessera ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    },
    /** Like ok, with `input` piped to standard input (a password, as `tessera user create` reads it). */
    async okWithInput(input: string, ...args: string[]): Promise<string> {
      const result = await runCliWithInput(env, input, ...args);
      assert.equal(result.code, 0, `tessera ${args.join(' ')}: ${result.stderr}`);
      return result.stdout;
    },
    async fails(pattern: RegExp, ...args: string[]): Promise<void> {
      const result = await run(...args);
      assert.equal(result.code, 1, `tessera ${args.join(' ')} should fail`);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, pattern);
    },
  };
}
