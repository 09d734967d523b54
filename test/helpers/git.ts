/** The real `git` client, isolated from the machine's own configuration and never prompting. */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { RepositoryRow } from '../../src/store/database.ts';
import type { TestServer } from './server.ts';

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface GitClient {
  home: string;
  env: NodeJS.ProcessEnv;
  run(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<GitResult>;
  /** Runs git and fails the test unless it exits 0. */
  ok(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<GitResult>;
}

export async function createGitClient(t: TestContext): Promise<GitClient> {
  const home = await mkdtemp(join(tmpdir(), 'tessera-git-'));
  t.after(() => rm(home, { recursive: true, force: true }));
  await writeFile(join(home, '.gitconfig'), '[user]\n\tname = Test User\n\temail = test@example.test\n[init]\n\tdefaultBranch = main\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    LANG: 'C',
    LC_ALL: 'C',
  };
  const run: GitClient['run'] = (args, options = {}) => new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: options.cwd ?? home, env: { ...env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    child.once('error', reject);
    child.stdin.on('error', () => {}); // git may exit before reading its input (EPIPE); its exit code tells.
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
  return {
    home,
    env,
    run,
    async ok(args, options) {
      const result = await run(args, options);
      if (result.code !== 0) throw new Error(`git ${args.join(' ')} exited ${result.code}:\n${result.stderr}`);
      return result;
    },
  };
}

/** `http://user:token@host/…` for a clone URL. */
export function withCredentials(url: string, username: string, password: string): string {
  const parsed = new URL(url);
  parsed.username = encodeURIComponent(username);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

/** Runs git in a repository's bare directory on the server's disk (what the server holds, not what a client sees). */
export function bareGit(server: TestServer, repository: RepositoryRow, args: string[], env: NodeJS.ProcessEnv = {}): string {
  return execFileSync('git', ['-C', server.deps.repositoryFiles.pathOf(repository), ...args], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...(Object.keys(env).length > 0 && { env: { ...process.env, ...env } }),
  });
}

/** One line of git's wire protocol: its length in four hex digits, then the text. */
export function pktLine(text: string): Buffer {
  const body = Buffer.from(text);
  return Buffer.concat([Buffer.from((body.length + 4).toString(16).padStart(4, '0')), body]);
}
