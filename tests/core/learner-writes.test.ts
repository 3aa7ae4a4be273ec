/** The learner-write runner on a real SQLite file with a second connection holding the write lock. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();

function setUp() {
  const file = join(tempDir(), 'writes.sqlite');
  const { sqlite } = openDatabase(file);
  sqlite.exec('CREATE TABLE answers (id INTEGER PRIMARY KEY, at REAL)');
  const insert = sqlite.transaction(() => sqlite.prepare('INSERT INTO answers (at) VALUES (?)').run(performance.now()));
  const other = new Database(file);
  return { sqlite, other, write: () => insert.immediate(), count: () => sqlite.prepare('SELECT count(*) FROM answers').pluck().get() };
}

describe('learner writes behind another writer', () => {
  it('get the lock within a few ms of its release, without blocking the thread while they wait', async () => {
    const { sqlite, other, write, count } = setUp();
    other.exec('BEGIN IMMEDIATE');
    let releasedAt = 0;
    // Runs only if the waiting write leaves the thread free; SQLite's own busy wait would block it for 5 s.
    setTimeout(() => {
      other.exec('COMMIT');
      releasedAt = performance.now();
    }, 150);
    await createLearnerWriteRunner(sqlite)(write);
    const waitedAfterRelease = performance.now() - releasedAt;
    expect(releasedAt).toBeGreaterThan(0);
    expect(waitedAfterRelease).toBeLessThan(50);
    expect(count()).toBe(1);
    // The connection keeps its busy timeout for everything else.
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(5000);
    other.close();
    sqlite.close();
  });

  it('give up with SQLITE_BUSY after the connection busy timeout, having written nothing', async () => {
    const { sqlite, other, write, count } = setUp();
    sqlite.pragma('busy_timeout = 200');
    other.exec('BEGIN IMMEDIATE');
    const started = performance.now();
    await expect(createLearnerWriteRunner(sqlite)(write)).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(performance.now() - started).toBeLessThan(1500);
    other.exec('ROLLBACK');
    expect(count()).toBe(0);
    other.close();
    sqlite.close();
  });

  it('let other failures through at once, untried again', async () => {
    const { sqlite, other } = setUp();
    let calls = 0;
    await expect(
      createLearnerWriteRunner(sqlite)(() => {
        calls++;
        throw new Error('not a lock problem');
      }),
    ).rejects.toThrow('not a lock problem');
    expect(calls).toBe(1);
    other.close();
    sqlite.close();
  });
});
