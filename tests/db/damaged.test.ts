/**
 * A damaged or unwritable database file at start: a `database_error` (never `internal`) naming the file, the cause and
 * the next step, before anything is written. Plus the rolling daily backup taken once the file passed its checks.
 */
import { chmodSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DAILY_BACKUPS_KEPT, listBackups } from '../../electron/core/db/backups';
import { openDatabase } from '../../electron/core/db/open';
import { toAppError } from '../../shared/errors';
import { ManualClock } from '../helpers/clock';
import { overwritePageOf, truncateDatabase } from '../helpers/damage';
import { openSampleDatabase } from '../helpers/study-db';
import { useTempDirs } from '../helpers/temp';
import { spawnTsAsUnprivileged } from '../helpers/unprivileged';

const tempDir = useTempDirs();
const DAY = 86_400_000;

function sampleFile(): string {
  const dir = tempDir();
  const opened = openSampleDatabase(dir, new ManualClock(Date.UTC(2026, 10, 2)));
  opened.sqlite.close();
  return join(dir, 'study.sqlite');
}

function openError(file: string) {
  try {
    openDatabase(file).sqlite.close();
  } catch (err) {
    return toAppError(err);
  }
  throw new Error('expected the open to fail');
}

describe('a damaged database at start', () => {
  it('reports a truncated file as damaged, naming the file and the next step', () => {
    const file = sampleFile();
    truncateDatabase(file);
    const error = openError(file);
    expect(error.code).toBe('database_error');
    expect(error.message).toContain(file);
    expect(error.details).toMatchObject({ file, cause: 'corrupt', nextStep: expect.stringMatching(/backup/) as string });
  });

  it('reports a file that is not a database at all', () => {
    const file = join(tempDir(), 'study.sqlite');
    writeFileSync(file, 'x'.repeat(8192));
    expect(openError(file)).toMatchObject({ code: 'database_error', details: { file, cause: 'corrupt' } });
  });

  it('notices one overwritten page with quick_check, even though the file still opens', () => {
    const file = sampleFile();
    overwritePageOf(file, 'questions');
    // The header and schema are intact: a plain open and a count of another table still work.
    const plain = new Database(file, { readonly: true });
    expect(plain.prepare('SELECT COUNT(*) FROM domains').pluck().get()).toBeGreaterThan(0);
    plain.close();
    const error = openError(file);
    expect(error).toMatchObject({ code: 'database_error', details: { file, cause: 'corrupt' } });
    expect(error.message).toMatch(/quick_check/);
  });
});

/**
 * Read-only files and folders. Root ignores file modes, so as root the check runs in a child process as `nobody`
 * (uid 65534), where the modes really apply; as another user it runs as that user. A read-only mount (EROFS), which
 * stops root too, cannot be made here without privileges the tests do not take; it goes through the same check.
 */
function openAsUnprivileged(file: string) {
  const result = spawnTsAsUnprivileged(join(import.meta.dirname, 'open-child.ts'), [file], 30_000);
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  if (!line.startsWith('{')) throw new Error(`open-child printed nothing useful: ${result.stderr}`);
  return JSON.parse(line) as { ok: boolean; code?: string; message?: string; details?: { cause?: string; file?: string } };
}

describe('a read-only database at start', () => {
  it('explains a read-only file before writing anything', () => {
    const file = sampleFile();
    chmodSync(join(file, '..'), 0o777);
    chmodSync(file, 0o444);
    const result = openAsUnprivileged(file);
    expect(result).toMatchObject({ ok: false, code: 'database_error', details: { cause: 'read_only', file } });
    expect(result.message).toMatch(/writable/);
  });

  it('explains a read-only folder (SQLite could not create its WAL there)', () => {
    const file = sampleFile();
    chmodSync(file, 0o666);
    chmodSync(join(file, '..'), 0o555);
    const result = openAsUnprivileged(file);
    expect(result).toMatchObject({ ok: false, code: 'database_error', details: { cause: 'read_only', file } });
    expect(result.message).toMatch(/folder/);
  });

  it('opens normally when the same unprivileged user may write', () => {
    const file = sampleFile();
    chmodSync(join(file, '..'), 0o777);
    chmodSync(file, 0o666);
    expect(openAsUnprivileged(file)).toEqual({ ok: true });
  });
});

describe('the rolling daily backup', () => {
  it('takes one backup per day at start and keeps the newest seven', () => {
    const file = sampleFile();
    const start = Date.UTC(2026, 10, 3, 8);
    for (let day = 0; day < DAILY_BACKUPS_KEPT + 3; day += 1) {
      for (const hour of [0, 5]) {
        const opened = openDatabase(file, { nowMs: start + day * DAY + hour * 3_600_000, dailyBackup: true });
        expect(opened.dailyBackupPath === null).toBe(hour !== 0);
        opened.sqlite.close();
      }
    }
    const daily = listBackups(file).filter((b) => b.kind === 'daily');
    expect(daily).toHaveLength(DAILY_BACKUPS_KEPT);
    expect(daily[0]!.createdUtcMs).toBe(start + (DAILY_BACKUPS_KEPT + 2) * DAY);
    // Each is a whole, readable database.
    const copy = new Database(daily.at(-1)!.path, { readonly: true });
    expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
    expect(copy.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBeGreaterThan(0);
    copy.close();
    expect(readdirSync(join(file, '..')).filter((name) => name.endsWith('.partial'))).toEqual([]);
  });

  it('never backs up a damaged file', () => {
    const file = sampleFile();
    overwritePageOf(file, 'questions');
    expect(() => openDatabase(file, { dailyBackup: true })).toThrow();
    expect(listBackups(file)).toEqual([]);
    expect(existsSync(file)).toBe(true);
  });
});
