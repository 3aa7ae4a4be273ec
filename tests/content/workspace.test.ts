/**
 * The instructor workspace's core on a real SQLite file: the diff before an import (append, override, drafts, a pack
 * that drops a skill), "Try it" that records nothing, export → validate → import round trip, removal that keeps the
 * learner's history, and a chunked import that is cancelled or killed mid-way leaving nothing visible.
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppFailure } from '../../shared/errors';
import { importPack, importValidatedPackChunked } from '../../electron/core/content/import';
import { drainSteps, removeAbandonedImports } from '../../electron/core/content/pending';
import { createLibraryQueries } from '../../electron/core/content/tree';
import { validatePackText } from '../../electron/core/content/validate';
import { createContentWorkspace, UNPUBLISHABLE_SKILL } from '../../electron/core/content/workspace';
import { createWritePriority } from '../../electron/core/db/write-priority';
import { createPractice } from '../../electron/core/practice/practice';
import { ManualClock } from '../helpers/clock';
import { buildPack, packText, testUuid } from './pack-builder';
import { dumpContent, openTempDatabase, type TempDatabase } from './temp-database';

const opened: TempDatabase[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.dispose();
});
function fresh(): TempDatabase {
  const db = openTempDatabase();
  opened.push(db);
  return db;
}
const bytes = (pack: unknown) => Buffer.from(packText(pack));
const table = (diff: { tables: Array<{ table: string }> }, name: string) => diff.tables.find((t) => t.table === name)!;

describe('the diff before an import', () => {
  it('counts added rows on an empty database and lists them', () => {
    const db = fresh();
    const opened = createContentWorkspace(db.sqlite).open(bytes(buildPack()), 'p.json', 'append');
    expect(opened.report.ok).toBe(true);
    expect(table(opened.diff!, 'questions')).toMatchObject({ added: 4, updated: 0, unchanged: 0, replaced: 0, absent: 0 });
    expect(table(opened.diff!, 'skills')).toMatchObject({ added: 2 });
    expect(opened.diff!.changed.filter((c) => c.change === 'added')).toHaveLength(1 + 2 + 4);
  });

  it('append: existing rows are unchanged even when the file differs; override: changed fields are listed as updated', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack()), { mode: 'append' });
    const edited = buildPack();
    edited.questions[0]!.sort_order = 9;
    edited.skills[1]!.title = 'Renamed skill';
    const workspace = createContentWorkspace(db.sqlite);
    const appended = workspace.open(bytes(edited), 'p.json', 'append');
    expect(table(appended.diff!, 'questions')).toMatchObject({ added: 0, updated: 0, unchanged: 4 });

    const override = workspace.diff(appended.draftId, 'override');
    expect(table(override, 'questions')).toMatchObject({ updated: 1, unchanged: 3, replaced: 0 });
    expect(table(override, 'skills')).toMatchObject({ updated: 1, unchanged: 1 });
    expect(override.changed).toContainEqual(expect.objectContaining({ table: 'questions', change: 'updated', fields: ['sort_order'] }));
    expect(override.changed).toContainEqual(
      expect.objectContaining({ table: 'skills', change: 'updated', label: 'Renamed skill', fields: ['title'] }),
    );
  });

  it('override: rows another pack (or the server) provided are replaced, not updated', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack({ name: 'first-pack' })), { mode: 'append' });
    const diff = createContentWorkspace(db.sqlite).open(bytes(buildPack({ name: 'second-pack' })), 'p.json', 'override').diff!;
    expect(table(diff, 'questions')).toMatchObject({ replaced: 4, updated: 0, added: 0 });
    expect(diff.changed.find((c) => c.table === 'questions')!.fields).toEqual(['provenance']);
  });

  it('drafts: a question turned into a draft is an update of is_published, and a skill left without a published question is reported', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack()), { mode: 'append' });
    const drafted = buildPack();
    drafted.questions[0]!.is_published = false;
    drafted.questions[1]!.is_published = false;
    const workspace = createContentWorkspace(db.sqlite);
    const opened = workspace.open(bytes(drafted), 'p.json', 'override');
    expect(opened.diff!.changed.filter((c) => c.fields.includes('is_published'))).toHaveLength(2);
    expect(opened.diff!.keptUnpublished).toEqual({ domains: 0, skills: 1 });
    const tree = workspace.previewTree({ kind: 'draft', draftId: opened.draftId });
    const skill = tree.domains[0]!.skills[0]!;
    expect(skill.unpublishableReason).toBe(UNPUBLISHABLE_SKILL);
    expect(skill.questions.map((q) => q.published)).toEqual([false, false]);
    expect(tree.domains[0]!.skills[1]!.unpublishableReason).toBeNull();
  });

  it('builds a checked file\'s pack on its first use (a preview before any diff), equal to the validator\'s', () => {
    const pack = buildPack({ withDrillPack: true });
    for (const question of pack.questions) delete (question as Record<string, unknown>).sort_order;
    const workspace = createContentWorkspace(fresh().sqlite);
    const checked = workspace.check(bytes(pack), 'p.json');
    expect(checked.report.ok).toBe(true);
    const tree = workspace.previewTree({ kind: 'draft', draftId: checked.draftId });
    expect(tree.domains[0]!.skills[0]!.questions).toHaveLength(2);
    expect(workspace.draft(checked.draftId).report).toEqual(validatePackText(bytes(pack)));
  });

  it('a new version that drops a skill lists the skill and its questions as absent (kept by the import)', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack()), { mode: 'append' });
    const smaller = buildPack({ version: '1.1.0' });
    const dropped = smaller.skills.pop()!;
    smaller.questions = smaller.questions.filter((q) => q.skill_id !== dropped.id);
    const diff = createContentWorkspace(db.sqlite).open(bytes(smaller), 'p.json', 'override').diff!;
    expect(table(diff, 'skills')).toMatchObject({ absent: 1, unchanged: 1 });
    expect(table(diff, 'questions')).toMatchObject({ absent: 2, unchanged: 2 });
    expect(diff.changed).toContainEqual(expect.objectContaining({ table: 'skills', id: dropped.id, change: 'absent' }));
  });
});

describe('an import after its diff', () => {
  it('override: reports the counts its diff showed, per table (unchanged rows are not counted as updated)', async () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack({ withDrillPack: true })), { mode: 'append' });
    const edited = buildPack({ withDrillPack: true, version: '1.1.0' });
    edited.questions[0]!.sort_order = 9;
    edited.skills[1]!.title = 'Renamed skill';
    edited.drill_pack!.questions[0]!.prompt = 'A better prompt.';
    edited.questions.push({ ...edited.questions[1]!, id: testUuid('new question'), slug: 'p_q_new' });
    // Another pack's question now: this pack takes it over (replaced) though its values are the same.
    db.sqlite.prepare(`UPDATE questions SET pack_name = 'other-pack' WHERE id = ?`).run(edited.questions[2]!.id);
    const diff = createContentWorkspace(db.sqlite).open(bytes(edited), 'p.json', 'override').diff!;

    const result = await importValidatedPackChunked(db.sqlite, validatePackText(packText(edited)), { mode: 'override' });
    const names = { domains: 'domains', skills: 'skills', questions: 'questions', drillQuestions: 'drill_questions' } as const;
    for (const [key, name] of Object.entries(names) as Array<[keyof typeof names, (typeof names)[keyof typeof names]]>) {
      const { added, updated, unchanged, replaced } = diff.tables.find((t) => t.table === name)!;
      expect({ table: name, ...result.counts[key] }).toEqual({ table: name, inserted: added, updated, unchanged, replaced, skipped: 0 });
    }
    expect(result.counts.questions).toEqual({ inserted: 1, updated: 1, replaced: 1, unchanged: 2, skipped: 0 });
    expect(result.counts.drillQuestions).toMatchObject({ updated: 1, unchanged: 6 });
  });

  it('counts its progress in the records the diff showed (not the pack record as well)', async () => {
    const db = fresh();
    const pack = buildPack({ withDrillPack: true });
    const diff = createContentWorkspace(db.sqlite).open(bytes(pack), 'p.json', 'append').diff!;
    const shown = diff.tables.reduce((n, t) => n + t.added + t.updated + t.unchanged + t.replaced, 0);
    expect(shown).toBe(1 + 2 + 4 + 7);
    const progress: Array<{ written: number; total: number }> = [];
    await importValidatedPackChunked(db.sqlite, validatePackText(packText(pack)), { mode: 'append', onProgress: (p) => progress.push(p) });
    expect(progress.at(-1)).toEqual({ written: shown, total: shown });
  });
});

describe('the report of a bad file', () => {
  it('points each finding at its record by title or slug, and has no diff', () => {
    const db = fresh();
    const bad = buildPack();
    (bad.questions[1] as { slug: string }).slug = 'Bad Slug';
    const opened = createContentWorkspace(db.sqlite).open(bytes(bad), 'bad.json', 'append');
    expect(opened.report.ok).toBe(false);
    expect(opened.diff).toBeNull();
    const finding = opened.report.errors.find((f) => f.code === 'invalid_slug')!;
    expect(finding).toMatchObject({ severity: 'error', path: 'questions[1].slug', record: { table: 'questions', index: 1, label: 'Bad Slug' } });
    expect(finding.suggestion).toBe('bad_slug');
  });

  it('names the records of a file saved with a byte-order mark too (the JSON the check parsed, not a second parse)', () => {
    const db = fresh();
    const bad = buildPack();
    (bad.questions[1] as { slug: string }).slug = 'Bad Slug';
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes(bad)]);
    const opened = createContentWorkspace(db.sqlite).open(withBom, 'bad.json', 'append');
    expect(opened.report.summary.questions).toBe(bad.questions.length);
    expect(opened.report.errors.find((f) => f.code === 'invalid_slug')).toMatchObject({ record: { table: 'questions', index: 1, label: 'Bad Slug' } });
  });
});

describe('the preview of a question the file describes badly', () => {
  it('names what is missing or wrong, and only that: a known type without a payload lacks its payload, not its type', () => {
    const pack = buildPack();
    const [noPayload, unknownType] = pack.questions as unknown as Array<Record<string, unknown>>;
    delete noPayload!.payload;
    unknownType!.type = 'essay';
    const workspace = createContentWorkspace(fresh().sqlite);
    const source = { kind: 'draft' as const, draftId: workspace.open(bytes(pack), 'p.json', 'append').draftId };
    expect(workspace.previewQuestion(source, String(noPayload!.id)).missing).toEqual(['payload']);
    expect(workspace.previewQuestion(source, String(unknownType!.id)).missing).toEqual(['type']);
  });
});

describe('Try it', () => {
  it('grades like practice and records nothing: no attempt, no outbox row, no XP, no write at all', () => {
    const db = fresh();
    const pack = buildPack();
    importPack(db.sqlite, packText(pack), { mode: 'append' });
    const workspace = createContentWorkspace(db.sqlite);
    const draftId = workspace.open(bytes(pack), 'p.json', 'append').draftId;
    const changesBefore = db.sqlite.prepare('SELECT total_changes()').pluck().get();
    const before = JSON.stringify(['attempts', 'outbox', 'sessions', 'xp_events', 'profile', 'memory_states'].map((t) => tableCount(db, t)));
    const packId = workspace.packs()[0]!.id;
    for (const source of [{ kind: 'draft' as const, draftId }, { kind: 'pack' as const, packId }]) {
      const mcq = pack.questions.find((q) => q.type === 'mcq_single')!;
      const preview = workspace.previewQuestion(source, mcq.id);
      expect(preview.served).toMatchObject({ type: 'mcq_single', id: mcq.id });
      const right = (preview.solution as { choice: number }).choice;
      expect(workspace.tryAnswer(source, mcq.id, { choice: right }).isCorrect).toBe(true);
      expect(workspace.tryAnswer(source, mcq.id, { choice: (right + 1) % 2 }).isCorrect).toBe(false);
      expect(() => workspace.tryAnswer(source, mcq.id, { order: [0, 1] })).toThrow(/answer.choice is required/);
    }
    expect(db.sqlite.prepare('SELECT total_changes()').pluck().get()).toBe(changesBefore);
    expect(JSON.stringify(['attempts', 'outbox', 'sessions', 'xp_events', 'profile', 'memory_states'].map((t) => tableCount(db, t)))).toBe(before);
  });
});

function tableCount(db: TempDatabase, name: string): number | null {
  const exists = db.sqlite.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name);
  return exists ? (db.sqlite.prepare(`SELECT COUNT(*) FROM ${name}`).pluck().get() as number) : null;
}

describe('export', () => {
  it('export → validate → import into a fresh database gives identical content, row by row, and records its SHA-256', () => {
    const source = fresh();
    const pack = buildPack({ domains: 2, withDrillPack: true, published: true });
    pack.questions[0]!.is_published = false;
    importPack(source.sqlite, packText(pack), { mode: 'append', clock: new ManualClock(1_800_000_000_000) });
    const workspace = createContentWorkspace(source.sqlite);
    const exported = workspace.exportPack(workspace.packs()[0]!.id);
    const report = validatePackText(exported.text);
    expect(report.errors).toEqual([]);
    expect(report.sha256).toBe(exported.sha256);
    expect(exported.byteLength).toBe(Buffer.byteLength(exported.text));

    const target = fresh();
    importPack(target.sqlite, exported.text, { mode: 'append', clock: new ManualClock(1_800_000_000_000) });
    const strip = (dump: Record<string, unknown[]>) => {
      // The pack record differs by design (its own id, the exported file's checksum and size); its drill questions point at it.
      const { content_packs: _packs, drill_questions: drills, ...content } = dump;
      return { ...content, drill_questions: (drills as unknown[][]).map((row) => row.filter((_, i) => i !== 1)) };
    };
    expect(strip(dumpContent(target.sqlite))).toEqual(strip(dumpContent(source.sqlite)));
  });

  it('all local content (no pack named): every installed pack in one file that validates', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack({ name: 'first', prefix: 'f' })), { mode: 'append' });
    importPack(db.sqlite, packText(buildPack({ name: 'second', prefix: 's' })), { mode: 'append' });
    const exported = createContentWorkspace(db.sqlite).exportPack(null);
    const report = validatePackText(exported.text);
    expect(report.errors).toEqual([]);
    expect(exported.fileName).toBe('local-content-1.0.0.json');
    expect(report.pack).toMatchObject({ domains: { length: 2 }, skills: { length: 4 }, questions: { length: 8 } });
  });

  it('all local content carries the drill pack: export → import into a fresh database gives every row back', () => {
    const source = fresh();
    importPack(source.sqlite, packText(buildPack({ name: 'first', prefix: 'f', withDrillPack: true })), { mode: 'append' });
    importPack(source.sqlite, packText(buildPack({ name: 'second', prefix: 's' })), { mode: 'append' });
    const exported = createContentWorkspace(source.sqlite).exportPack(null);
    expect(validatePackText(exported.text).errors).toEqual([]);

    const target = fresh();
    importPack(target.sqlite, exported.text, { mode: 'append' });
    const rows = (db: TempDatabase, sql: string) => db.sqlite.prepare(sql).all();
    for (const sql of [
      'SELECT id, slug, title, sort_order, is_published FROM domains ORDER BY id',
      'SELECT id, domain_id, slug, title, description, sort_order, is_published FROM skills ORDER BY id',
      'SELECT id, skill_id, slug, type, payload, explanation, sort_order, is_published FROM questions ORDER BY id',
      'SELECT id, category, prompt, expected_duration_s, evaluation_criteria FROM drill_questions ORDER BY id',
      'SELECT drill_metadata FROM content_packs WHERE drill_metadata IS NOT NULL',
    ]) {
      expect(rows(target, sql)).toEqual(rows(source, sql));
    }
    expect(rows(target, 'SELECT id FROM drill_questions')).toHaveLength(7);
  });

  it('all local content with two drill packs is refused, naming them (a pack file holds one drill pack)', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack({ name: 'first', prefix: 'f', withDrillPack: true })), { mode: 'append' });
    const second = buildPack({ name: 'second', prefix: 's', withDrillPack: true });
    second.drill_pack!.questions.forEach((q, i) => (q.id = testUuid(`second-drill-${i}`)));
    importPack(db.sqlite, packText(second), { mode: 'append' });
    const workspace = createContentWorkspace(db.sqlite);
    expect(() => workspace.exportPack(null)).toThrow(/2 drill packs \(first 1\.0\.0, second 1\.0\.0\).*Export each pack on its own/);
    // Each still exports on its own, with its drill questions.
    for (const pack of workspace.packs()) expect(validatePackText(workspace.exportPack(pack.id).text).pack?.drill_pack?.questions).toHaveLength(7);
  });
});

describe('remove', () => {
  it('removes the pack content by provenance and keeps the learner history as soft links', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack({ name: 'keep-me', prefix: 'k' })), { mode: 'append' });
    importPack(db.sqlite, packText(buildPack({ name: 'remove-me', prefix: 'r' })), { mode: 'append' });
    const clock = new ManualClock(1_800_000_000_000);
    const practice = createPractice(db.sqlite, { clock, timeZone: () => 'UTC' });
    const skillId = db.sqlite.prepare(`SELECT id FROM skills WHERE pack_name = 'remove-me' ORDER BY sort_order LIMIT 1`).pluck().get() as string;
    const session = practice.startSession(skillId, 'practice');
    const { question } = practice.nextQuestion(session.id);
    const answer = question!.type === 'mcq_single' ? { choice: 0 } : { order: question!.initialOrder };
    practice.recordAttempt(session.id, question!.id, answer);

    const workspace = createContentWorkspace(db.sqlite);
    const removeMe = workspace.packs().find((p) => p.name === 'remove-me')!;
    expect(drainSteps(workspace.removeSteps(removeMe.id))).toEqual({ domains: 1, skills: 2, questions: 4, drillQuestions: 0 });
    expect(db.sqlite.prepare(`SELECT COUNT(*) FROM questions WHERE pack_name = 'remove-me'`).pluck().get()).toBe(0);
    expect(db.sqlite.prepare(`SELECT COUNT(*) FROM questions WHERE pack_name = 'keep-me'`).pluck().get()).toBe(4);
    expect(workspace.packs().map((p) => p.name)).toEqual(['keep-me']);
    // The attempt stays, still naming the question it was about.
    expect(db.sqlite.prepare('SELECT question_id FROM attempts').pluck().all()).toEqual([question!.id]);
  });

  it('removes a large pack in short transactions, its record last (cut short, it is still listed and removing it again finishes)', () => {
    const db = fresh();
    importPack(db.sqlite, packText(buildPack({ name: 'large', questionsPerSkill: 500 })), { mode: 'append' });
    const workspace = createContentWorkspace(db.sqlite);
    const [pack] = workspace.packs();
    const steps = workspace.removeSteps(pack!.id);
    steps.next();
    steps.next();
    // Two chunks of questions went, each in its own transaction; the record is still there.
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBe(1000 - 400);
    expect(workspace.packs().map((p) => p.name)).toEqual(['large']);
    expect(drainSteps(workspace.removeSteps(pack!.id))).toEqual({ domains: 1, skills: 2, questions: 600, drillQuestions: 0 });
    expect(workspace.packs()).toEqual([]);
    expect(db.sqlite.prepare('SELECT (SELECT COUNT(*) FROM questions) + (SELECT COUNT(*) FROM skills) + (SELECT COUNT(*) FROM domains)').pluck().get()).toBe(0);
  });
});

describe('a chunked import', () => {
  it('is invisible to learners until its final commit; a cancel removes every pending row', async () => {
    const db = fresh();
    const library = createLibraryQueries(db.sqlite);
    const before = dumpContent(db.sqlite);
    const controller = new AbortController();
    let chunks = 0;
    const failure = await importValidatedPackChunked(db.sqlite, validatePackText(packText(buildPack({ questionsPerSkill: 600 }))), {
      mode: 'append',
      signal: controller.signal,
      // A learner write waits before every row: one row per chunk, so the cancel lands mid-import whatever the speed.
      priority: { ...createWritePriority(), learnerWaiting: () => true },
      onProgress: () => {
        chunks += 1;
        // Rows are in the database, but no learner query sees them.
        expect(db.sqlite.prepare('SELECT (SELECT COUNT(*) FROM domains) + (SELECT COUNT(*) FROM questions)').pluck().get()).toBeGreaterThan(0);
        expect(library.questionCount()).toBe(0);
        expect(library.tree(null).domains).toEqual([]);
        if (chunks === 2) controller.abort();
      },
    }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).code).toBe('cancelled');
    expect(dumpContent(db.sqlite)).toEqual(before);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM pending_imports').pluck().get()).toBe(0);

    const done = await importValidatedPackChunked(db.sqlite, validatePackText(packText(buildPack({ questionsPerSkill: 600 }))), { mode: 'append' });
    expect(done.counts.questions.inserted).toBe(1200);
    expect(library.questionCount()).toBe(1200);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions WHERE pending_import IS NOT NULL').pluck().get()).toBe(0);
  });

  it('stays imported when clearing the marks after its commit fails; the marks left hide nothing', async () => {
    const db = fresh();
    const library = createLibraryQueries(db.sqlite);
    // Clearing a question's mark fails (as on a full disk); the final commit, which only unlists the import, does not.
    db.sqlite.exec(`CREATE TEMP TRIGGER refuse_clearing BEFORE UPDATE OF pending_import ON questions
      BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    const done = await importValidatedPackChunked(db.sqlite, validatePackText(packText(buildPack({ questionsPerSkill: 300 }))), { mode: 'append' });
    expect(done.counts.questions.inserted).toBe(600);
    expect(library.questionCount()).toBe(600);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions WHERE pending_import IS NOT NULL').pluck().get()).toBe(600);
    expect(createContentWorkspace(db.sqlite).packs()).toHaveLength(1);
  });

  it('killed mid-import leaves nothing visible, and the next start removes its pending rows', async () => {
    const db = fresh();
    const packFile = join(db.dir, 'pack.json');
    writeFileSync(packFile, packText(buildPack({ questionsPerSkill: 2000 })));
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'import-child.ts'), db.file, packFile], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the import child reported no chunks in time: ${output}`)), 60_000);
      child.stdout.on('data', (data: Buffer) => {
        output += data.toString();
        if (output.split('\n').length > 4) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((resolve) => child.once('exit', resolve));
    expect(output).not.toMatch(/done/);

    const library = createLibraryQueries(db.sqlite);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBeGreaterThan(0);
    expect(library.questionCount()).toBe(0);
    expect(library.tree(null).domains).toEqual([]);
    expect(createContentWorkspace(db.sqlite).packs()).toEqual([]);

    expect(removeAbandonedImports(db.sqlite)).toBeGreaterThan(0);
    for (const name of ['domains', 'skills', 'questions', 'content_packs', 'pending_imports']) {
      expect(db.sqlite.prepare(`SELECT COUNT(*) FROM ${name}`).pluck().get()).toBe(0);
    }
  });
});
