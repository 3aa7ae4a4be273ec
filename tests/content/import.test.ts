/** Content pack import into a real SQLite file: append vs override, the publish rule, all-or-nothing. */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ContentPackInput } from '../../shared/content/pack';
import { importPack } from '../../electron/core/content/import';
import { ManualClock } from '../helpers/clock';
import { failureOf } from '../helpers/failures';
import { buildPack, fixturePack as fixture, packText, testUuid } from './pack-builder';
import { countRows, dumpContent, useTempDatabases, type TempDatabase } from './temp-database';

const freshDatabase = useTempDatabases();

function row<T>(db: TempDatabase, sql: string, ...params: unknown[]): T {
  return db.sqlite.prepare(sql).get(...params) as T;
}

describe('importing into an empty database', () => {
  it('writes the seed samples (slugs fixed) with payloads as JSON text and records the pack', () => {
    const db = freshDatabase();
    const bytes = fixture('seed-samples-fixed.json');
    const result = importPack(db.sqlite, bytes, { mode: 'append', clock: new ManualClock(1_800_000_000_000) });

    expect(result.counts.domains).toEqual({ inserted: 1, updated: 0, replaced: 0, unchanged: 0, skipped: 0 });
    expect(result.counts.skills).toEqual({ inserted: 1, updated: 0, replaced: 0, unchanged: 0, skipped: 0 });
    expect(result.counts.questions).toEqual({ inserted: 2, updated: 0, replaced: 0, unchanged: 0, skipped: 0 });
    expect(result.warnings.map((w) => w.code)).toEqual(['missing_explanation']);

    const mcq = row<Record<string, unknown>>(db, 'SELECT * FROM questions WHERE id = ?', 'd37faec5-38b7-4e59-8a8c-7c4fa8b8f552');
    expect(mcq).toMatchObject({ skill_id: 'deaf350e-3929-4e52-a4bc-cc768e7bc37d', slug: 'x_solve_basic', type: 'mcq_single', is_published: 1, sort_order: 0 });
    expect(JSON.parse(mcq.payload as string)).toEqual({ prompt: 'What is the value of x in 2x = 10?', choices: ['3', '4', '5', '6'], solution_index: 2 });
    expect(JSON.parse(mcq.explanation as string)).toEqual({ body: 'Divide both sides by 2 to get x = 5.' });
    const reorder = row<Record<string, unknown>>(db, 'SELECT * FROM questions WHERE slug = ?', 'order_steps');
    expect(reorder).toMatchObject({ explanation: null, sort_order: 0, created_utc_ms: 1_700_000_002_100 });

    const packRow = row<Record<string, unknown>>(db, 'SELECT * FROM content_packs WHERE id = ?', result.packId);
    expect(packRow).toEqual({
      id: result.packId,
      name: 'seed-samples-fixed',
      version: '1.0.0',
      schema_version: '1',
      description: 'The seed samples with their slugs fixed as the validator suggests.',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      file_size: bytes.byteLength,
      import_mode: 'append',
      drill_metadata: null,
      imported_utc_ms: 1_800_000_000_000,
      status: 'DRAFT',
      activated_utc_ms: null,
      // The import committed: its pending mark is cleared.
      pending_import: null,
    });
  });

  it('stores the drill pack: its questions under the pack record and its metadata with the 7 categories', () => {
    const db = freshDatabase();
    const result = importPack(db.sqlite, packText(buildPack({ withDrillPack: true })), { mode: 'append' });
    expect(result.counts.drillQuestions).toEqual({ inserted: 7, updated: 0, replaced: 0, unchanged: 0, skipped: 0 });
    const drills = db.sqlite.prepare('SELECT * FROM drill_questions ORDER BY category').all() as Array<Record<string, unknown>>;
    expect(drills).toHaveLength(7);
    expect(drills[0]).toMatchObject({ pack_id: result.packId, category: 'brevity', expected_duration_s: 90 });
    expect(JSON.parse(drills[0]!.evaluation_criteria as string)).toEqual(['Shows brevity']);
    const metadata = JSON.parse(row<{ drill_metadata: string }>(db, 'SELECT drill_metadata FROM content_packs').drill_metadata);
    expect(metadata).toMatchObject({ version: '1.0.0', title: 'Drills', categories: expect.arrayContaining(['clarity', 'ownership']) });
    expect(metadata.categories).toHaveLength(7);
  });
});

describe('the publish rule', () => {
  it('keeps a skill without published questions, and a domain without published skills, as drafts', () => {
    const db = freshDatabase();
    const pack = buildPack({ domains: 2, skillsPerDomain: 2, questionsPerSkill: 2 });
    const [skillA, skillB] = pack.skills;
    // Skill A: no questions at all. Skill B: only draft questions.
    pack.questions = pack.questions.filter((q) => q.skill_id !== skillA!.id);
    for (const q of pack.questions) if (q.skill_id === skillB!.id) q.is_published = false;
    const result = importPack(db.sqlite, packText(pack), { mode: 'append' });

    const published = (table: string, id: string) => row<{ p: number }>(db, `SELECT is_published AS p FROM ${table} WHERE id = ?`, id).p;
    expect(published('skills', skillA!.id)).toBe(0);
    expect(published('skills', skillB!.id)).toBe(0);
    expect(published('domains', pack.domains[0]!.id)).toBe(0);
    // The other domain keeps what the pack says.
    expect(published('domains', pack.domains[1]!.id)).toBe(1);
    expect(published('skills', pack.skills[2]!.id)).toBe(1);
    expect(result.keptUnpublished).toEqual({ domains: 1, skills: 2 });
    expect(result.warnings.map((w) => `${w.code} @ ${w.path}`)).toContain('skill_without_questions @ skills[0]');
  });

  it('never publishes what the pack marks as a draft', () => {
    const db = freshDatabase();
    importPack(db.sqlite, packText(buildPack({ published: false })), { mode: 'append' });
    expect(row<{ n: number }>(db, 'SELECT count(*) AS n FROM questions WHERE is_published = 1').n).toBe(0);
    expect(row<{ n: number }>(db, 'SELECT count(*) AS n FROM skills WHERE is_published = 1').n).toBe(0);
  });
});

/** A second version of the default pack: renamed titles, one changed question, one new question. */
function secondVersion(): ContentPackInput {
  const pack = buildPack({ version: '1.1.0' });
  pack.domains[0]!.title = 'Domain renamed';
  pack.skills[0]!.title = 'Skill renamed';
  (pack.questions[0]!.payload as { prompt: string }).prompt = 'Changed prompt';
  pack.questions.push({
    id: testUuid('new-question'),
    skill_id: pack.skills[0]!.id,
    slug: 'p_q_new',
    type: 'mcq_single',
    payload: { prompt: 'New?', choices: ['yes', 'no'], solution_index: 0 },
    explanation: { body: 'New.' },
  });
  return pack;
}

describe('append', () => {
  it('adds what is new and leaves existing rows exactly as they were', () => {
    const db = freshDatabase();
    importPack(db.sqlite, packText(buildPack()), { mode: 'append' });
    const before = dumpContent(db.sqlite);

    const result = importPack(db.sqlite, packText(secondVersion()), { mode: 'append' });
    expect(result.counts.domains).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 0, skipped: 1 });
    expect(result.counts.skills).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 0, skipped: 2 });
    expect(result.counts.questions).toEqual({ inserted: 1, updated: 0, replaced: 0, unchanged: 0, skipped: 4 });

    const after = dumpContent(db.sqlite);
    for (const table of ['domains', 'skills'] as const) expect(after[table]).toEqual(before[table]);
    expect(after.questions).toEqual(expect.arrayContaining(before.questions!));
    expect(after.questions).toHaveLength(5);
    expect(row<{ title: string }>(db, 'SELECT title FROM domains').title).toBe('Domain 0');
    expect(countRows(db.sqlite, 'content_packs')).toBe(2);
  });

  it('skips a record whose slug exists under another id, and files its children under the existing row', () => {
    const db = freshDatabase();
    importPack(db.sqlite, packText(buildPack()), { mode: 'append' });
    const existingDomainId = buildPack().domains[0]!.id;

    // Same domain slug, new id; a new skill under it.
    const other = buildPack({ prefix: 'other', skillsPerDomain: 1, questionsPerSkill: 1 });
    other.domains[0]!.slug = 'p_domain_0';
    const result = importPack(db.sqlite, packText(other), { mode: 'append' });
    expect(result.counts.domains).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 0, skipped: 1 });
    expect(result.counts.skills.inserted).toBe(1);
    expect(countRows(db.sqlite, 'domains')).toBe(1);
    expect(row<{ domain_id: string }>(db, 'SELECT domain_id FROM skills WHERE id = ?', other.skills[0]!.id).domain_id).toBe(existingDomainId);
  });

  it('is idempotent: importing the same pack again changes no content row', () => {
    const db = freshDatabase();
    const text = packText(buildPack({ withDrillPack: true }));
    importPack(db.sqlite, text, { mode: 'append' });
    const before = dumpContent(db.sqlite);
    const result = importPack(db.sqlite, text, { mode: 'append' });
    expect(result.counts.questions).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 0, skipped: 4 });
    expect(result.counts.drillQuestions).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 0, skipped: 7 });
    const after = dumpContent(db.sqlite);
    for (const table of ['domains', 'skills', 'questions', 'drill_questions'] as const) expect(after[table]).toEqual(before[table]);
  });
});

describe('override', () => {
  it('replaces rows matched by id, adds new ones, and deletes nothing', () => {
    const db = freshDatabase();
    const extra = buildPack({ prefix: 'extra', questionsPerSkill: 1 });
    importPack(db.sqlite, packText(extra), { mode: 'append' });
    importPack(db.sqlite, packText(buildPack()), { mode: 'append' });

    const result = importPack(db.sqlite, packText(secondVersion()), { mode: 'override' });
    expect(result.counts.domains).toEqual({ inserted: 0, updated: 1, replaced: 0, unchanged: 0, skipped: 0 });
    // Counted as the diff counts them: the rows written as they were are unchanged.
    expect(result.counts.skills).toEqual({ inserted: 0, updated: 1, replaced: 0, unchanged: 1, skipped: 0 });
    expect(result.counts.questions).toEqual({ inserted: 1, updated: 1, replaced: 0, unchanged: 3, skipped: 0 });
    expect(row<{ title: string }>(db, 'SELECT title FROM domains WHERE slug = ?', 'p_domain_0').title).toBe('Domain renamed');
    const changed = secondVersion().questions[0]!;
    expect(JSON.parse(row<{ payload: string }>(db, 'SELECT payload FROM questions WHERE id = ?', changed.id).payload).prompt).toBe('Changed prompt');
    // The other pack's rows are untouched.
    expect(countRows(db.sqlite, 'questions')).toBe(2 + 5);
    expect(row<{ import_mode: string }>(db, 'SELECT import_mode FROM content_packs ORDER BY imported_utc_ms DESC, id DESC').import_mode).toBe('override');
  });

  it('replaces a row matched by slug but keeps its id, so learner history still points at it', () => {
    const db = freshDatabase();
    const original = buildPack();
    importPack(db.sqlite, packText(original), { mode: 'append' });

    // The author regenerated every id: matching falls back to the scoped slugs.
    const regenerated = buildPack({ prefix: 'fresh' });
    regenerated.domains[0]!.slug = 'p_domain_0';
    regenerated.skills.forEach((s, i) => (s.slug = `p_skill_${i}`));
    regenerated.questions.forEach((q, i) => {
      q.slug = `p_q_${i % 2}`;
      q.sort_order = 100 + i;
    });
    const result = importPack(db.sqlite, packText(regenerated), { mode: 'override' });
    // The domain and skills match by slug with the same values: unchanged; every question moved (sort_order).
    expect(result.counts.domains).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 1, skipped: 0 });
    expect(result.counts.skills).toEqual({ inserted: 0, updated: 0, replaced: 0, unchanged: 2, skipped: 0 });
    expect(result.counts.questions).toEqual({ inserted: 0, updated: 4, replaced: 0, unchanged: 0, skipped: 0 });

    const ids = (table: string) => (db.sqlite.prepare(`SELECT id FROM ${table} ORDER BY id`).pluck().all() as string[]);
    expect(ids('domains')).toEqual([original.domains[0]!.id]);
    expect(ids('skills')).toEqual(original.skills.map((s) => s.id).sort());
    expect(ids('questions')).toEqual(original.questions.map((q) => q.id).sort());
    expect(db.sqlite.prepare('SELECT sort_order FROM questions ORDER BY sort_order').pluck().all()).toEqual([100, 101, 102, 103]);
  });

  it('moves drill questions to the new pack record', () => {
    const db = freshDatabase();
    importPack(db.sqlite, packText(buildPack({ withDrillPack: true })), { mode: 'append' });
    const pack = buildPack({ withDrillPack: true, version: '2.0.0' });
    pack.drill_pack!.questions[0]!.prompt = 'A better prompt';
    const result = importPack(db.sqlite, packText(pack), { mode: 'override' });
    // All seven move to the new record; one has another prompt.
    expect(result.counts.drillQuestions).toEqual({ inserted: 0, updated: 1, replaced: 0, unchanged: 6, skipped: 0 });
    expect(db.sqlite.prepare('SELECT DISTINCT pack_id FROM drill_questions').pluck().all()).toEqual([result.packId]);
    expect(row<{ prompt: string }>(db, 'SELECT prompt FROM drill_questions WHERE id = ?', pack.drill_pack!.questions[0]!.id).prompt).toBe('A better prompt');
  });
});

describe('a failing import changes nothing', () => {
  it('refuses an invalid pack with every error, before touching the database', () => {
    const db = freshDatabase();
    importPack(db.sqlite, packText(buildPack({ withDrillPack: true })), { mode: 'append' });
    const before = dumpContent(db.sqlite);

    const failure = failureOf(() => importPack(db.sqlite, fixture('seed-samples.json'), { mode: 'override' }));
    expect(failure.code).toBe('content_invalid');
    expect(failure.message).toContain('3 errors');
    expect(failure.message).toContain('skills[0].slug');
    const details = failure.details as { errors: Array<{ code: string }>; warnings: unknown[] };
    expect(details.errors.map((e) => e.code)).toEqual(['invalid_slug', 'invalid_slug', 'invalid_slug']);
    expect(details.warnings).toHaveLength(1);
    expect(dumpContent(db.sqlite)).toEqual(before);
  });

  it('rolls back everything when a row clashes with the database half-way through', () => {
    const db = freshDatabase();
    const original = buildPack({ withDrillPack: true });
    const skill1 = original.skills[1]!.id;
    original.questions.push({ ...original.questions[0]!, id: testUuid('extra'), skill_id: skill1, slug: 'p_q_extra' });
    importPack(db.sqlite, packText(original), { mode: 'append' });
    const before = dumpContent(db.sqlite);

    // Valid on its own, but its last question (matched by id) moves to a slug the extra row holds.
    const pack = buildPack({ withDrillPack: true, version: '3.0.0' });
    pack.domains[0]!.title = 'Would be renamed';
    const moved = pack.questions.shift()!;
    pack.questions.push({ ...moved, skill_id: skill1, slug: 'p_q_extra' });
    const failure = failureOf(() => importPack(db.sqlite, packText(pack), { mode: 'override' }));
    expect(failure.code).toBe('conflict');
    expect(failure.message).toMatch(/^questions\[3\]: this question clashes/);
    expect(dumpContent(db.sqlite)).toEqual(before);
  });
});
