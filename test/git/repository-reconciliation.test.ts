/**
 * reconcileRepositories against a real store and real folders: each thing a crash can leave half-done, set up by
 * hand as the crash would have left it, and what a user can see before and after start-up reconciliation.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { signUp } from '../../src/domain/accounts.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import { listRepositoriesFor } from '../../src/domain/repository-access.ts';
import { createOwnRepository, deleteRepository, ownerOfUser } from '../../src/domain/repositories.ts';
import { reconcileRepositories } from '../../src/domain/repository-lifecycle.ts';
import { createRepositoryFiles, repositoriesRootOf } from '../../src/git/repository-files.ts';
import { createDeps } from '../../src/runtime.ts';
import type { RepositoryState } from '../../src/store/database.ts';
import { findRepositoryById, insertRepository } from '../../src/store/repository-store.ts';
import { openTestDatabase } from '../helpers/store.ts';

/** Above Linux's largest pid (2^22): never a running process. */
const DEAD_INSTANCE = `4194305-deadbeef@${hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'localhost'}`;
/** The test runner that started us: certainly running. */
const RUNNING_INSTANCE = `${process.ppid}-cafe@${hostname().replace(/[^A-Za-z0-9.-]/g, '_') || 'localhost'}`;

test('start-up reconciliation finishes or undoes what a crash left, and leaves live work and ready repositories alone', async (t) => {
  const { config, db, dataDir } = await openTestDatabase(t);
  const deps = createDeps(config, db);
  const signedUp = await signUp(deps, { username: 'crashy', email: 'crashy@example.test', password: 'correct horse battery staple' }, { verified: true });
  assert.ok(signedUp.ok);
  const owner = signedUp.user;
  const root = repositoriesRootOf(dataDir);
  const files = deps.repositoryFiles;

  const ready = await createOwnRepository(deps, owner, { name: 'kept', private: false });
  assert.ok(ready.ok);
  const record = (name: string, state: RepositoryState, instance: string | null) => insertRepository(db, {
    owner_id: owner.id, name, name_key: name, description: null, private: 0, state, instance,
    created_at: deps.clock.now().toISOString(), updated_at: deps.clock.now().toISOString(),
  });
  // Crashed after the rename, before the record was marked ready: complete, so it is finished.
  const renamed = await record('renamed', 'creating', DEAD_INSTANCE);
  await files.create(renamed);
  // A folder whose record is gone (its creation was abandoned by an earlier reconciliation).
  await createRepositoryFiles(root, DEAD_INSTANCE).create({ owner_id: owner.id, id: 999_999 });
  // Crashed before the rename: a half-made folder in the dead process's incoming folder, no final folder.
  const halfMade = await record('half-made', 'creating', DEAD_INSTANCE);
  await mkdir(join(root, '.incoming', DEAD_INSTANCE, `${halfMade.id}.git`), { recursive: true });
  // Being created right now by a process that runs: not ours to touch.
  const live = await record('live', 'creating', RUNNING_INSTANCE);
  // Crashed during a deletion: the record marked, the folder still there.
  const deleting = await record('deleting', 'deleting', null);
  await files.create(deleting);
  // Crashed during a deletion, after the folder went to the trash.
  await mkdir(join(root, '.trash', 'left-over'), { recursive: true });

  const listed = async () => (await listRepositoriesFor(deps, sessionPrincipal(owner), ownerOfUser(owner))).map((r) => r.name);
  assert.deepEqual(await listed(), ['kept'], 'only ready repositories are ever listed');

  const report = await reconcileRepositories(deps);
  assert.deepEqual(report, { completed: 1, abandoned: 1, deleted: 1, clearedFolders: 3 });
  assert.deepEqual(await listed(), ['kept', 'renamed']);
  assert.equal(await findRepositoryById(db, halfMade.id), undefined);
  assert.equal(await findRepositoryById(db, deleting.id), undefined);
  assert.equal((await findRepositoryById(db, live.id))?.state, 'creating');
  assert.ok(existsSync(join(files.pathOf(renamed), 'HEAD')));
  assert.ok(existsSync(join(files.pathOf(ready.repository), 'HEAD')));
  assert.equal(existsSync(files.pathOf(deleting)), false);
  assert.equal(existsSync(join(root, '.incoming', DEAD_INSTANCE)), false);
  assert.deepEqual(await readdir(join(root, '.trash')), []);
  assert.deepEqual((await readdir(join(root, String(owner.id)))).sort(), [`${ready.repository.id}.git`, `${renamed.id}.git`].sort());

  // A second run finds nothing more to do.
  assert.deepEqual(await reconcileRepositories(deps), { completed: 0, abandoned: 0, deleted: 0, clearedFolders: 0 });

  // An ordinary deletion leaves neither record nor folder nor trash.
  await deleteRepository(deps, ready.repository);
  assert.deepEqual(await listed(), ['renamed']);
  assert.equal(existsSync(files.pathOf(ready.repository)), false);
  assert.deepEqual(await readdir(join(root, '.trash')), []);
});
