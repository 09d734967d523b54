/**
 * `tessera serve --tls-cert --tls-key` as an operator runs it: HTTPS on the port it really got (--port 0), links and
 * clone URLs at that address, and the other `tessera` commands linking to the running server (or saying which URL
 * they guessed when none runs).
 */
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { request } from 'node:https';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEnvironment, runCli, runCliWithInput } from '../helpers/cli.ts';
import { startServeProcess } from '../helpers/serve-process.ts';
import { createTestStore } from '../helpers/store.ts';
import { makeTestCertificates } from '../helpers/tls-certificates.ts';

/** GET over HTTPS trusting only `ca`, as a client given the install's authority would. */
function getJson(url: string, ca: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    request(url, { ca, headers: { accept: 'application/vnd.github+json' } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => { text += chunk; });
      response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) as Record<string, unknown> }));
    }).on('error', reject).end();
  });
}

test('serve speaks HTTPS on its real port; repo create and verification mails link to it, and say so when none runs', async (t) => {
  const certificates = await makeTestCertificates(t, ['127.0.0.1', 'localhost']);
  const store = await createTestStore(t);
  const env = cliEnvironment(store);
  const stops: Array<() => Promise<void>> = [];
  const served = await startServeProcess({ after: (stop) => void stops.push(stop) }, 'serve', {
    ...env, TESSERA_TLS_CERT: certificates.certFile, TESSERA_TLS_KEY: certificates.keyFile,
  });
  t.after(() => Promise.all(stops.map((stop) => stop())));
  assert.match(served.baseUrl, /^https:\/\/127\.0\.0\.1:[1-9]\d*$/);

  const created = await runCliWithInput(env, 'correct horse battery\n', 'user', 'create', '--username', 'carol', '--email', 'carol@example.test');
  assert.equal(created.code, 0, created.stderr);
  assert.equal(created.stderr, '', 'a running server is known: no note about the base URL');
  const outbox = join(store.dataDir, 'outbox');
  const [mail] = await readdir(outbox);
  assert.ok((await readFile(join(outbox, mail!), 'utf8')).includes(`${served.baseUrl}/verify-email?token=`), 'the mail links to the running server');

  await runCliWithInput(env, 'correct horse battery\n', 'user', 'create', '--username', 'rita', '--email', 'rita@example.test', '--verified');
  const repository = await runCli(env, 'repo', 'create', '--user', 'rita', '--name', 'tools');
  assert.equal(repository.stdout, `${served.baseUrl}/rita/tools.git\n`);
  assert.equal(repository.stderr, '');

  const api = await getJson(`${served.apiUrl}/repos/rita/tools`, certificates.ca);
  assert.equal(api.status, 200);
  assert.equal(api.body.clone_url, `${served.baseUrl}/rita/tools.git`, 'the real port, not 0, and https');

  const chosen = await runCli({ ...env, TESSERA_BASE_URL: 'https://git.example.test/' }, 'repo', 'create', '--user', 'rita', '--name', 'chosen');
  assert.equal(chosen.stdout, 'https://git.example.test/rita/chosen.git\n', 'TESSERA_BASE_URL comes first');

  await Promise.all(stops.splice(0).map((stop) => stop()));
  assert.deepEqual(await readdir(join(store.dataDir, 'servers')), [], 'a server that stops cleanly removes its record');
  const guessed = await runCli(env, 'repo', 'create', '--user', 'rita', '--name', 'later');
  assert.equal(guessed.stdout, 'http://127.0.0.1:8080/rita/later.git\n');
  assert.match(guessed.stderr, /no running tessera serve is recorded in .*servers, so links use http:\/\/127\.0\.0\.1:8080\. Set TESSERA_BASE_URL/);
});

test('serve refuses a TLS key that is missing, not PEM or of another certificate, naming the file', async (t) => {
  const certificates = await makeTestCertificates(t, ['127.0.0.1']);
  const store = await createTestStore(t);
  const env = cliEnvironment(store);
  const cases = [
    { key: join(store.dataDir, 'absent.key'), message: /Cannot read the TLS private key .*absent\.key \(ENOENT\)\. Check --tls-key or TESSERA_TLS_KEY\./ },
    { key: certificates.caFile, message: /Cannot use .*server\.pem and .*ca\.pem for HTTPS/ },
    { key: join(certificates.caFile, '..', 'ca.key'), message: /The private key .*ca\.key does not belong to the certificate .*server\.pem\./ },
  ];
  for (const { key, message } of cases) {
    const result = await runCli(env, 'serve', '--port', '0', '--tls-cert', certificates.certFile, '--tls-key', key);
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stderr, message);
    assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  }
  const half = await runCli({ ...env, TESSERA_TLS_CERT: certificates.certFile }, 'serve', '--port', '0');
  assert.equal(half.code, 1);
  assert.match(half.stderr, /HTTPS needs both a certificate and its private key/);
});
