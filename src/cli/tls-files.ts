/**
 * The certificate and private key `tessera serve --tls-cert/--tls-key` serves HTTPS with. They are read once, at
 * start, and checked together here, so that a wrong path, a file that is not PEM or a key that does not belong to the
 * certificate stops the command with a sentence naming the file instead of failing on the first client's handshake.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { CliError } from './cli-error.ts';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

function readPem(path: string, what: string, option: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new CliError(`Cannot read the ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}). Check ${option}.`);
  }
}

export function readTlsFiles(certPath: string, keyPath: string): TlsFiles {
  const cert = readPem(certPath, 'TLS certificate', '--tls-cert or TESSERA_TLS_CERT');
  const key = readPem(keyPath, 'TLS private key', '--tls-key or TESSERA_TLS_KEY');
  try {
    createSecureContext({ cert, key });
  } catch (error) {
    const reason = (error as Error).message;
    if (/key values mismatch/i.test(reason)) throw new CliError(`The private key ${keyPath} does not belong to the certificate ${certPath}.`);
    throw new CliError(`Cannot use ${certPath} and ${keyPath} for HTTPS (${reason}). Both must be PEM files: the certificate (its chain after it) and its unencrypted private key.`);
  }
  return { cert, key };
}
