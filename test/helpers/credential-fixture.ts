/**
 * The credentials every security matrix sends: a token with all the scopes the routes need, one lacking them,
 * another user's, and ones that no longer work (expired, deleted, replaced by regeneration). The clock is moved two
 * hours on so the expired one is expired.
 */
import assert from 'node:assert/strict';
import { deletePersonalAccessToken, regeneratePersonalAccessToken } from '../../src/domain/tokens.ts';
import { hashToken, TOKEN_BODY_LENGTH, TOKEN_PREFIX, tokenChecksum } from '../../src/domain/token-format.ts';
import type { UserRow } from '../../src/store/database.ts';
import type { FakeClock } from './fake-clock.ts';
import type { TestServer } from './server.ts';

export interface CredentialFixture {
  valid: string;
  lacking: string;
  othersToken: string;
  expired: string;
  deleted: string;
  replaced: string;
}

export async function createCredentialFixture(
  server: TestServer,
  clock: FakeClock,
  users: { owner: UserRow; other: UserRow },
  allNeeded: string[],
): Promise<CredentialFixture> {
  const { owner, other } = users;
  const fixture: CredentialFixture = {
    valid: await server.createToken(owner, { scopes: allNeeded }),
    lacking: await server.createToken(owner, { scopes: ['gist', 'read:user'] }),
    othersToken: await server.createToken(other, { scopes: allNeeded }),
    expired: await server.createToken(owner, { scopes: allNeeded, expiresAt: new Date(clock.now().getTime() + 3600_000) }),
    deleted: await server.createToken(owner, { scopes: allNeeded }),
    replaced: await server.createToken(owner, { scopes: allNeeded }),
  };
  const idOf = async (secret: string) => (await server.db.selectFrom('personal_access_tokens').select('id')
    .where('token_hash', '=', hashToken(secret)).executeTakeFirstOrThrow()).id;
  assert.ok(await deletePersonalAccessToken(server.deps, owner, await idOf(fixture.deleted)));
  assert.ok((await regeneratePersonalAccessToken(server.deps, owner, await idOf(fixture.replaced), null)).ok);
  clock.advance(2 * 3600_000);
  return fixture;
}

/** The three ways every matrix sends a token: the answer must never depend on which (GHSA-cc8w-r4qh-3v65). */
export const SCHEMES = ['token', 'Bearer', 'Basic'] as const;
export type Scheme = (typeof SCHEMES)[number];

export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** The Authorization header carrying `secret` in this scheme (Basic with the username, as git sends it). */
export function present(scheme: Scheme, username: string, secret: string): string {
  return scheme === 'Basic' ? basicAuthorization(username, secret) : `${scheme} ${secret}`;
}

/** A well-formed token (right prefix, length and checksum) that was never issued. */
export function unissuedToken(): string {
  const body = 'M'.repeat(TOKEN_BODY_LENGTH - 6) + 'atrix1';
  return TOKEN_PREFIX + body + tokenChecksum(body);
}

/** The token with its last checksum character changed: refused before any store query. */
export function withBadChecksum(token: string): string {
  return token.slice(0, -1) + (token.at(-1) === '0' ? '1' : '0');
}
