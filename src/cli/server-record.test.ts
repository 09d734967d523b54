import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { findServedBaseUrl, serverRecordsDirOf, writeServerRecord } from './server-record.ts';

/** The id of a process that has ended: what a crashed server leaves in its record. */
function endedPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

function writeRecord(dataDir: string, record: { baseUrl: string; pid: number; hostname: string; startedAt: string }): void {
  writeFileSync(join(serverRecordsDirOf(dataDir), `${record.hostname}-${record.pid}.json`), JSON.stringify(record));
}

test('the newest running server is found; a crashed one of this machine is ignored, then removed by the next start', (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-records-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  assert.equal(findServedBaseUrl(dataDir), undefined, 'no folder, no server');

  const remove = writeServerRecord(dataDir, 'https://127.0.0.1:8443');
  assert.equal(findServedBaseUrl(dataDir), 'https://127.0.0.1:8443');

  const crashed = endedPid();
  writeRecord(dataDir, { baseUrl: 'http://127.0.0.1:1', pid: crashed, hostname: hostname(), startedAt: '2999-01-01T00:00:00.000Z' });
  assert.equal(findServedBaseUrl(dataDir), 'https://127.0.0.1:8443', 'a newer record of an ended process is not a server');

  // A process on another machine sharing the folder cannot be checked, so it counts as running.
  writeRecord(dataDir, { baseUrl: 'https://git.example.test', pid: crashed, hostname: 'elsewhere', startedAt: '2999-01-01T00:00:00.000Z' });
  assert.equal(findServedBaseUrl(dataDir), 'https://git.example.test');
  writeFileSync(join(serverRecordsDirOf(dataDir), 'half.json'), '{"baseUrl":');
  assert.equal(findServedBaseUrl(dataDir), 'https://git.example.test', 'an unreadable record is skipped');

  remove();
  const removeNext = writeServerRecord(dataDir, 'https://127.0.0.1:9443');
  assert.deepEqual(readdirSync(serverRecordsDirOf(dataDir)).sort(), [`${hostname()}-${process.pid}.json`, 'elsewhere-' + crashed + '.json', 'half.json'].sort(),
    "starting removes this machine's crashed record and keeps the others");
  removeNext();
  assert.ok(!readdirSync(serverRecordsDirOf(dataDir)).includes(`${hostname()}-${process.pid}.json`), 'a clean stop removes the record');
});
