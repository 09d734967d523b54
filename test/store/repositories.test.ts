/**
 * Repositories on SQLite or PostgreSQL (test/helpers/store.ts selects): creation and its refused names, listing and
 * finding as each kind of principal sees them (private ones only for the owner acting with repo), and deletion.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Deps } from '../../src/domain/deps.ts';
import { ANONYMOUS, type Principal, sessionPrincipal } from '../../src/domain/principal.ts';
import { findRepositoryFor, listRepositoriesFor } from '../../src/domain/repository-access.ts';
import {
  createOwnRepository, deleteRepository, ownerOfUser,
} from '../../src/domain/repositories.ts';
import type { UserRow } from '../../src/store/database.ts';
import { findRepository, listRepositoriesOfOwner } from '../../src/store/repository-store.ts';
import { TEST_STORE } from '../helpers/store.ts';
import { countRows, openFixture, START } from './store-fixture.ts';

// Every test has its own store, so the suites and their tests run side by side (bounded: each PostgreSQL test has
// its own database and connection pool).
describe(`store conformance (${TEST_STORE})`, { concurrency: 4 }, () => {
  describe(`store (${TEST_STORE}): repositories`, { concurrency: 4 }, () => {
    const tokenActor = (user: UserRow, scopes: string[]): Principal => ({
      kind: 'token', user, scopes, token: { id: 0, note: 'test', scopes, createdAt: new Date(0), expiresAt: null, lastUsedAt: null },
    });
    const sessionActor = sessionPrincipal;
    const listRepositoriesOf = (deps: Deps, principal: Principal, owner: UserRow) => listRepositoriesFor(deps, principal, ownerOfUser(owner));
    /** The repository's name when the principal may read OWNER/NAME, else undefined. */
    const readable = async (deps: Deps, principal: Principal, owner: string, name: string) => {
      const access = await findRepositoryFor(deps, principal, 'read', owner, name);
      return access.ok ? access.repository.name : undefined;
    };

    test('create stores the record; a duplicate name in any case is a name error; another owner may use it', async (t) => {
      const f = await openFixture(t);
      const a = await f.user('repoa');
      const b = await f.user('repob');
      const created = await createOwnRepository(f.deps, a, { name: 'Hello-World', private: false, description: 'hi' });
      assert.ok(created.ok);
      assert.deepEqual({ ...created.repository }, {
        id: created.repository.id, owner_id: a.id, name: 'Hello-World', name_key: 'hello-world', description: 'hi',
        private: 0, created_at: START.toISOString(), updated_at: START.toISOString(), state: 'ready', instance: null,
      });
      const duplicate = await createOwnRepository(f.deps, a, { name: 'hello-WORLD', private: true });
      assert.ok(!duplicate.ok && duplicate.code === 'invalid');
      assert.deepEqual(duplicate.problem, { field: 'name', problem: 'taken', name: 'hello-WORLD' });
      assert.ok((await createOwnRepository(f.deps, b, { name: 'Hello-World', private: true })).ok);
      assert.equal(await countRows(f.db, 'repositories'), 2);
    });

    test('invalid and reserved names are refused', async (t) => {
      const f = await openFixture(t);
      const user = await f.user('namer');
      for (const name of ['', 'has space', 'slash/name', '.', '..', 'x.git', 'X.GIT', 'a'.repeat(101), 'ünï']) {
        const result = await createOwnRepository(f.deps, user, { name, private: false });
        assert.ok(!result.ok && result.code === 'invalid', JSON.stringify(name));
        assert.equal(result.problem.field, 'name', JSON.stringify(name));
      }
      assert.equal(await countRows(f.db, 'repositories'), 0);
      assert.ok((await createOwnRepository(f.deps, user, { name: 'a'.repeat(100), private: false })).ok);
      assert.ok((await createOwnRepository(f.deps, user, { name: 'dots.and_under-scores', private: false })).ok);
    });

    test('listing: private repositories only for the owner acting with repo; sorted by name in any case', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('lister');
      const other = await f.user('looker');
      for (const [name, isPrivate] of [['zeta', false], ['Alpha', true], ['beta', false], ['Gamma', true]] as const) {
        assert.ok((await createOwnRepository(f.deps, owner, { name, private: isPrivate })).ok);
      }
      const names = async (actor: Principal) => (await listRepositoriesOf(f.deps, actor, owner)).map((r) => r.name);
      assert.deepEqual(await names(sessionActor(owner)), ['Alpha', 'beta', 'Gamma', 'zeta']);
      assert.deepEqual(await names(tokenActor(owner, ['repo'])), ['Alpha', 'beta', 'Gamma', 'zeta']);
      assert.deepEqual(await names(tokenActor(owner, ['public_repo'])), ['beta', 'zeta']);
      assert.deepEqual(await names(tokenActor(owner, [])), ['beta', 'zeta']);
      assert.deepEqual(await names(ANONYMOUS), ['beta', 'zeta']);
      assert.deepEqual(await names(sessionActor(other)), ['beta', 'zeta']);
      assert.deepEqual((await listRepositoriesOfOwner(f.db, other.id, { includePrivate: true })), []);
    });

    test('finding: names in any case; a private repository is absent for anyone who may not read it', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('finder');
      const other = await f.user('stranger');
      await createOwnRepository(f.deps, owner, { name: 'Open', private: false });
      await createOwnRepository(f.deps, owner, { name: 'Secret', private: true });
      assert.equal(await readable(f.deps, ANONYMOUS, 'FINDER', 'open'), 'Open');
      assert.equal(await readable(f.deps, sessionActor(owner), 'finder', 'SECRET'), 'Secret');
      assert.equal(await readable(f.deps, sessionActor(other), 'finder', 'Secret'), undefined);
      assert.equal(await readable(f.deps, ANONYMOUS, 'finder', 'Secret'), undefined);
      assert.equal(await readable(f.deps, tokenActor(owner, ['public_repo']), 'finder', 'Secret'), undefined);
      assert.equal(await readable(f.deps, ANONYMOUS, 'nobody', 'Open'), undefined);
      assert.equal(await readable(f.deps, ANONYMOUS, 'finder', 'missing'), undefined);
    });

    test('delete removes the record and frees the name', async (t) => {
      const f = await openFixture(t);
      const owner = await f.user('remover');
      const created = await createOwnRepository(f.deps, owner, { name: 'gone', private: false });
      assert.ok(created.ok);
      await deleteRepository(f.deps, created.repository);
      assert.equal(await findRepository(f.db, owner.id, 'gone'), undefined);
      assert.deepEqual(await listRepositoriesOf(f.deps, sessionActor(owner), owner), []);
      assert.ok((await createOwnRepository(f.deps, owner, { name: 'GONE', private: true })).ok);
    });
  });
});
