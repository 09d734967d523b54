/**
 * PostgreSQL unreachable (here: a port nobody listens on, so every connection is refused as during a restart): the
 * API, the pages and git each answer 503 with Retry-After in their own format, never a 500 and never a stack trace.
 * The real restart, with traffic and two processes, is in test/e2e/multi-process.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { loadConfig } from '../../src/config/config.ts';
import { generateTokenSecret } from '../../src/domain/token-format.ts';
import { buildApp } from '../../src/http/app.ts';
import { createDeps } from '../../src/runtime.ts';
import { connectStore } from '../../src/store/connect.ts';
import { createTestStore } from '../helpers/store.ts';

const STACK_FRAME = /\bat\s+(?:\S+\s+\()?(?:file:\/\/|node:|\/)[^\s)]*:\d+/;

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('with the store unreachable, every edge answers 503 with Retry-After in its own format', async (t) => {
  const { dataDir } = await createTestStore(t);
  const config = loadConfig({}, { dataDir, host: '127.0.0.1', port: 0 });
  const storePort = await closedPort();
  config.databaseUrl = `postgres://postgres@127.0.0.1:${storePort}/tessera`;
  const db = connectStore(config);
  const app = await buildApp(createDeps(config, db));
  t.after(async () => {
    await app.close();
    await db.destroy();
  });

  const api = await app.inject({ url: '/api/v3/user', headers: { authorization: `token ${generateTokenSecret()}` } });
  assert.equal(api.statusCode, 503);
  assert.equal(api.headers['retry-after'], '5');
  assert.match(String(api.headers['content-type']), /^application\/json/);
  assert.deepEqual(api.json(), {
    message: 'The service is briefly unavailable. Try again in a few seconds.',
    documentation_url: `${config.baseUrl}/docs/api#get-the-authenticated-user`,
  });

  const page = await app.inject({ url: '/settings/tokens', headers: { cookie: 'tessera_session=some-session' } });
  assert.equal(page.statusCode, 503);
  assert.equal(page.headers['retry-after'], '5');
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /Temporarily unavailable/);
  assert.match(page.body, /Try again in a few seconds/);

  const git = await app.inject({ url: '/alice/project.git/info/refs?service=git-upload-pack', headers: { 'user-agent': 'git/2.47.0' } });
  assert.equal(git.statusCode, 503);
  assert.equal(git.headers['retry-after'], '5');
  assert.match(String(git.headers['content-type']), /^text\/plain/);
  assert.equal(git.body, 'The service is briefly unavailable. Try again in a few seconds.\n');

  for (const response of [api, page, git]) assert.doesNotMatch(response.body, STACK_FRAME);
  // The server's own base URL (in documentation_url) is 127.0.0.1 too: look for the store's address, not the host.
  assert.doesNotMatch(api.body + page.body + git.body, new RegExp(`ECONNREFUSED|127\\.0\\.0\\.1:${storePort}\\b|postgres`), 'no driver message reaches a client');
});
