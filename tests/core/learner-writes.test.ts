/** The learner-write runner on a real SQLite file with a second connection holding the write lock. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { BULK_WRITE_LEASE_MS, createWritePriority, LEARNER_ACTIVE_MS, REST_FACTOR } from '../../electron/core/db/write-priority';
import { CLAIM_WATCH_MS, createLearnerWriteRunner } from '../../electron/core/ipc/learner-writes';
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

describe('learner writes while a bulk writer holds its claim', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('leave checkpoints to the bulk writer, and run their own again once it lets go', async () => {
    const { sqlite, other, write, count } = setUp();
    // Core's side and a worker's side of the one shared buffer.
    const core = createWritePriority();
    const worker = createWritePriority(core.buffer);
    const run = createLearnerWriteRunner(sqlite, core);
    const ownPages = sqlite.pragma('wal_autocheckpoint', { simple: true });
    expect(ownPages).toBeGreaterThan(0);

    worker.claimBulkWrite('sync');
    expect(core.bulkWriting()).toBe(true);
    // Past the 1000 pages at which this connection would checkpoint inside its commit (the bulk writer checkpoints itself).
    other.pragma('wal_autocheckpoint = 0');
    other.exec(`CREATE TABLE bulk (body TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500) INSERT INTO bulk SELECT hex(randomblob(2000)) FROM n`);
    await run(write);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
    // The WAL holds the bulk pages, none copied to the database file by the learner's commit.
    const [wal] = sqlite.pragma('wal_checkpoint(NOOP)') as Array<{ log: number; checkpointed: number }>;
    expect(wal!.log).toBeGreaterThan(1000);
    expect(wal!.checkpointed).toBe(0);

    worker.releaseBulkWrite('sync');
    expect(core.bulkWriting()).toBe(false);
    await run(write);
    expect(sqlite.pragma('wal_autocheckpoint', { simple: true })).toBe(ownPages);
    expect(count()).toBe(2);
    other.close();
    sqlite.close();
  });

  it('take their checkpoints back once the claim ends, with no learner write to notice: released, or lapsed', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'performance'] });
    const { sqlite, other, write } = setUp();
    const core = createWritePriority();
    const worker = createWritePriority(core.buffer);
    const run = createLearnerWriteRunner(sqlite, core);
    const ownPages = sqlite.pragma('wal_autocheckpoint', { simple: true });
    const autoCheckpoint = () => sqlite.pragma('wal_autocheckpoint', { simple: true });

    worker.claimBulkWrite('sync');
    await run(write);
    expect(autoCheckpoint()).toBe(0);
    worker.releaseBulkWrite('sync');
    vi.advanceTimersByTime(CLAIM_WATCH_MS);
    expect(autoCheckpoint()).toBe(ownPages);

    // A worker that died holding its claim: the lease runs out, and core takes its checkpoints back after it.
    worker.claimBulkWrite('sync');
    await run(write);
    expect(autoCheckpoint()).toBe(0);
    vi.advanceTimersByTime(BULK_WRITE_LEASE_MS - CLAIM_WATCH_MS);
    expect(autoCheckpoint()).toBe(0);
    vi.advanceTimersByTime(2 * CLAIM_WATCH_MS);
    expect(autoCheckpoint()).toBe(ownPages);
    other.close();
    sqlite.close();
  });

  it("ends only the releasing thread's own claim, not one another thread renewed since", () => {
    const core = createWritePriority();
    const stoppingWorker = createWritePriority(core.buffer);
    const nextWorker = createWritePriority(core.buffer);
    stoppingWorker.claimBulkWrite('content');
    nextWorker.claimBulkWrite('content');
    stoppingWorker.releaseBulkWrite('content');
    expect(core.bulkWriting()).toBe(true);
    nextWorker.releaseBulkWrite('content');
    expect(core.bulkWriting()).toBe(false);
  });

  it("keeps an import's claim when the pull gives its own up, whichever claimed last, and on one shared object too", () => {
    const core = createWritePriority();
    const syncWorker = createWritePriority(core.buffer);
    const contentWorker = createWritePriority(core.buffer);
    contentWorker.claimBulkWrite('content');
    syncWorker.claimBulkWrite('sync');
    syncWorker.releaseBulkWrite('sync');
    expect(core.bulkWriting()).toBe(true);
    contentWorker.releaseBulkWrite('content');
    expect(core.bulkWriting()).toBe(false);

    // In-process (tests, an inline engine) both writers may use core's own object.
    core.claimBulkWrite('sync');
    core.claimBulkWrite('content');
    core.releaseBulkWrite('sync');
    expect(core.bulkWriting()).toBe(true);
    core.releaseBulkWrite('content');
    expect(core.bulkWriting()).toBe(false);
  });

  it('lapses when the bulk writer stops renewing it (a worker that died mid-write)', () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const core = createWritePriority();
    const worker = createWritePriority(core.buffer);
    worker.claimBulkWrite('sync');
    vi.advanceTimersByTime(BULK_WRITE_LEASE_MS - 1);
    expect(core.bulkWriting()).toBe(true);
    worker.claimBulkWrite('sync');
    vi.advanceTimersByTime(BULK_WRITE_LEASE_MS - 1);
    expect(core.bulkWriting()).toBe(true);
    vi.advanceTimersByTime(2);
    expect(core.bulkWriting()).toBe(false);
  });
});


describe('bulk writers while the learner studies', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('rest between transactions REST_FACTOR times the last one for LEARNER_ACTIVE_MS after a learner write, else go on at once', async () => {
    const { sqlite, other, write } = setUp();
    vi.useFakeTimers({ toFake: ['performance', 'setTimeout', 'setImmediate'] });
    const core = createWritePriority();
    const worker = createWritePriority(core.buffer);
    /** Starts stepping aside; the returned function says whether it has resolved. */
    const stepAside = (lastTransactionMs: number): (() => boolean) => {
      let done = false;
      void worker.stepAside(lastTransactionMs).then(() => {
        done = true;
      });
      return () => done;
    };

    // Nobody has studied: the next transaction follows at the next turn of the event loop.
    const idle = stepAside(10);
    await vi.advanceTimersByTimeAsync(0);
    expect(idle()).toBe(true);

    // A learner write (through core's runner) makes the bulk writer rest 3 × 10 ms.
    await createLearnerWriteRunner(sqlite, core)(write);
    expect(REST_FACTOR).toBe(3);
    const resting = stepAside(10);
    await vi.advanceTimersByTimeAsync(29);
    expect(resting()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(resting()).toBe(true);

    // Once the learner has not written for LEARNER_ACTIVE_MS, full speed again.
    await vi.advanceTimersByTimeAsync(LEARNER_ACTIVE_MS);
    const later = stepAside(10);
    await vi.advanceTimersByTimeAsync(0);
    expect(later()).toBe(true);
    other.close();
    sqlite.close();
  });
});
