/** The database and everything SQLite and the app write beside it are owner-only, without relying on the process's umask. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe.skipIf(process.platform === 'win32')('file modes of the database', () => {
  it('gives a new database, its WAL and SHM, and its daily backup 0600 under a permissive umask', () => {
    // The usual umask: anything left to it would come out group- and world-readable.
    expect(process.umask() & 0o044).toBe(0);
    const dir = tempDir();
    const { sqlite } = openDatabase(join(dir, 'study.sqlite'), { dailyBackup: true });
    try {
      sqlite.exec('create table modes_probe (x); insert into modes_probe values (1)');
      const files = readdirSync(dir);
      expect(files).toEqual(expect.arrayContaining(['study.sqlite', 'study.sqlite-wal', 'study.sqlite-shm']));
      expect(files.some((name) => /^study\.daily-\d+\.sqlite$/.test(name))).toBe(true);
      for (const name of files) expect(modeOf(join(dir, name)), name).toBe(0o600);
    } finally {
      sqlite.close();
    }
  });
});
