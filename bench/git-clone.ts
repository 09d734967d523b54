/**
 * bench/git-clone: how much Tessera adds to a clone of a repository that was pushed to it.
 *
 * Generates a repository of at least 50 MB in 5,000 commits (locally, with git fast-import), pushes it to Tessera
 * with `git push` over HTTP as a user would, then clones it (bare, so checkout does not count) three ways,
 * alternating, in one run on this machine: through Tessera with a token; through `git http-backend` behind nginx
 * (fcgiwrap) with basic auth, serving the very same repository folder; and over file://. It measures twice: as the
 * push left the repository (its pack has no bitmap index), then after Tessera's maintenance (`git gc` with a bitmap,
 * src/git/repository-maintenance.ts). For each, prints every way's median and the ratio Tessera / nginx (target
 * ≤ 1.00, issue 10); the baseline is nginx + git http-backend on the same folder in the same phase.
 *
 * Run: `npx node bench/git-clone.ts [--rounds 5] [--commits 5000] [--megabytes 50]`
 * Needs Debian's nginx and fcgiwrap (`apt-get install nginx-light fcgiwrap`).
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { loadConfig } from '../src/config/config.ts';
import { signUp } from '../src/domain/accounts.ts';
import { createOwnRepository } from '../src/domain/repositories.ts';
import { createPersonalAccessToken } from '../src/domain/tokens.ts';
import { repositoryRelativePath } from '../src/git/repository-files.ts';
import { maintainRepository } from '../src/git/repository-maintenance.ts';
import { buildApp } from '../src/http/app.ts';
import { createDeps, openMigratedStore } from '../src/runtime.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '5' }, commits: { type: 'string', default: '5000' }, megabytes: { type: 'string', default: '50' } },
});
const ROUNDS = Number(values.rounds);
const COMMITS = Number(values.commits);
const BYTES_PER_COMMIT = Math.ceil((Number(values.megabytes) * 1024 * 1024) / COMMITS);

for (const binary of ['/usr/sbin/nginx', '/usr/sbin/fcgiwrap']) {
  if (!existsSync(binary)) {
    console.error(`bench/git-clone needs ${binary}: apt-get install nginx-light fcgiwrap`);
    process.exit(1);
  }
}
const run = promisify(execFile);
const HTTP_BACKEND = execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim() + '/git-http-backend';

const work = await mkdtemp(join(tmpdir(), 'tessera-bench-'));
const children: ChildProcess[] = [];
process.on('exit', () => children.forEach((child) => child.kill()));

/**
 * Writes COMMITS commits of incompressible data straight into a bare repository with git fast-import, streamed so
 * that this process (which also runs the Tessera server being measured) never holds the 50 MB.
 */
async function generateRepository(path: string): Promise<void> {
  await run('git', ['init', '-q', '--bare', '--initial-branch=main', path]);
  const importer = spawn('git', ['-C', path, 'fast-import', '--quiet'], { stdio: ['pipe', 'ignore', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => importer.once('close', resolve));
  for (let i = 1; i <= COMMITS; i++) {
    const data = randomBytes(BYTES_PER_COMMIT);
    const message = `commit ${i}\n`;
    const ok = importer.stdin.write(Buffer.concat([
      Buffer.from(`commit refs/heads/main\ncommitter Bench <bench@example.test> ${1_700_000_000 + i} +0000\ndata ${message.length}\n${message}`),
      Buffer.from(`M 644 inline files/${String(i % 500).padStart(3, '0')}/${i}.bin\ndata ${data.length}\n`), data, Buffer.from('\n'),
    ]));
    if (!ok) await once(importer.stdin, 'drain');
    if (i % 1000 === 0) process.stderr.write(`  ${i}/${COMMITS} commits\n`);
  }
  importer.stdin.end();
  if ((await exited) !== 0) throw new Error('git fast-import failed');
  await run('git', ['-C', path, 'gc', '--quiet']);
}

async function startNginx(projectRoot: string, password: string): Promise<string> {
  const socket = join(work, 'fcgiwrap.sock');
  const fcgi = spawn('/usr/sbin/fcgiwrap', ['-s', `unix:${socket}`, '-c', '2'], { stdio: 'ignore' });
  children.push(fcgi);
  const hash = execFileSync('openssl', ['passwd', '-apr1', password], { encoding: 'utf8' }).trim();
  await writeFile(join(work, 'htpasswd'), `bench:${hash}\n`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  await writeFile(join(work, 'nginx.conf'), `
daemon off;
${process.getuid?.() === 0 ? 'user root;' : ''}
worker_processes 2;
error_log ${work}/nginx-error.log;
pid ${work}/nginx.pid;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${work}/nginx-body;
  proxy_temp_path ${work}/nginx-proxy;
  fastcgi_temp_path ${work}/nginx-fastcgi;
  uwsgi_temp_path ${work}/nginx-uwsgi;
  scgi_temp_path ${work}/nginx-scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      auth_basic "bench";
      auth_basic_user_file ${work}/htpasswd;
      client_max_body_size 0;
      fastcgi_buffering off;
      fastcgi_request_buffering off;
      include /etc/nginx/fastcgi_params;
      fastcgi_param SCRIPT_FILENAME ${HTTP_BACKEND};
      fastcgi_param GIT_PROJECT_ROOT ${projectRoot};
      fastcgi_param GIT_HTTP_EXPORT_ALL "";
      fastcgi_param PATH_INFO $uri;
      fastcgi_param REMOTE_USER $remote_user;
      fastcgi_pass unix:${socket};
    }
  }
}
`);
  const nginx = spawn('/usr/sbin/nginx', ['-c', join(work, 'nginx.conf'), '-p', work], { stdio: 'ignore' });
  children.push(nginx);
  // Wait until nginx answers (bounded), so the first round does not time its start-up.
  for (let attempt = 0; attempt < 100; attempt++) {
    try {
      await fetch(`http://127.0.0.1:${port}/`);
      return `http://127.0.0.1:${port}`;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not start; see ${join(work, 'nginx-error.log')}`);
}

/** Asynchronous on purpose: Tessera serves from this same process, so its event loop must stay free. */
async function timeClone(url: string): Promise<number> {
  const target = join(work, `clone-${randomBytes(4).toString('hex')}`);
  const started = process.hrtime.bigint();
  await run('git', ['clone', '--bare', '-q', url, target], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await rm(target, { recursive: true, force: true });
  return seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

try {
  const config = loadConfig({}, { dataDir: join(work, 'data'), host: '127.0.0.1', port: 0 });
  // Maintenance is run by hand between the two phases, never by the push in the middle of the first one.
  config.gitMaintenanceDelay = 24 * 60 * 60;
  const db = await openMigratedStore(config);
  const deps = createDeps(config, db);
  const app = await buildApp(deps);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const tesseraBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const signedUp = await signUp(deps, { username: 'bench', email: 'bench@example.test', password: 'bench password' }, { verified: true });
  if (!signedUp.ok) throw new Error('could not create the bench user');
  const created = await createOwnRepository(deps, signedUp.user, { name: 'big', private: true });
  if (!created.ok) throw new Error('could not create the bench repository');
  const token = await createPersonalAccessToken(deps, signedUp.user, { note: 'bench', scopes: ['repo'], expiresAt: null });
  if (!token.ok) throw new Error('could not create the bench token');
  const relative = repositoryRelativePath(created.repository);
  const barePath = join(deps.repositoryFiles.root, relative);
  const tesseraUrl = `${tesseraBase.replace('http://', `http://bench:${token.secret}@`)}/bench/big.git`;

  const sourcePath = join(work, 'source.git');
  process.stderr.write(`generating ${COMMITS} commits of ${BYTES_PER_COMMIT} random bytes each…\n`);
  await generateRepository(sourcePath);
  process.stderr.write('pushing it to Tessera…\n');
  await run('git', ['-C', sourcePath, 'push', '-q', tesseraUrl, 'main'], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  const size = execFileSync('du', ['-sm', barePath], { encoding: 'utf8' }).split('\t')[0];
  process.stderr.write(`repository as pushed: ${size} MB on disk\n`);
  const nginxBase = await startNginx(deps.repositoryFiles.root, 'bench-password');

  const ways = {
    tessera: tesseraUrl,
    nginx: `${nginxBase.replace('http://', 'http://bench:bench-password@')}/${relative}`,
    file: `file://${barePath}`,
  };
  const measure = async (phase: string) => {
    const times: Record<keyof typeof ways, number[]> = { tessera: [], nginx: [], file: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate the order each round so neither server always gets the warmer cache.
      const order = (round % 2 ? ['tessera', 'nginx', 'file'] : ['nginx', 'tessera', 'file']) as Array<keyof typeof ways>;
      for (const way of order) times[way].push(await timeClone(ways[way]));
      process.stderr.write(`${phase} round ${round}/${ROUNDS}: ${order.map((way) => `${way} ${times[way].at(-1)!.toFixed(2)} s`).join(', ')}\n`);
    }
    console.log(`${phase}:`);
    for (const way of Object.keys(ways) as Array<keyof typeof ways>) {
      console.log(`  ${way.padEnd(8)} median ${median(times[way]).toFixed(3)} s  (${times[way].map((t) => t.toFixed(2)).join(' ')})`);
    }
    console.log(`  ratio tessera/nginx ${(median(times.tessera) / median(times.nginx)).toFixed(3)}  (target <= 1.00)`);
    return median(times.tessera);
  };

  const pushed = await measure('as pushed (no bitmap)');
  const started = performance.now();
  await maintainRepository(barePath, { pruneGraceSeconds: config.gitPruneGrace });
  process.stderr.write(`maintenance (git gc with a bitmap) took ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  const maintained = await measure('after maintenance (bitmap)');
  console.log(`tessera after maintenance / as pushed ${(maintained / pushed).toFixed(3)}`);
  deps.repositoryMaintenance.close();
  await app.close();
  await db.destroy();
} finally {
  children.forEach((child) => child.kill());
  await rm(work, { recursive: true, force: true });
}
