/** Drill pack status on a real, migrated SQLite file: one active pack, activation archives the previous, clear errors. */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { importPack } from '../../electron/core/content/import';
import { DATABASE_FILE } from '../../electron/core/app';
import { defaultMigrationsDir, openDatabase } from '../../electron/core/db/open';
import { activateDefaultDrillPack, activeDrillPack, setDrillPackStatus } from '../../electron/core/drills/packs';
import { ManualClock } from '../helpers/clock';
import { failureOf } from '../helpers/failures';
import { useTempDirs } from '../helpers/temp';
import { startWebCore } from '../helpers/web-core';
import { buildPack, packText } from '../content/pack-builder';
import { useTempDatabases, type TempDatabase } from '../content/temp-database';

const freshDatabase = useTempDatabases();

function importDrillPack(db: TempDatabase, name: string, atMs: number, withDrillPack = true): string {
  const pack = buildPack({ name, prefix: name, withDrillPack });
  return importPack(db.sqlite, packText(pack), { mode: 'append', clock: new ManualClock(atMs) }).packId;
}

function statuses(db: TempDatabase): Record<string, string> {
  const rows = db.sqlite.prepare('SELECT name, status FROM content_packs ORDER BY name').all() as Array<{ name: string; status: string }>;
  return Object.fromEntries(rows.map((r) => [r.name, r.status]));
}

describe('drill pack status', () => {
  it('an imported pack starts as DRAFT and nothing is active', () => {
    const db = freshDatabase();
    importDrillPack(db, 'first', 1_000);
    expect(statuses(db)).toEqual({ first: 'DRAFT' });
    expect(activeDrillPack(db.sqlite)).toBeNull();
  });

  it('activating a pack archives the previously active one', () => {
    const db = freshDatabase();
    const first = importDrillPack(db, 'first', 1_000);
    const second = importDrillPack(db, 'second', 2_000);
    setDrillPackStatus(db.sqlite, first, 'ACTIVE', 5_000);
    expect(activeDrillPack(db.sqlite)).toMatchObject({ id: first, name: 'first', version: '1.0.0', activatedUtcMs: 5_000 });
    setDrillPackStatus(db.sqlite, second, 'ACTIVE', 6_000);
    expect(statuses(db)).toEqual({ first: 'ARCHIVED', second: 'ACTIVE' });
    const active = activeDrillPack(db.sqlite);
    expect(active).toMatchObject({ id: second, title: 'Drills', activatedUtcMs: 6_000 });
    expect(active?.categories).toHaveLength(7);
  });

  it('archiving the active pack leaves none active; activating an already active pack changes nothing', () => {
    const db = freshDatabase();
    const first = importDrillPack(db, 'first', 1_000);
    setDrillPackStatus(db.sqlite, first, 'ACTIVE', 5_000);
    setDrillPackStatus(db.sqlite, first, 'ACTIVE', 9_000);
    expect(activeDrillPack(db.sqlite)?.activatedUtcMs).toBe(5_000);
    setDrillPackStatus(db.sqlite, first, 'ARCHIVED');
    expect(activeDrillPack(db.sqlite)).toBeNull();
    expect(statuses(db)).toEqual({ first: 'ARCHIVED' });
  });

  it('the database refuses a second ACTIVE pack, whoever writes it', () => {
    const db = freshDatabase();
    const first = importDrillPack(db, 'first', 1_000);
    const second = importDrillPack(db, 'second', 2_000);
    db.sqlite.prepare(`UPDATE content_packs SET status = 'ACTIVE' WHERE id = ?`).run(first);
    expect(() => db.sqlite.prepare(`UPDATE content_packs SET status = 'ACTIVE' WHERE id = ?`).run(second)).toThrow(
      /UNIQUE constraint failed: content_packs.status/,
    );
    expect(statuses(db)).toEqual({ first: 'ACTIVE', second: 'DRAFT' });
  });

  it('the database refuses an unknown status and an ACTIVE pack without drill questions', () => {
    const db = freshDatabase();
    const plain = importDrillPack(db, 'plain', 1_000, false);
    expect(() => db.sqlite.prepare(`UPDATE content_packs SET status = 'LIVE' WHERE id = ?`).run(plain)).toThrow(/CHECK constraint failed/);
    expect(() => db.sqlite.prepare(`UPDATE content_packs SET status = 'ACTIVE' WHERE id = ?`).run(plain)).toThrow(/CHECK constraint failed/);
  });

  it('refuses an unknown pack and a pack without drill questions with a clear error, changing nothing', () => {
    const db = freshDatabase();
    const active = importDrillPack(db, 'active', 1_000);
    setDrillPackStatus(db.sqlite, active, 'ACTIVE', 2_000);
    const plain = importDrillPack(db, 'plain', 3_000, false);

    const unknown = failureOf(() => setDrillPackStatus(db.sqlite, 'no-such-pack', 'ACTIVE'));
    expect(unknown.code).toBe('not_found');
    expect(unknown.message).toContain('no-such-pack');

    const notDrill = failureOf(() => setDrillPackStatus(db.sqlite, plain, 'ACTIVE'));
    expect(notDrill.code).toBe('invalid_input');
    expect(notDrill.message).toContain('"plain"');
    expect(notDrill.message).toContain('no drill pack');
    expect(statuses(db)).toEqual({ active: 'ACTIVE', plain: 'DRAFT' });
  });
});

describe('the default drill pack at start', () => {
  it('activates the newest drill pack when none is active and none was archived', () => {
    const db = freshDatabase();
    importDrillPack(db, 'older', 1_000);
    const newer = importDrillPack(db, 'newer', 2_000);
    importDrillPack(db, 'plain', 3_000, false);
    activateDefaultDrillPack(db.sqlite, 4_000);
    expect(activeDrillPack(db.sqlite)?.id).toBe(newer);
    activateDefaultDrillPack(db.sqlite, 5_000);
    expect(statuses(db)).toEqual({ newer: 'ACTIVE', older: 'DRAFT', plain: 'DRAFT' });
  });

  it("keeps an instructor's choice to archive the active pack", () => {
    const db = freshDatabase();
    const only = importDrillPack(db, 'only', 1_000);
    setDrillPackStatus(db.sqlite, only, 'ACTIVE');
    setDrillPackStatus(db.sqlite, only, 'ARCHIVED');
    importDrillPack(db, 'later', 2_000);
    activateDefaultDrillPack(db.sqlite, 3_000);
    expect(activeDrillPack(db.sqlite)).toBeNull();
  });
});

describe('first start', () => {
  const tempDir = useTempDirs();

  it("makes the embedded sample's drill pack active, so a new learner can drill offline", async () => {
    const dir = tempDir();
    const core = startWebCore(dir);
    await core.close();
    const sqlite = new Database(join(dir, DATABASE_FILE), { readonly: true });
    try {
      const active = activeDrillPack(sqlite);
      expect(active).not.toBeNull();
      expect(active?.categories).toHaveLength(7);
      const questions = sqlite.prepare('SELECT count(*) FROM drill_questions WHERE pack_id = ?').pluck().get(active?.id);
      expect(questions).toBeGreaterThan(0);
    } finally {
      sqlite.close();
    }
  });
});

describe('migration 0009 on a device that has drill packs already', () => {
  const tempDir = useTempDirs();

  it('makes the newest imported drill pack the active one and leaves the others DRAFT', () => {
    const dir = tempDir();
    // The migrations up to 0008: the app before drill pack status.
    const before = join(dir, 'migrations');
    cpSync(defaultMigrationsDir, before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ tag: string }> };
    journal.entries = journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === '0009_drill_pack_status'));
    writeFileSync(journalPath, JSON.stringify(journal));

    const file = join(dir, 'study.sqlite');
    const old = openDatabase(file, { migrationsDir: before }).sqlite;
    // The rows an import of that app wrote (today's import needs later migrations' tables).
    const recordImport = (name: string, atMs: number, withDrillPack: boolean) => {
      const id = `${name}-pack`;
      const drill = withDrillPack ? JSON.stringify({ version: '1.0.0', title: name, description: '', categories: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }) : null;
      old
        .prepare(
          `INSERT INTO content_packs (id, name, version, schema_version, description, sha256, file_size, import_mode, drill_metadata, imported_utc_ms)
           VALUES (?, ?, '1.0.0', '1', NULL, ?, 100, 'append', ?, ?)`,
        )
        .run(id, name, 'e'.repeat(64), drill, atMs);
      return id;
    };
    recordImport('older', 1_000, true);
    const newer = recordImport('newer', 2_000, true);
    recordImport('plain', 3_000, false);
    old.close();

    const upgraded = openDatabase(file).sqlite;
    try {
      expect(activeDrillPack(upgraded)).toMatchObject({ id: newer, activatedUtcMs: 2_000 });
      const statuses = upgraded.prepare('SELECT name, status FROM content_packs ORDER BY name').all();
      expect(statuses).toEqual([
        { name: 'newer', status: 'ACTIVE' },
        { name: 'older', status: 'DRAFT' },
        { name: 'plain', status: 'DRAFT' },
      ]);
    } finally {
      upgraded.close();
    }
  });
});
