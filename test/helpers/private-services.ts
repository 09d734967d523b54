/**
 * A PostgreSQL and a Redis of a test's own, on free ports, so that a test may stop, kill and restart them while the
 * machine's shared servers (5432, 6379) stay up for everyone else. Both are removed when the test ends.
 *
 * Needs `initdb`, `pg_ctl` (PostgreSQL's server binaries in PATH) and `redis-server`; scripts/test-prerequisites.sh
 * says how to get them. initdb refuses to run as root, so as root both PostgreSQL commands run as `postgres`.
 */
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The commands of `names` that this machine does not have. */
export function missingCommands(...names: string[]): string[] {
  return names.filter((name) => spawnSync('sh', ['-c', `command -v ${name}`]).status !== 0);
}

/** A port nobody listens on right now (the kernel's choice, released at once). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

interface Cleanup {
  after(fn: () => Promise<void>): void;
}

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres (trust authentication). */
  url: string;
  /** `pg_ctl stop -m fast`: open connections are terminated (57P01), new ones refused. */
  stop(): Promise<void>;
  /** `pg_ctl start`, resolving once it accepts connections. */
  start(): Promise<void>;
}

export async function startPrivatePostgres(t: Cleanup): Promise<PrivatePostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number((await run('id', ['-u', 'postgres'])).stdout.trim());
    const gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
    await chown(dir, uid, gid);
  }
  const pgCommand = (command: string, args: string[]) => (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
  const port = await freePort();
  const data = join(dir, 'data');
  // fsync is off for speed: a fast stop still writes everything out, and no test crashes the machine.
  const serverOptions = `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off -c full_page_writes=off`;
  const pgCtl = (...args: string[]) => pgCommand('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', ...args]);
  await pgCommand('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--no-locale']);
  await pgCtl('-o', serverOptions, 'start');
  t.after(async () => {
    await pgCtl('-m', 'immediate', 'stop').catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => void (await pgCtl('-m', 'fast', 'stop')),
    start: async () => void (await pgCtl('-o', serverOptions, 'start')),
  };
}

export interface PrivateRedis {
  url: string;
  /** SIGKILL, as a crash: resolves once the process is gone. */
  kill(): Promise<void>;
  /** A new, empty redis-server on the same port, resolving once it accepts connections. */
  start(): Promise<void>;
}

function spawnRedis(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output.slice(-500)}`)));
  });
}

export async function startPrivateRedis(t: Cleanup): Promise<PrivateRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined = await spawnRedis(port, dir);
  const kill = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  t.after(async () => {
    await kill();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    kill,
    start: async () => {
      child = await spawnRedis(port, dir);
    },
  };
}
