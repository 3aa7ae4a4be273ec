/**
 * Recovering from a damaged database file: keep a copy of it, then put the newest good backup in its place or start
 * fresh, and find which of the learner's unsynced events (outbox rows) the copy held that the new file lacks.
 */
import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { AppFailure } from '../../../shared/errors';
import { databaseStem, isUsableBackup, listBackups, type BackupFile } from './backups';
import type { Migration } from './migrate';

const companions = ['-wal', '-shm', '-journal'] as const;

/**
 * Moves the damaged file (with its WAL and shared-memory files) aside as `<stem>.damaged-<ms>.sqlite`, so nothing of
 * it is lost and the path is free. Returns the copy's path.
 */
export function keepDamagedCopy(file: string, nowMs: number): string {
  const copy = join(dirname(file), `${databaseStem(file)}.damaged-${nowMs}.sqlite`);
  if (existsSync(file)) renameSync(file, copy);
  for (const suffix of companions) {
    if (existsSync(`${file}${suffix}`)) renameSync(`${file}${suffix}`, `${copy}${suffix}`);
  }
  return copy;
}

/** The newest backup that opens, passes quick_check and can be migrated; null when none does. */
export function newestUsableBackup(file: string, migrations: Migration[], nativeBinding?: string): BackupFile | null {
  return listBackups(file).find((backup) => isUsableBackup(backup.path, migrations, nativeBinding)) ?? null;
}

/** Copies `backup` to `file` (written aside, then renamed); the caller has moved the damaged file away first. */
export function restoreBackup(backup: BackupFile, file: string): void {
  const partial = `${file}.restoring`;
  rmSync(partial, { force: true });
  copyFileSync(backup.path, partial);
  for (const suffix of companions) rmSync(`${file}${suffix}`, { force: true });
  renameSync(partial, file);
}

export interface UnsyncedEvent {
  id: string;
  table: string;
  rowId: string;
  tsUtcMs: number;
}

/** The outbox rows not yet delivered in a database file; null when the file cannot be read that far. */
export function readUnsyncedEvents(file: string, nativeBinding?: string): UnsyncedEvent[] | null {
  if (!existsSync(file)) return [];
  let sqlite: Database.Database | null = null;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    return sqlite
      .prepare('SELECT id, table_name AS "table", row_id AS rowId, ts_utc_ms AS tsUtcMs FROM outbox WHERE processed = 0 ORDER BY ts_utc_ms, id')
      .all() as UnsyncedEvent[];
  } catch {
    return null;
  } finally {
    sqlite?.close();
  }
}

/** Every outbox id of a healthy database file (delivered or not). */
function outboxIds(file: string, nativeBinding?: string): Set<string> {
  if (!existsSync(file)) return new Set();
  const sqlite = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
  try {
    return new Set(sqlite.prepare('SELECT id FROM outbox').pluck().all() as string[]);
  } finally {
    sqlite.close();
  }
}

export interface LostEvents {
  /** False when the damaged copy could not be read: which events were lost is then unknown. */
  readable: boolean;
  events: UnsyncedEvent[];
}

/** The unsynced events of the damaged copy that the database now at `file` does not hold. */
export function lostEvents(damagedCopy: string, file: string, nativeBinding?: string): LostEvents {
  const unsynced = readUnsyncedEvents(damagedCopy, nativeBinding);
  if (unsynced === null) return { readable: false, events: [] };
  const kept = outboxIds(file, nativeBinding);
  return { readable: true, events: unsynced.filter((event) => !kept.has(event.id)) };
}

/** The backup named by `path` among `file`'s backups, or a not_found failure. */
export function findBackup(file: string, path: string): BackupFile {
  const backup = listBackups(file).find((b) => b.path === path);
  if (!backup) throw new AppFailure('not_found', `No backup of ${file} at ${path}.`, { path: 'backupPath' });
  return backup;
}
