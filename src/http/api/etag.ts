import { createHash } from 'node:crypto';

/** A weak validator of a body: the first 160 bits of its SHA-256, so equal bodies have equal ETags on every process. */
export function weakETag(body: string | Buffer): string {
  return `W/"${createHash('sha256').update(body).digest('hex').slice(0, 40)}"`;
}
