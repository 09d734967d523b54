import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ALL_SCOPES, hasScope, impliedScopes, isKnownScope, normalizeScopes, SCOPE_TREE, scopesGranting,
} from './scopes.ts';

/**
 * The scope tree of the issue, written out by hand: each scope and everything it grants besides itself (all of its
 * descendants, and nothing else). The order is the settings page's: parents before their children.
 */
const DESCENDANTS: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['repo', ['repo:status', 'repo_deployment', 'public_repo', 'repo:invite', 'security_events']],
  ['repo:status', []],
  ['repo_deployment', []],
  ['public_repo', []],
  ['repo:invite', []],
  ['security_events', []],
  ['workflow', []],
  ['write:packages', ['read:packages']],
  ['read:packages', []],
  ['delete:packages', []],
  ['admin:org', ['write:org', 'read:org']],
  ['write:org', ['read:org']],
  ['read:org', []],
  ['admin:public_key', ['write:public_key', 'read:public_key']],
  ['write:public_key', ['read:public_key']],
  ['read:public_key', []],
  ['admin:repo_hook', ['write:repo_hook', 'read:repo_hook']],
  ['write:repo_hook', ['read:repo_hook']],
  ['read:repo_hook', []],
  ['admin:org_hook', []],
  ['gist', []],
  ['notifications', []],
  ['user', ['read:user', 'user:email', 'user:follow']],
  ['read:user', []],
  ['user:email', []],
  ['user:follow', []],
  ['delete_repo', []],
  ['admin:gpg_key', ['write:gpg_key', 'read:gpg_key']],
  ['write:gpg_key', ['read:gpg_key']],
  ['read:gpg_key', []],
  ['project', ['read:project']],
  ['read:project', []],
];

const EXPECTED_SCOPES = DESCENDANTS.map(([scope]) => scope);
const grantsOf = new Map(DESCENDANTS.map(([scope, below]) => [scope, new Set([scope, ...below])]));

/** The ancestors of each scope, nearest first, derived from the hand-written table. */
function expectedAncestors(scope: string): string[] {
  const parents = DESCENDANTS.filter(([parent, below]) => parent !== scope && below.includes(scope)).map(([p]) => p);
  // The nearest ancestor has the fewest descendants.
  return parents.sort((x, y) => grantsOf.get(x)!.size - grantsOf.get(y)!.size);
}

describe('the scope tree', () => {
  test('has exactly the 32 scopes of the issue, parents before children, in the settings page order', () => {
    assert.equal(EXPECTED_SCOPES.length, 32);
    assert.deepEqual([...ALL_SCOPES], EXPECTED_SCOPES);
  });

  test('has the 14 top-level scopes of the issue', () => {
    assert.deepEqual(SCOPE_TREE.map((s) => s.name), [
      'repo', 'workflow', 'write:packages', 'delete:packages', 'admin:org', 'admin:public_key', 'admin:repo_hook',
      'admin:org_hook', 'gist', 'notifications', 'user', 'delete_repo', 'admin:gpg_key', 'project',
    ]);
  });

  test('every scope has a description', () => {
    const walk = (definitions: typeof SCOPE_TREE): void => {
      for (const definition of definitions) {
        assert.ok(definition.description.trim().length > 0, definition.name);
        walk(definition.children ?? []);
      }
    };
    walk(SCOPE_TREE);
  });

  test('isKnownScope knows every scope and nothing else', () => {
    for (const scope of EXPECTED_SCOPES) assert.equal(isKnownScope(scope), true, scope);
    for (const name of ['', 'REPO', 'Repo', 'repo ', 'admin', 'read', 'org', 'write:user', 'constructor', '__proto__', 'toString']) {
      assert.equal(isKnownScope(name), false, JSON.stringify(name));
    }
  });
});

describe('impliedScopes: each scope grants itself and exactly its descendants', () => {
  for (const [scope, below] of DESCENDANTS) {
    test(scope, () => {
      assert.deepEqual(impliedScopes(scope), [scope, ...below]);
    });
  }
});

describe('hasScope: every granted × required pair', () => {
  for (const granted of EXPECTED_SCOPES) {
    test(`a token with only ${granted}`, () => {
      for (const required of EXPECTED_SCOPES) {
        const expected = grantsOf.get(granted)!.has(required);
        assert.equal(hasScope([granted], required), expected, `${granted} ${expected ? 'must' : 'must not'} grant ${required}`);
      }
    });
  }

  test('a token with no scopes has none of them', () => {
    for (const required of EXPECTED_SCOPES) assert.equal(hasScope([], required), false, required);
  });

  test('a token with several scopes has the union of what they grant', () => {
    const granted = ['public_repo', 'read:org', 'user:email'];
    const union = new Set(['public_repo', 'read:org', 'user:email']);
    for (const required of EXPECTED_SCOPES) assert.equal(hasScope(granted, required), union.has(required), required);
  });

  test('a child never grants its parent or its siblings', () => {
    assert.equal(hasScope(['public_repo'], 'repo'), false);
    assert.equal(hasScope(['read:org'], 'write:org'), false);
    assert.equal(hasScope(['read:user'], 'user:email'), false);
    assert.equal(hasScope(['write:packages'], 'delete:packages'), false);
    assert.equal(hasScope(['repo'], 'delete_repo'), false);
    assert.equal(hasScope(['admin:org'], 'admin:org_hook'), false);
  });
});

describe('scopesGranting: the scope and its ancestors, nearest first', () => {
  for (const scope of EXPECTED_SCOPES) {
    test(scope, () => assert.deepEqual(scopesGranting(scope), [scope, ...expectedAncestors(scope)]));
  }

  test('spelled out for a three-level chain and a two-level one', () => {
    assert.deepEqual(scopesGranting('read:org'), ['read:org', 'write:org', 'admin:org']);
    assert.deepEqual(scopesGranting('read:gpg_key'), ['read:gpg_key', 'write:gpg_key', 'admin:gpg_key']);
    assert.deepEqual(scopesGranting('public_repo'), ['public_repo', 'repo']);
    assert.deepEqual(scopesGranting('user:email'), ['user:email', 'user']);
    assert.deepEqual(scopesGranting('delete_repo'), ['delete_repo']);
  });
});

describe('normalizeScopes', () => {
  const accepted: ReadonlyArray<[string, string[], string[]]> = [
    ['nothing', [], []],
    ['empty strings and blanks are ignored', ['', '  ', ''], []],
    ['one scope', ['gist'], ['gist']],
    ['surrounding whitespace is trimmed', [' repo ', '\tgist\n'], ['repo', 'gist']],
    ['duplicates are dropped', ['gist', 'gist', 'repo', 'gist'], ['repo', 'gist']],
    ['a child under its parent is dropped', ['repo', 'public_repo'], ['repo']],
    ['a child before its parent is dropped too', ['public_repo', 'repo:status', 'repo'], ['repo']],
    ['a grandchild under its grandparent is dropped', ['read:org', 'admin:org'], ['admin:org']],
    ['a child and grandchild under the parent', ['read:org', 'write:org'], ['write:org']],
    ['all three levels give the top one', ['read:gpg_key', 'admin:gpg_key', 'write:gpg_key'], ['admin:gpg_key']],
    ['siblings are both kept', ['user:email', 'read:user'], ['read:user', 'user:email']],
    ['children of different parents are kept', ['read:org', 'public_repo'], ['public_repo', 'read:org']],
    ['the result is in tree order', ['project', 'user', 'gist', 'repo', 'workflow'], ['repo', 'workflow', 'gist', 'user', 'project']],
    ['a parent does not swallow an unrelated scope', ['repo', 'delete_repo', 'admin:org', 'admin:org_hook'], ['repo', 'admin:org', 'admin:org_hook', 'delete_repo']],
    ['every scope at once gives the 14 top-level scopes', [...EXPECTED_SCOPES].reverse(), SCOPE_TREE.map((s) => s.name)],
  ];
  for (const [name, requested, expected] of accepted) {
    test(name, () => assert.deepEqual(normalizeScopes(requested), { ok: true, scopes: expected }));
  }

  const refused: ReadonlyArray<[string, string[], string[]]> = [
    ['an unknown scope', ['repo', 'bogus'], ['bogus']],
    ['scopes are case-sensitive', ['REPO'], ['REPO']],
    ['each unknown name is reported once, in order', ['x', 'repo', 'y', 'x'], ['x', 'y']],
    ['names of object properties are not scopes', ['constructor', '__proto__'], ['constructor', '__proto__']],
    ['a comma-joined list is one unknown name', ['repo,gist'], ['repo,gist']],
    ['an unknown name is reported trimmed', [' nope '], ['nope']],
  ];
  for (const [name, requested, unknown] of refused) {
    test(`refuses ${name}`, () => assert.deepEqual(normalizeScopes(requested), { ok: false, unknown }));
  }

  test('normalising is idempotent for every single scope and every pair', () => {
    for (const first of EXPECTED_SCOPES) {
      for (const second of EXPECTED_SCOPES) {
        const once = normalizeScopes([first, second]);
        assert.ok(once.ok);
        assert.deepEqual(normalizeScopes(once.scopes), once);
        // What the normalised list grants is exactly what the request granted.
        for (const required of EXPECTED_SCOPES) {
          assert.equal(hasScope(once.scopes, required), hasScope([first, second], required), `${first},${second} ${required}`);
        }
      }
    }
  });
});
