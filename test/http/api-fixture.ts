/**
 * What the REST API tests share: Octokit (and plain fetch) clients of a test server sending a chosen Authorization
 * header, the failures they get in GitHub's shape, made-up tokens, and the rows behind tokens and repositories.
 */
import assert from 'node:assert/strict';
import { Octokit } from '@octokit/rest';
import type { TestServer } from '../helpers/server.ts';
import { createOwnRepository } from '../../src/domain/repositories.ts';
import { hashToken, TOKEN_BODY_LENGTH, TOKEN_PREFIX, tokenChecksum } from '../../src/domain/token-format.ts';
import type { UserRow } from '../../src/store/database.ts';
import { helpUrl } from '../helpers/api-docs.ts';
import { basicAuthorization } from '../helpers/credential-fixture.ts';

/** GitHub's answer to a refused credential; the documentation URL is the help page's section on refused tokens. */
export function badCredentials(server: TestServer) {
  return { message: 'Bad credentials', documentation_url: helpUrl(server, 'stopsWorking') };
}

type Headers = Record<string, string | number | undefined>;

interface OctokitFailure {
  status: number;
  response?: { data: unknown; headers: Headers };
}

/** Octokit logs every failed request; the tests assert on them instead. */
const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Octokit sending exactly this Authorization header (or none). */
export function octokitWithHeader(server: TestServer, authorization?: string): Octokit {
  const octokit = new Octokit({ baseUrl: server.apiUrl, log: quiet });
  if (authorization !== undefined) {
    octokit.hook.before('request', (options) => {
      options.headers.authorization = authorization;
    });
  }
  return octokit;
}

/** Octokit the way its README says: `auth: token` (sent as `Authorization: token T`). */
export function octokitFor(server: TestServer, token: string): Octokit {
  return new Octokit({ baseUrl: server.apiUrl, auth: token, log: quiet });
}

/** An Authorization header for Basic authentication. */
export const basic = basicAuthorization;

/** The three accepted ways of presenting a token, as Authorization header values. */
export function credentialStyles(username: string, token: string): Array<[string, string]> {
  return [['token', `token ${token}`], ['Bearer', `Bearer ${token}`], ['Basic', basic(username, token)]];
}

export async function octokitFailure(promise: Promise<unknown>, status: number): Promise<{ data: unknown; headers: Headers }> {
  try {
    await promise;
  } catch (error) {
    const failure = error as OctokitFailure;
    assert.equal(failure.status, status, `expected HTTP ${status}, got ${failure.status}: ${JSON.stringify(failure.response?.data)}`);
    assert.ok(failure.response, 'the error carries the response');
    return failure.response;
  }
  assert.fail(`expected HTTP ${status}, but the request succeeded`);
}

export function header(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return value === undefined ? undefined : String(value);
}

/** A well-formed token (right prefix, length and checksum) that was never issued. */
export function unissuedToken(): string {
  const body = 'Z'.repeat(TOKEN_BODY_LENGTH - 4) + 'q9Xa';
  return TOKEN_PREFIX + body + tokenChecksum(body);
}

/** The same token with its last checksum character changed. */
export function withBadChecksum(token: string): string {
  const last = token.at(-1) === 'A' ? 'B' : 'A';
  return token.slice(0, -1) + last;
}

export async function tokenRow(server: TestServer, token: string) {
  return server.db.selectFrom('personal_access_tokens').selectAll()
    .where('token_hash', '=', hashToken(token)).executeTakeFirstOrThrow();
}

export async function repositoryExists(server: TestServer, owner: UserRow, name: string): Promise<boolean> {
  const row = await server.db.selectFrom('repositories').select('id')
    .where('owner_id', '=', owner.id).where('name', '=', name).executeTakeFirst();
  return row !== undefined;
}

export async function makeRepository(server: TestServer, owner: UserRow, name: string, isPrivate: boolean): Promise<void> {
  const result = await createOwnRepository(server.deps, owner, { name, private: isPrivate });
  assert.ok(result.ok, `fixture repository ${name}`);
}
