import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegisteredRoute } from '../app.ts';
import { findApiRoute } from './route-matcher.ts';

const routes: RegisteredRoute[] = [
  { method: 'GET', url: '/api/v3/user', config: {} },
  { method: 'POST', url: '/api/v3/user/repos', config: {} },
  { method: 'GET', url: '/api/v3/users/:username', config: {} },
  { method: 'GET', url: '/api/v3/repos/:owner/:repo', config: {} },
  { method: 'GET', url: '/api/v3/repos/:owner/special', config: {} },
  { method: 'GET', url: '/settings/tokens', config: {} },
];

test('a method and path find the route the API would run, a static segment beating a parameter', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['GET', '/user', '/api/v3/user'],
    ['HEAD', '/user', '/api/v3/user'],
    ['get', '/api/v3/user?per_page=1', '/api/v3/user'],
    ['POST', '/user/repos', '/api/v3/user/repos'],
    ['GET', '/user/repos', undefined],
    ['GET', '/users/octocat', '/api/v3/users/:username'],
    ['GET', '/users/', undefined],
    ['GET', '/users/octocat/extra', undefined],
    ['GET', '/repos/me/special', '/api/v3/repos/:owner/special'],
    ['GET', '/repos/me/other', '/api/v3/repos/:owner/:repo'],
    ['GET', '/settings/tokens', undefined],
    ['GET', '/', undefined],
  ];
  for (const [method, path, expected] of cases) {
    assert.equal(findApiRoute(routes, method, path)?.url, expected, `${method} ${path}`);
  }
});
