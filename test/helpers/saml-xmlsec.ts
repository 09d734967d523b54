/**
 * Signs test SAML messages with Debian's xmlsec1 (libxmlsec1 over OpenSSL), an implementation independent of the
 * one Tessera verifies with (node-saml over xml-crypto), so that a bug shared by signer and verifier cannot hide.
 * Keys and self-signed certificates are made with the openssl command.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface SigningKey {
  keyFile: string;
  /** The certificate as PEM, and as the bare base64 that goes into X509Certificate elements. */
  certificate: string;
  certificateBase64: string;
  privateKey: string;
}

/** A temporary folder for one test's keys and signing files, removed when the test ends. */
export async function makeWorkDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-saml-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** openssl's -newkey arguments: RSA of 2048 bits unless told otherwise. */
export const RSA_1024 = ['-newkey', 'rsa:1024'];
export const EC_P256 = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

/** A key and a self-signed certificate for it, as IdPs make their signing certificates. */
export async function makeSigningKey(dir: string, name: string, newKey: string[] = ['-newkey', 'rsa:2048']): Promise<SigningKey> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.pem`);
  await run('openssl', ['req', '-x509', ...newKey, '-nodes', '-days', '3650', '-subj', `/CN=${name}`,
    '-keyout', keyFile, '-out', certFile]);
  const certificate = await readFile(certFile, 'utf8');
  return {
    keyFile, certificate, privateKey: await readFile(keyFile, 'utf8'),
    certificateBase64: certificate.replace(/-----[A-Z ]+-----|\s+/g, ''),
  };
}

export type DigestName = 'sha256' | 'sha1';

const ALGORITHMS: Record<DigestName, { signature: string; digest: string }> = {
  sha256: { signature: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256', digest: 'http://www.w3.org/2001/04/xmlenc#sha256' },
  sha1: { signature: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', digest: 'http://www.w3.org/2000/09/xmldsig#sha1' },
};

/**
 * An enveloped-signature template for the element with `id`: exclusive canonicalization, as IdPs sign; KeyInfo
 * carries `keyInfoCertificate` (base64), which need not be the signing key's (xmlsec1 leaves a filled one as it is).
 */
export function signatureTemplate(id: string, keyInfoCertificate: string | undefined, digest: DigestName = 'sha256'): string {
  const { signature, digest: digestMethod } = ALGORITHMS[digest];
  const keyInfo = keyInfoCertificate === undefined ? ''
    : `<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${keyInfoCertificate}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>`;
  return '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>'
    + '<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>'
    + `<ds:SignatureMethod Algorithm="${signature}"/><ds:Reference URI="#${id}"><ds:Transforms>`
    + '<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>'
    + '<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>'
    + `<ds:DigestMethod Algorithm="${digestMethod}"/><ds:DigestValue></ds:DigestValue></ds:Reference></ds:SignedInfo>`
    + `<ds:SignatureValue></ds:SignatureValue>${keyInfo}</ds:Signature>`;
}

const SAML_ID_ATTRIBUTES = [
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:protocol:Response',
  '--id-attr:ID', 'urn:oasis:names:tc:SAML:2.0:assertion:Assertion',
];

/** Fills in the signature template that `nodeXpath` selects (its digest and value), with `key`. */
export async function signWithXmlsec(dir: string, xml: string, key: SigningKey, nodeXpath: string): Promise<string> {
  const name = join(dir, `sign-${process.hrtime.bigint()}`);
  await writeFile(`${name}.in.xml`, xml);
  try {
    await run('xmlsec1', ['--sign', '--privkey-pem', key.keyFile, ...SAML_ID_ATTRIBUTES, '--node-xpath', nodeXpath,
      '--output', `${name}.out.xml`, `${name}.in.xml`]);
    return await readFile(`${name}.out.xml`, 'utf8');
  } finally {
    await Promise.all([rm(`${name}.in.xml`, { force: true }), rm(`${name}.out.xml`, { force: true })]);
  }
}

export const RESPONSE_SIGNATURE_XPATH = "/*[local-name()='Response']/*[local-name()='Signature']";
export const ASSERTION_SIGNATURE_XPATH = "/*[local-name()='Response']/*[local-name()='Assertion']/*[local-name()='Signature']";
