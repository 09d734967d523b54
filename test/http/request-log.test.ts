import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startTestServer } from '../helpers/server.ts';

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

  const lines = server.logs.map((line) => JSON.parse(line) as Record<string, any>).filter((line) => line.req?.path === '/api/v3/user');
  assert.deepEqual(lines.map((line) => [line.msg, line.req.method, line.req.remoteAddress, line.res.statusCode]), [
    ['request completed', 'GET', '127.0.0.1', 200],
    ['request completed', 'GET', '127.0.0.1', 401],
  ]);
  for (const line of lines) assert.equal(typeof line.responseTime, 'number');
  for (const line of server.logs) assert.ok(!line.includes(secret), 'the token never reaches the log');
  assert.ok(!server.logs.some((line) => line.includes('incoming request')));
});
