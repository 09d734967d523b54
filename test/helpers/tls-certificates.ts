/**
 * A certificate authority and a server certificate made for one test with the `openssl` command, as an operator
 * would make them for a private install: the clients under test trust the authority (SSL_CERT_FILE, GIT_SSL_CAINFO,
 * Node's `ca`), never an "insecure" switch, so a name missing from the certificate fails as it would for a user.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCertificates {
  /** PEM file of the authority that signed the server certificate: what clients are told to trust. */
  caFile: string;
  certFile: string;
  keyFile: string;
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Makes the files in a new temporary folder, removed when the test ends; `names` are DNS names or IP addresses. */
export async function makeTestCertificates(t: { after(fn: () => Promise<void>): void }, names: string[]): Promise<TestCertificates> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-tls-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = (name: string) => join(dir, name);
  const altNames = names.map((name) => (/^[\d.]+$|:/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
  await run('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=Tessera test authority', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
    '-keyout', file('ca.key'), '-out', file('ca.pem')]);
  await run('openssl', ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${names[0]}`,
    '-keyout', file('server.key'), '-out', file('server.csr')]);
  // Clients check the subjectAltName, not the CN (RFC 6125); Go refuses a certificate without one.
  await writeFile(file('server.ext'), `subjectAltName=${altNames}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`);
  await run('openssl', ['x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial',
    '-days', '1', '-extfile', file('server.ext'), '-out', file('server.pem')]);
  return {
    caFile: file('ca.pem'), certFile: file('server.pem'), keyFile: file('server.key'),
    ca: await readFile(file('ca.pem')), cert: await readFile(file('server.pem')), key: await readFile(file('server.key')),
  };
}
