/** A real, migrated SQLite file in a temp folder for content tests, and a dump of every content table. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterEach } from 'vitest';
import { openDatabase } from '../../electron/core/db/open';

export interface TempDatabase {
  sqlite: BetterSqlite3.Database;
  file: string;
  dir: string;
  /** Closes the connection and deletes the folder. */
  dispose(): void;
}

export function openTempDatabase(): TempDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'content-test-'));
  const file = join(dir, 'study.sqlite');
  const { sqlite } = openDatabase(file);
  return {
    sqlite,
    file,
    dir,
    dispose: () => {
      if (sqlite.open) sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh database per call, each disposed after the test that opened it. */
export function useTempDatabases(): () => TempDatabase {
  const opened: TempDatabase[] = [];
  afterEach(() => {
    for (const db of opened.splice(0)) db.dispose();
  });
  return () => {
    const db = openTempDatabase();
    opened.push(db);
    return db;
  };
}

export const contentTables = ['domains', 'skills', 'questions', 'content_packs', 'drill_questions'] as const;

/** Every row of every content table, ordered by id: equal dumps mean byte-for-byte equal content. */
export function dumpContent(sqlite: BetterSqlite3.Database): Record<string, unknown[]> {
  return Object.fromEntries(
    contentTables.map((table) => [table, sqlite.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().all()]),
  );
}

export function countRows(sqlite: BetterSqlite3.Database, table: (typeof contentTables)[number]): number {
  return sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
}
