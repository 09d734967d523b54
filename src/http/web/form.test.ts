import { test } from 'node:test';
import assert from 'node:assert/strict';
import { safeReturnPath } from './form.ts';

test('safeReturnPath keeps paths on this site and nothing else', () => {
  const kept = ['/settings/tokens', '/new', '/alice/repo?tab=1', '/settings/tokens/3/regenerate', '/%0d%0a-stays-encoded'];
  const refused = [
    '', 'settings', 'https://evil.example/', '//evil.example', '/\\evil.example', '/\t/evil.example',
    '/\r\nX: 1', '/ space', '/é', `/${'a'.repeat(2000)}`, 'javascript:alert(1)',
  ];
  for (const path of kept) assert.equal(safeReturnPath(path, '/fallback'), path, path);
  for (const path of refused) assert.equal(safeReturnPath(path, '/fallback'), '/fallback', JSON.stringify(path));
});
