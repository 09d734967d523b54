/** GraphQL requests for tests: one POST to /api/graphql through inject, checked for GitHub's JSON and no stack trace. */
import assert from 'node:assert/strict';
import type { TestServer } from './server.ts';

export interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ type?: string; message: string; path?: unknown[] }>; message?: string; documentation_url?: string };
  headers: Record<string, unknown>;
}

export async function ask(server: TestServer, authorization: string | undefined, query: string, variables?: Record<string, unknown>): Promise<Answer> {
  const response = await server.app.inject({
    method: 'POST', url: '/api/graphql',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(authorization !== undefined && { authorization }) },
    payload: JSON.stringify({ query, ...(variables && { variables }) }),
  });
  assert.match(String(response.headers['content-type']), /^application\/json/);
  assert.doesNotMatch(response.body, /\bat .*\.[cm]?[jt]s:\d+/, 'no stack trace');
  return { status: response.statusCode, body: response.json(), headers: response.headers };
}

/** Repository rows straight into the store: listing needs no git data, and 130 creations would meet the hourly limit. */
export async function insertRepositories(server: TestServer, ownerId: number, names: string[], isPrivate: boolean): Promise<void> {
  const now = new Date().toISOString();
  await server.db.insertInto('repositories').values(names.map((name) => ({
    owner_id: ownerId, name, name_key: name.toLowerCase(), description: null, private: isPrivate ? 1 : 0,
    created_at: now, updated_at: now, state: 'ready' as const, instance: null,
  }))).execute();
}
