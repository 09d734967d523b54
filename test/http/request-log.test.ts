import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../helpers/server.ts';

interface LogLine {
  msg: string;
  reqId?: string;
  req?: { method: string; path: string; remoteAddress?: string };
  res?: { statusCode: number };
  responseTime?: number;
  [field: string]: unknown;
}

const parse = (logs: string[]) => logs.map((line) => JSON.parse(line) as LogLine);

test('one log line per request: method, path without query, client address, status and time; never the token', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser();
  const secret = await server.createToken(user);
  const response = await fetch(`${server.apiUrl}/user?access_token=${secret}`, { headers: { authorization: `token ${secret}` } });
  assert.equal(response.status, 200);
  await response.arrayBuffer();
  const refused = await fetch(`${server.apiUrl}/user`, { headers: { authorization: 'token tsp_000000000000000000000000000000000000' } });
  assert.equal(refused.status, 401);
  await refused.arrayBuffer();

  const lines = parse(server.logs).filter((line) => line.req?.path === '/api/v3/user');
  assert.deepEqual(lines.map((line) => [line.msg, line.req!.method, line.req!.remoteAddress, line.res!.statusCode]), [
    ['request completed', 'GET', '127.0.0.1', 200],
    ['request completed', 'GET', '127.0.0.1', 401],
  ]);
  for (const line of lines) assert.equal(typeof line.responseTime, 'number');
  for (const line of server.logs) assert.ok(!line.includes(secret), 'the token never reaches the log');
  assert.ok(!server.logs.some((line) => line.includes('incoming request')));
});

test('every way an answer leaves has its line: a 304, a streamed Git answer, a handler that logs, and inject', async (t) => {
  const server = await startTestServer(t);
  const user = await server.createUser({ username: 'alice' });
  await server.createRepository(user, 'pub', { private: false });
  const secret = await server.createToken(user);
  const auth = { authorization: `token ${secret}` };

  // The status is the one sent, after every onSend hook: the API turns this 200 into a 304.
  const first = await fetch(`${server.apiUrl}/user`, { headers: auth });
  await first.arrayBuffer();
  const notModified = await fetch(`${server.apiUrl}/user`, { headers: { ...auth, 'if-none-match': first.headers.get('etag')! } });
  assert.equal(notModified.status, 304);
  // Git's answers are written by git itself, on a hijacked reply.
  const refs = await fetch(`${server.baseUrl}/alice/pub.git/info/refs?service=git-upload-pack`);
  assert.equal(refs.status, 200);
  await refs.arrayBuffer();
  // A handler's own line carries its request's id, as the request's line does.
  const bad = await fetch(`${server.apiUrl}/user/repos`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name": 5}' });
  assert.equal(bad.status, 422);
  await bad.arrayBuffer();
  // A request that never touched a socket (light-my-request) is logged too.
  const injected = await server.app.inject({ method: 'GET', url: '/api/v3/meta' });

  const lines = parse(server.logs);
  const completed = (path: string) => lines.filter((line) => line.msg === 'request completed' && line.req?.path === path).map((line) => line.res!.statusCode);
  assert.deepEqual(completed('/api/v3/user'), [200, 304]);
  assert.deepEqual(completed('/alice/pub.git/info/refs'), [200]);
  assert.deepEqual(completed('/api/v3/user/repos'), [422]);
  assert.deepEqual(completed('/api/v3/meta'), [injected.statusCode]);
  const badId = bad.headers.get('x-github-request-id');
  const own = lines.filter((line) => line.reqId === badId && line.msg !== 'request completed');
  assert.ok(own.length > 0, `the handler's line with reqId ${badId}: ${JSON.stringify(lines.filter((line) => line.reqId === badId))}`);
});
