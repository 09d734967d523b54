/**
 * Where a running `tessera serve` tells the other `tessera` commands which base URL it serves, so that the clone URL
 * `tessera repo create` prints and the links in the mails CLI commands send point at it (a server started with
 * `--port 0` or with HTTPS is not at the default http://127.0.0.1:8080).
 *
 * One file per process, `<data>/servers/<hostname>-<pid>.json`, because several processes may serve one data
 * folder (each then writes the same TESSERA_BASE_URL); one shared file would need locking, and the first process to
 * stop would take away the record of the others. A process removes its file when it stops cleanly; a file left by a
 * crash is recognised by its process being gone (on this machine) and ignored, and removed when a server starts.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export interface ServerRecord {
  baseUrl: string;
  pid: number;
  hostname: string;
  startedAt: string;
}

export function serverRecordsDirOf(dataDir: string): string {
  return join(dataDir, 'servers');
}

/** Whether a process of this machine still runs; one of another machine (a shared folder) is taken to run. */
function isRunning(record: ServerRecord): boolean {
  if (record.hostname !== hostname()) return true;
  try {
    process.kill(record.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readRecords(dir: string): Array<{ path: string; record: ServerRecord }> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith('.json'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    try {
      const record = JSON.parse(readFileSync(path, 'utf8')) as ServerRecord;
      return typeof record.baseUrl === 'string' && Number.isInteger(record.pid) ? [{ path, record }] : [];
    } catch {
      return []; // Being written (the rename below makes that rare) or damaged: not a server to link to.
    }
  });
}

/** Records this process as serving `baseUrl`; returns the function that removes the record (synchronous, for exit). */
export function writeServerRecord(dataDir: string, baseUrl: string): () => void {
  const dir = serverRecordsDirOf(dataDir);
  mkdirSync(dir, { recursive: true });
  for (const { path, record } of readRecords(dir)) if (!isRunning(record)) rmSync(path, { force: true });
  const record: ServerRecord = { baseUrl, pid: process.pid, hostname: hostname(), startedAt: new Date().toISOString() };
  const path = join(dir, `${record.hostname}-${record.pid}.json`);
  // Written aside and renamed, so a command reading the folder never sees half a file.
  writeFileSync(`${path}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
  return () => rmSync(path, { force: true });
}

/** The base URL of the most recently started server that still runs on this data folder, if any. */
export function findServedBaseUrl(dataDir: string): string | undefined {
  const running = readRecords(serverRecordsDirOf(dataDir)).map(({ record }) => record).filter(isRunning);
  running.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  return running[0]?.baseUrl;
}
