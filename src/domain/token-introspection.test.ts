import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTokenPermission } from './token-introspection.ts';
import type { TokenPrincipal } from './principal.ts';
import type { UserRow } from '../store/database.ts';

test('a dry run answers as the API would: a parent scope grants its children, a missing one is named', () => {
  const cases: Array<[string[], Parameters<typeof checkTokenPermission>[1], ReturnType<typeof checkTokenPermission>]> = [
    [[], undefined, { allowed: false, code: 'not_found' }],
    [[], {}, { allowed: true }],
    [['repo'], { requiredScope: 'public_repo' }, { allowed: true }],
    [['user'], { requiredScope: 'read:user' }, { allowed: true }],
    [['read:user'], { requiredScope: 'user' }, { allowed: false, code: 'missing_scope', scope: 'user', acceptedScopes: ['user'] }],
    [['gist'], { scopeCheckedByHandler: 'public_repo' }, { allowed: false, code: 'missing_scope', scope: 'public_repo', acceptedScopes: ['public_repo', 'repo'] }],
    [['delete_repo'], { requiredScope: 'delete_repo', scopeCheckedByHandler: 'repo' }, { allowed: false, code: 'missing_scope', scope: 'repo', acceptedScopes: ['repo'] }],
  ];
  for (const [scopes, requirement, expected] of cases) {
    const principal: TokenPrincipal = {
      kind: 'token', user: {} as UserRow, scopes, token: { id: 1, note: 'n', scopes, createdAt: new Date(0), expiresAt: null, lastUsedAt: null },
    };
    assert.deepEqual(checkTokenPermission(principal, requirement), expected, `${scopes.join(',')} against ${JSON.stringify(requirement)}`);
  }
});
