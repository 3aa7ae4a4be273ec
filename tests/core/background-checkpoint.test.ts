/** The pull's checkpoint thread, on real SQLite files: it copies the WAL into the database file, one checkpoint at a time. */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startBackgroundCheckpoints, type BackgroundCheckpoints } from '../../electron/core/db/background-checkpoint';

let dir: string;
let writer: Database.Database;
let file: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'background-checkpoint-'));
  file = join(dir, 'db.sqlite');
  writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  // As the pull's connection: nothing is checkpointed inside its commits.
  writer.pragma('wal_autocheckpoint = 0');
  writer.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  // The table in the file itself: from here on, the rows only the WAL holds are what a checkpoint has still to copy.
  writer.pragma('wal_checkpoint(TRUNCATE)');
});

afterEach(() => {
  writer.close();
  rmSync(dir, { recursive: true, force: true });
});

const insert = (count: number) => {
  const statement = writer.prepare('INSERT INTO rows (body) VALUES (?)');
  writer.transaction(() => {
    for (let i = 0; i < count; i++) statement.run('x'.repeat(200));
  })();
};

/** The rows the database file holds on its own, without its WAL: what checkpoints have copied into it. */
const rowsInFile = (): number => {
  const copy = join(dir, `copy-${Math.random()}.sqlite`);
  copyFileSync(file, copy);
  const reader = new Database(copy, { readonly: true });
  try {
    return reader.prepare('SELECT count(*) FROM rows').pluck().get() as number;
  } finally {
    reader.close();
  }
};

/** Starts its first checkpoint once the thread has opened its connection (bounded: 10 s); `done` is the checkpoint's end. */
const firstCheckpoint = async (checkpoints: BackgroundCheckpoints): Promise<{ done: Promise<number> }> => {
  let started: Promise<number> | null = null;
  await vi.waitFor(
    () => {
      started = checkpoints.start();
      expect(started).not.toBeNull();
    },
    { timeout: 10_000, interval: 5 },
  );
  return { done: started! };
};

describe('background checkpoints', () => {
  it('copy the WAL into the database file on their own thread, and report the frames the WAL held', async () => {
    insert(2000);
    expect(rowsInFile()).toBe(0);
    const checkpoints = startBackgroundCheckpoints(file);
    try {
      const walFrames = await (await firstCheckpoint(checkpoints)).done;
      expect(walFrames).toBeGreaterThan(100);
      expect(rowsInFile()).toBe(2000);
      // The writer's next transaction restarts the WAL (all of it was copied, nothing written since); the next copies it.
      insert(500);
      const next = checkpoints.start();
      expect(next).not.toBeNull();
      expect(await next).toBeLessThan(walFrames);
      expect(rowsInFile()).toBe(2500);
    } finally {
      await checkpoints.close();
    }
  });

  it('run one at a time: none starts while one runs, and the next starts once it has finished', async () => {
    insert(5000);
    const checkpoints = startBackgroundCheckpoints(file);
    try {
      const first = await firstCheckpoint(checkpoints);
      expect(checkpoints.running).toBe(true);
      expect(checkpoints.start()).toBeNull();
      await first.done;
      expect(checkpoints.running).toBe(false);
      const second = checkpoints.start();
      expect(second).not.toBeNull();
      await second;
    } finally {
      await checkpoints.close();
    }
  });

  it('close after the running checkpoint has finished, and start none afterwards', async () => {
    insert(5000);
    const checkpoints = startBackgroundCheckpoints(file);
    const first = await firstCheckpoint(checkpoints);
    await checkpoints.close();
    expect(await first.done).toBeGreaterThan(0);
    expect(checkpoints.running).toBe(false);
    expect(rowsInFile()).toBe(5000);
    expect(checkpoints.start()).toBeNull();
  });

  it('finish: one more checkpoint copies what was written since the last, then the thread ends', async () => {
    insert(5000);
    const checkpoints = startBackgroundCheckpoints(file);
    const first = await firstCheckpoint(checkpoints);
    expect(await first.done).toBeGreaterThan(0);
    insert(3000);
    expect(rowsInFile()).toBe(5000);
    await checkpoints.finish();
    expect(rowsInFile()).toBe(8000);
    expect(checkpoints.start()).toBeNull();
  });

  it('start nothing when the thread cannot open the database, which it never creates, and still close', async () => {
    const missing = join(dir, 'missing.sqlite');
    const checkpoints = startBackgroundCheckpoints(missing);
    // Long enough for the thread to have opened a file that existed (the first test's wait is the same).
    const deadline = Date.now() + 1000;
    while (Date.now() < deadline) {
      expect(checkpoints.start()).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await checkpoints.close();
    expect(() => new Database(missing, { fileMustExist: true })).toThrow();
  });
});
