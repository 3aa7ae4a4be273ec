import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { defaultMigrationsDir, openDatabase } from '../../electron/core/db/open';
import { loadMigrations } from '../../electron/core/db/migrate';
import { AppFailure } from '../../shared/errors';
import { useTempDirs } from '../helpers/temp';

const tempDir = useTempDirs();
const migrations = loadMigrations(defaultMigrationsDir);

/** A copy of the migrations folder holding only the first `count` migrations: an older app's view. */
function migrationsUpTo(count: number): string {
  const dir = join(tempDir(), 'migrations');
  cpSync(defaultMigrationsDir, dir, { recursive: true });
  const journalPath = join(dir, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: unknown[] };
  journal.entries = journal.entries.slice(0, count);
  writeFileSync(journalPath, JSON.stringify(journal));
  return dir;
}

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

describe('hot queries use indexes', () => {
  const plans: Array<[string, string, RegExp]> = [
    [
      'next question of a skill',
      `SELECT id FROM questions q WHERE q.skill_id = 'x' AND q.is_published = 1
       AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.session_id = 's' AND a.question_id = q.id)
       ORDER BY q.sort_order, q.id LIMIT 1`,
      /questions_skill_published_order_idx/,
    ],
    ['published questions of a skill', "SELECT COUNT(*) FROM questions WHERE skill_id = 'x' AND is_published = 1", /COVERING INDEX questions_skill_published_order_idx/],
    ['attempts of a session', "SELECT 1 FROM attempts WHERE session_id = 's' AND question_id = 'q'", /attempts_session_idx|attempts_user_question_ts_uq/],
    ['earlier correct answer', "SELECT 1 FROM attempts WHERE user_id = 'u' AND question_id = 'q' AND is_correct = 1", /attempts_user_question_ts_uq/],
    ['skill progress of a learner', "SELECT * FROM skill_progress WHERE user_id = 'u' AND skill_id = 's'", /skill_progress_user_skill_uq/],
    ['skills of a domain', "SELECT * FROM skills WHERE domain_id = 'd' ORDER BY sort_order", /skills_domain_order_idx|skills_domain_slug_uq/],
    ['due outbox rows', 'SELECT * FROM outbox WHERE processed = 0 AND dead_utc_ms IS NULL ORDER BY ts_utc_ms, id LIMIT 100', /outbox_due_idx/],
    ['recent sessions', "SELECT * FROM sessions WHERE user_id = 'u' ORDER BY started_utc_ms DESC LIMIT 20", /sessions_user_started_idx/],
  ];
  it.each(plans)('%s', (_name, query, expected) => {
    const { sqlite } = openDatabase(':memory:');
    const plan = (sqlite.prepare(`EXPLAIN QUERY PLAN ${query}`).all() as Array<{ detail: string }>).map((r) => r.detail).join('\n');
    expect(plan).toMatch(expected);
    // A full table scan is `SCAN t` with no index after it.
    expect(plan).not.toMatch(/SCAN (questions|attempts|outbox|skill_progress|sessions|skills)\s*$/m);
    sqlite.close();
  });
});
