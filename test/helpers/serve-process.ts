/**
 * `tessera serve` and other `tessera` commands as separate processes, exactly as an operator starts them, for tests
 * of several processes over one store. A served process is stopped (SIGTERM) when the test ends.
 */
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const LISTENING = /listening on (https?:\/\/\S+)/;

/**
 * The environment a process gets: this one's without any TESSERA_* setting (only `env` configures it) and without
 * NODE_TEST_CONTEXT, which would make the child talk to the test runner instead of writing its own output.
 */
function environment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const inherited = Object.entries(process.env).filter(([name]) => !name.startsWith('TESSERA_') && name !== 'NODE_TEST_CONTEXT');
  return { ...Object.fromEntries(inherited), ...env };
}

export interface ServedProcess {
  name: string;
  baseUrl: string;
  apiUrl: string;
  /** The last 20 kB it wrote to stdout and stderr, for a failure message. */
  output(): string;
  /** Every log line at level error or fatal. */
  errorLines(): string[];
}

export async function startServeProcess(t: { after(fn: () => Promise<void>): void }, name: string, env: NodeJS.ProcessEnv): Promise<ServedProcess> {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    env: environment(env), stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const errors: string[] = [];
  const keep = () => {
    let partial = '';
    return (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      // pino's levels: 50 error, 60 fatal. A 5xx other than 503 logs at 50 (src/http/plugins/errors.ts).
      errors.push(...lines.filter((line) => /"level":(50|60)/.test(line)));
    };
  };
  child.stdout.on('data', keep());
  child.stderr.on('data', keep());
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A process that dies on its own is a failure to explain: its last words go to the test's output.
  void exited.then(() => stopping || console.error(`${name} exited by itself (${child.exitCode ?? child.signalCode}):\n${output}`));
  t.after(async () => {
    stopping = true;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    const look = () => {
      const match = LISTENING.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', look);
    void exited.then(() => reject(new Error(`${name} exited before listening:\n${output}`)));
  });
  return { name, baseUrl, apiUrl: `${baseUrl}/api/v3`, output: () => output, errorLines: () => errors };
}

/** Runs `tessera ARGS…` to its end; its standard output, trimmed. Throws with standard error when it fails. */
export async function runTessera(env: NodeJS.ProcessEnv, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [MAIN, ...args], { env: environment(env) });
  return stdout.trim();
}
