/**
 * Copies of the database kept next to it: one before each migration (open.ts) and a rolling daily one taken at start
 * once the file has passed its quick_check, so a damaged file can be replaced by the newest good copy.
 */
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { createPrivateFile } from '../private-data';
import { assertIntact } from './checks';
import { checkSchemaHistory, type Migration } from './migrate';

/** Daily backups kept; older ones are deleted after each new one. */
export const DAILY_BACKUPS_KEPT = 7;

export type BackupKind = 'daily' | 'pre_migration';

export interface BackupFile {
  path: string;
  kind: BackupKind;
  createdUtcMs: number;
  sizeBytes: number;
}

/** `study.sqlite` → `study`: the stem every copy of the file is named after. */
export function databaseStem(file: string): string {
  return basename(file).replace(/\.[^.]*$/, '');
}

export function preMigrationBackupPath(file: string, fromVersion: number, nowMs: number): string {
  return join(dirname(file), `${databaseStem(file)}.backup-v${fromVersion}-${nowMs}.sqlite`);
}

function dailyBackupPath(file: string, nowMs: number): string {
  return join(dirname(file), `${databaseStem(file)}.daily-${nowMs}.sqlite`);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every backup of `file` in its folder, newest first. */
export function listBackups(file: string): BackupFile[] {
  const folder = dirname(file);
  if (!existsSync(folder)) return [];
  const stem = escapeRegExp(databaseStem(file));
  const patterns: Array<[BackupKind, RegExp]> = [
    ['daily', new RegExp(`^${stem}\\.daily-(\\d+)\\.sqlite$`)],
    ['pre_migration', new RegExp(`^${stem}\\.backup-v\\d+-(\\d+)\\.sqlite$`)],
  ];
  const found: BackupFile[] = [];
  for (const name of readdirSync(folder)) {
    for (const [kind, pattern] of patterns) {
      const match = pattern.exec(name);
      if (!match) continue;
      const path = join(folder, name);
      found.push({ path, kind, createdUtcMs: Number(match[1]), sizeBytes: statSync(path).size });
    }
  }
  return found.sort((a, b) => b.createdUtcMs - a.createdUtcMs || a.path.localeCompare(b.path));
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Takes today's backup (UTC day) unless there is one, then keeps only the newest DAILY_BACKUPS_KEPT. Written under a
 * temporary name and renamed, so a crash never leaves a half-written file that looks like a backup.
 * Returns the new backup's path, or null when today's existed.
 */
export function takeDailyBackup(sqlite: BetterSqlite3.Database, file: string, nowMs: number, keep = DAILY_BACKUPS_KEPT): string | null {
  const daily = listBackups(file).filter((b) => b.kind === 'daily');
  if (daily.some((b) => utcDay(b.createdUtcMs) === utcDay(nowMs))) return null;
  const target = dailyBackupPath(file, nowMs);
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  createPrivateFile(partial);
  sqlite.prepare('VACUUM INTO ?').run(partial);
  renameSync(partial, target);
  for (const old of listBackups(file).filter((b) => b.kind === 'daily').slice(keep)) rmSync(old.path, { force: true });
  return target;
}

/** Whether a backup opens, passes quick_check and has a schema this app can migrate (not newer, history intact). */
export function isUsableBackup(path: string, migrations: Migration[], nativeBinding?: string): boolean {
  let probe: BetterSqlite3.Database | null = null;
  try {
    probe = new Database(path, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
    assertIntact(probe, path);
    checkSchemaHistory(probe, migrations);
    return true;
  } catch {
    return false;
  } finally {
    probe?.close();
  }
}
