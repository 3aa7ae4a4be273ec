import { existsSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, openDatabase } from '../../electron/core/db/open';
import { loadMigrations } from '../../electron/core/db/migrate';
import { AppFailure } from '../../shared/errors';
import { migrationsUpTo as migrationsUpToIn } from '../helpers/migrations';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const migrations = loadMigrations(defaultMigrationsDir);

const migrationsUpTo = (count: number): string => migrationsUpToIn(count, tempDir());

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function expectFailure(fn: () => unknown, code: string): AppFailure {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(AppFailure);
    expect((err as AppFailure).code).toBe(code);
    return err as AppFailure;
  }
  throw new Error(`expected an AppFailure ${code}`);
}

describe('migrations', () => {
  it('creates every table on a fresh database with durable pragmas', () => {
    const { sqlite, migrationsApplied, backupPath } = openDatabase(join(tempDir(), 'fresh.sqlite'));
    expect(migrationsApplied).toBe(migrations.length);
    expect(backupPath).toBeNull();
    const tables = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]).sort();
    for (const table of [
      'attempts', 'chat_messages', 'chat_sessions', 'content_packs', 'domains', 'drill_questions', 'drill_responses',
      'drill_sessions', 'evaluation_results', 'outbox', 'profile', 'questions', 'sessions', 'skill_progress', 'skills', 'sync_state',
    ]) {
      expect(tables).toContain(table);
    }
    expect(sqlite.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    sqlite.close();
  });

  it('upgrades a database from the previous migration, keeping data and backing up first', () => {
    const dir = tempDir();
    const file = join(dir, 'old.sqlite');
    const old = openDatabase(file, { migrationsDir: migrationsUpTo(migrations.length - 1) });
    old.sqlite
      .prepare("INSERT INTO domains (id, slug, title) VALUES ('b3e738f6-245e-401a-8a49-641fdaed1e7a', 'algebra', 'Algebra')")
      .run();
    old.sqlite.close();

    const upgraded = openDatabase(file);
    expect(upgraded.migrationsApplied).toBe(1);
    expect(upgraded.backupPath).not.toBeNull();
    expect(upgraded.sqlite.prepare('SELECT title FROM domains').pluck().get()).toBe('Algebra');
    const indexes = upgraded.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").pluck().all();
    expect(indexes).toContain('questions_skill_published_order_idx');
    expect(indexes).not.toContain('questions_skill_order_idx');
    upgraded.sqlite.close();

    const backup = new Database(upgraded.backupPath!, { readonly: true });
    expect(backup.pragma('user_version', { simple: true })).toBe(migrations.length - 1);
    expect(backup.prepare('SELECT title FROM domains').pluck().get()).toBe('Algebra');
    backup.close();
  });

  it('refuses a database written by a newer app and leaves the file untouched', () => {
    const dir = tempDir();
    const file = join(dir, 'future.sqlite');
    const opened = openDatabase(file);
    opened.sqlite.pragma('journal_mode = DELETE');
    opened.sqlite.pragma(`user_version = ${migrations.length + 5}`);
    opened.sqlite.close();
    const before = sha256(file);
    const filesBefore = readdirSync(dir).sort();

    const failure = expectFailure(() => openDatabase(file), 'database_newer_than_app');
    expect(failure.message).toMatch(/newer version of the app/);
    expect(sha256(file)).toBe(before);
    expect(readdirSync(dir).sort()).toEqual(filesBefore);
  });

  it('refuses a database whose applied migration was edited since', () => {
    const dir = tempDir();
    const file = join(dir, 'edited.sqlite');
    openDatabase(file).sqlite.close();
    const edited = migrationsUpTo(migrations.length);
    const first = join(edited, `${migrations[0]!.tag}.sql`);
    writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- edited after release\n`);
    const sizeBefore = statSync(file).size;
    expectFailure(() => openDatabase(file, { migrationsDir: edited }), 'database_error');
    expect(statSync(file).size).toBe(sizeBefore);
  });

  it('refuses migration history out of order', () => {
    const dir = migrationsUpTo(migrations.length);
    const journalPath = join(dir, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: Array<{ idx: number }> };
    journal.entries.reverse();
    writeFileSync(journalPath, JSON.stringify(journal));
    expect(() => loadMigrations(dir)).toThrow(/out of order/);
  });

  it('rolls back every statement of a failing migration', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.sqlite');
    const migrationsDir = migrationsUpTo(migrations.length);
    const last = join(migrationsDir, `${migrations.at(-1)!.tag}.sql`);
    writeFileSync(last, `${readFileSync(last, 'utf8')}\n--> statement-breakpoint\nCREATE TABLE broken (;`);
    const schemaOf = (db: Database.Database) => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    const old = openDatabase(file, { migrationsDir: migrationsUpTo(migrations.length - 1) });
    const schemaBefore = schemaOf(old.sqlite);
    old.sqlite.close();
    expectFailure(() => openDatabase(file, { migrationsDir }), 'database_error');
    const check = new Database(file, { readonly: true });
    expect(check.pragma('user_version', { simple: true })).toBe(migrations.length - 1);
    // None of the last migration's statements before the broken one stayed.
    expect(schemaOf(check)).toEqual(schemaBefore);
    check.close();
    expect(existsSync(file)).toBe(true);
  });
});
