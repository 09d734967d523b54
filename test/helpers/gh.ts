/**
 * The real `gh` (Debian's package, unmodified) isolated from the machine: its own config folder and HOME (gh auth
 * setup-git writes the global git config), the test's certificate authority as the only one trusted, the test's
 * CONNECT proxy as the way to the server, no token from the environment and never a prompt.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Why the gh tests cannot run here, or undefined when they can. */
export function missingGh(): string | undefined {
  const found = spawnSync('gh', ['--version'], { encoding: 'utf8' });
  return found.status === 0 ? undefined : 'gh is not installed (apt-get install gh; scripts/test-prerequisites.sh installs it)';
}

export interface GhRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface GhClient {
  home: string;
  configDir: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: { input?: string; cwd?: string; command?: string }): Promise<GhRun>;
}

export async function createGhClient(
  t: { after(fn: () => Promise<void>): void },
  options: { host: string; caFile: string; proxyUrl: string },
): Promise<GhClient> {
  const home = await mkdtemp(join(tmpdir(), 'tessera-gh-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  await writeFile(join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.test\n[init]\n\tdefaultBranch = main\n');
  const configDir = join(home, 'gh-config');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    LANG: 'C',
    LC_ALL: 'C',
    GH_CONFIG_DIR: configDir,
    GH_HOST: options.host,
    GH_PROMPT_DISABLED: '1',
    GH_NO_UPDATE_NOTIFIER: '1',
    NO_COLOR: '1',
    // Every request and answer on stderr (the token masked by gh), so a failing step shows what gh asked and got.
    GH_DEBUG: 'api',
    // Go (gh) reads SSL_CERT_FILE on Linux, git (libcurl) GIT_SSL_CAINFO: both trust the test's authority alone.
    SSL_CERT_FILE: options.caFile,
    GIT_SSL_CAINFO: options.caFile,
    // Go reads HTTPS_PROXY, libcurl https_proxy; the proxy tunnels HOST:443 to the server's port.
    HTTPS_PROXY: options.proxyUrl,
    https_proxy: options.proxyUrl,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
  };
  return {
    home,
    configDir,
    env,
    run: (args, runOptions = {}) => new Promise((resolve, reject) => {
      const child = spawn(runOptions.command ?? 'gh', args, { cwd: runOptions.cwd ?? home, env, timeout: 30_000 });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
      child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
      // A command that exits without reading its input must not fail the test with EPIPE.
      child.stdin.on('error', () => {});
      child.stdin.end(runOptions.input ?? '');
    }),
  };
}
