/**
 * Imports a validated content pack into the local database in one transaction: `append` adds what
 * is new, `override` replaces what matches by id or scoped slug; a failure changes nothing.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Finding } from '../../../shared/content/findings';
import type { ContentPack, PackQuestion } from '../../../shared/content/pack';
import { AppFailure } from '../../../shared/errors';
import { uuidv7 } from '../ids';
import { systemClock, type Clock } from '../ports';
import { validatePackText, type ValidationReport } from './validate';

export type ImportMode = 'append' | 'override';
export const importModes: readonly ImportMode[] = ['append', 'override'];

export interface ImportOptions {
  mode: ImportMode;
  clock?: Clock;
}

export interface ImportCounts {
  inserted: number;
  updated: number;
  /** Rows already present (same id or same slug in scope) that append mode left as they were. */
  skipped: number;
}

export interface ImportResult {
  /** Id of the content_packs row recording this import. */
  packId: string;
  pack: { name: string; version: string; sha256: string; byteLength: number };
  mode: ImportMode;
  counts: {
    domains: ImportCounts;
    skills: ImportCounts;
    questions: ImportCounts;
    drillQuestions: ImportCounts;
  };
  /** Rows the pack marked published that the publish rule stored as drafts (no published child). */
  keptUnpublished: { domains: number; skills: number };
  warnings: Finding[];
}

/** Validates `text`, then imports it; throws AppFailure('content_invalid', …, { errors, warnings }) on any error. */
export function importPack(sqlite: BetterSqlite3.Database, text: string | Buffer, options: ImportOptions): ImportResult {
  return importValidatedPack(sqlite, validatePackText(text), options);
}

/** Imports a pack already validated by `validatePackText` (so callers that show the report parse once). */
export function importValidatedPack(
  sqlite: BetterSqlite3.Database,
  report: ValidationReport,
  options: ImportOptions,
): ImportResult {
  if (!report.ok || report.pack === null) {
    const count = report.errors.length;
    throw new AppFailure(
      'content_invalid',
      `The content pack has ${count} error${count === 1 ? '' : 's'} and was not imported${count > 0 ? `; first: ${describeFinding(report.errors[0]!)}` : ''}.`,
      { errors: report.errors, warnings: report.warnings },
    );
  }
  const pack = report.pack;
  const clock = options.clock ?? systemClock;
  try {
    const writer = new PackWriter(sqlite, options.mode);
    const run = sqlite.transaction(() => writer.write(pack, report, clock.now()));
    // IMMEDIATE: take the write lock up front rather than fail half-way on a busy database.
    const written = run.immediate();
    return { ...written, warnings: report.warnings };
  } catch (err) {
    throw importFailure(err, pack.pack.name);
  }
}

function describeFinding(f: Finding): string {
  return f.path === '' ? f.message : `${f.path}: ${f.message}`;
}

function sqliteCode(err: unknown): string {
  return typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string'
    ? (err as { code: string }).code
    : '';
}

function importFailure(err: unknown, packName: string): AppFailure {
  if (err instanceof AppFailure) return err;
  const code = sqliteCode(err);
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'SQLITE_FULL' || /database or disk is full/i.test(message)) {
    return new AppFailure(
      'storage_full',
      `The disk is full: the import of "${packName}" was rolled back and nothing was changed. Free some space and try again.`,
    );
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new AppFailure('database_error', 'The database is busy with another write; nothing was imported. Try again in a moment.');
  }
  return new AppFailure('database_error', `The import of "${packName}" failed and was rolled back: ${message}`);
}

const zeroCounts = (): ImportCounts => ({ inserted: 0, updated: 0, skipped: 0 });
const flag = (value: boolean): number => (value ? 1 : 0);

type WriteOutcome = Omit<ImportResult, 'warnings'>;

// Every row a pack writes records the pack as its provenance, so no pull overwrites it (see content/provenance.ts).
const questionColumns =
  'id, skill_id, slug, type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms, origin, pack_name';
const questionSlots = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pack', ?";

/** Every statement an import runs, prepared once per import. */
function prepareStatements(sqlite: BetterSqlite3.Database) {
  const prepare = (sql: string) => sqlite.prepare(sql);
  return {
    domainById: prepare('SELECT id FROM domains WHERE id = ?').pluck(),
    domainBySlug: prepare('SELECT id FROM domains WHERE slug = ?').pluck(),
    insertDomain: prepare(
      `INSERT INTO domains (id, slug, title, sort_order, is_published, created_utc_ms, updated_utc_ms, origin, pack_name)
       VALUES (@id, @slug, @title, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms, 'pack', @pack_name)`,
    ),
    updateDomain: prepare(
      `UPDATE domains SET slug = @slug, title = @title, sort_order = @sort_order, is_published = @is_published,
         created_utc_ms = @created_utc_ms, updated_utc_ms = @updated_utc_ms, origin = 'pack', pack_name = @pack_name
       WHERE id = @id`,
    ),
    skillById: prepare('SELECT id FROM skills WHERE id = ?').pluck(),
    skillBySlug: prepare('SELECT id FROM skills WHERE domain_id = ? AND slug = ?').pluck(),
    insertSkill: prepare(
      `INSERT INTO skills (id, domain_id, slug, title, description, sort_order, is_published, created_utc_ms, updated_utc_ms, origin, pack_name)
       VALUES (@id, @domain_id, @slug, @title, @description, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms, 'pack', @pack_name)`,
    ),
    updateSkill: prepare(
      `UPDATE skills SET domain_id = @domain_id, slug = @slug, title = @title, description = @description,
         sort_order = @sort_order, is_published = @is_published, created_utc_ms = @created_utc_ms,
         updated_utc_ms = @updated_utc_ms, origin = 'pack', pack_name = @pack_name WHERE id = @id`,
    ),
    // Questions are most of a pack: positional parameters, in `questionColumns` order, bind fastest.
    // Append: a question whose id or (skill, slug) already exists is left alone.
    appendQuestion: prepare(`INSERT INTO questions (${questionColumns}) VALUES (${questionSlots}) ON CONFLICT DO NOTHING`),
    insertQuestion: prepare(`INSERT INTO questions (${questionColumns}) VALUES (${questionSlots})`),
    // The row a question replaces: the one with its id, else the one with its slug in its skill.
    questionMatch: prepare(
      `SELECT id FROM questions WHERE id = ?
       UNION ALL SELECT id FROM questions WHERE skill_id = ? AND slug = ? LIMIT 1`,
    ).pluck(),
    // Matched by slug, the existing row keeps its id, so learners' attempts still point at it.
    updateQuestion: prepare(
      `UPDATE questions SET skill_id = ?, slug = ?, type = ?, payload = ?, explanation = ?, sort_order = ?,
         is_published = ?, created_utc_ms = ?, updated_utc_ms = ?, origin = 'pack', pack_name = ? WHERE id = ?`,
    ),
    insertPack: prepare(
      `INSERT INTO content_packs (id, name, version, schema_version, description, sha256, file_size, import_mode, drill_metadata, imported_utc_ms)
       VALUES (@id, @name, @version, @schema_version, @description, @sha256, @file_size, @import_mode, @drill_metadata, @imported_utc_ms)`,
    ),
    appendDrillQuestion: prepare(
      `INSERT INTO drill_questions (id, pack_id, category, prompt, expected_duration_s, evaluation_criteria)
       VALUES (@id, @pack_id, @category, @prompt, @expected_duration_s, @evaluation_criteria) ON CONFLICT DO NOTHING`,
    ),
    updateDrillQuestion: prepare(
      `UPDATE drill_questions SET pack_id = @pack_id, category = @category, prompt = @prompt,
         expected_duration_s = @expected_duration_s, evaluation_criteria = @evaluation_criteria WHERE id = @id`,
    ),
    // The publish rule: published only with at least one published child.
    demoteSkill: prepare(
      `UPDATE skills SET is_published = 0 WHERE id = ? AND is_published = 1
         AND NOT EXISTS (SELECT 1 FROM questions WHERE questions.skill_id = skills.id AND questions.is_published = 1)`,
    ),
    skillDomain: prepare('SELECT domain_id FROM skills WHERE id = ?').pluck(),
    demoteDomain: prepare(
      `UPDATE domains SET is_published = 0 WHERE id = ? AND is_published = 1
         AND NOT EXISTS (SELECT 1 FROM skills WHERE skills.domain_id = domains.id AND skills.is_published = 1)`,
    ),
  };
}

/** Writes one pack's rows, mapping pack ids to the ids of rows they matched by slug. */
class PackWriter {
  private readonly s: ReturnType<typeof prepareStatements>;

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly mode: ImportMode,
  ) {
    this.s = prepareStatements(sqlite);
  }

  write(pack: ContentPack, report: ValidationReport, nowMs: number): WriteOutcome {
    const counts = { domains: zeroCounts(), skills: zeroCounts(), questions: zeroCounts(), drillQuestions: zeroCounts() };
    // Pack id → database id, for records matched by slug to an existing row with another id.
    const domainTarget = new Map<string, string>();
    const skillTarget = new Map<string, string>();
    const touchedSkills = new Set<string>();
    const touchedDomains = new Set<string>();

    pack.domains.forEach((domain, index) => {
      const existing = this.s.domainById.get(domain.id) ?? this.s.domainBySlug.get(domain.slug);
      const targetId = typeof existing === 'string' ? existing : domain.id;
      domainTarget.set(domain.id, targetId);
      const row = { ...domain, id: targetId, is_published: flag(domain.is_published), pack_name: pack.pack.name };
      const outcome = this.upsert(`domains[${index}]`, 'domain', existing, row, this.s.insertDomain, this.s.updateDomain);
      counts.domains[outcome] += 1;
      if (outcome !== 'skipped') touchedDomains.add(targetId);
    });

    pack.skills.forEach((skill, index) => {
      const domainId = domainTarget.get(skill.domain_id) ?? skill.domain_id;
      const existing = this.s.skillById.get(skill.id) ?? this.s.skillBySlug.get(domainId, skill.slug);
      const targetId = typeof existing === 'string' ? existing : skill.id;
      skillTarget.set(skill.id, targetId);
      const row = {
        ...skill,
        id: targetId,
        domain_id: domainId,
        description: skill.description ?? null,
        is_published: flag(skill.is_published),
        pack_name: pack.pack.name,
      };
      const outcome = this.upsert(`skills[${index}]`, 'skill', existing, row, this.s.insertSkill, this.s.updateSkill);
      counts.skills[outcome] += 1;
      if (outcome !== 'skipped') {
        touchedSkills.add(targetId);
        touchedDomains.add(domainId);
      }
    });

    pack.questions.forEach((question, index) => {
      const skillId = skillTarget.get(question.skill_id) ?? question.skill_id;
      const outcome = this.writeQuestion(`questions[${index}]`, question, skillId, pack.pack.name);
      counts.questions[outcome] += 1;
      if (outcome !== 'skipped') touchedSkills.add(skillId);
    });

    const packId = uuidv7(nowMs);
    const drill = pack.drill_pack;
    this.s.insertPack.run({
      id: packId,
      name: pack.pack.name,
      version: pack.pack.version,
      schema_version: pack.pack.schema_version,
      description: pack.pack.description ?? null,
      sha256: report.sha256,
      file_size: report.byteLength,
      import_mode: this.mode,
      drill_metadata: drill ? JSON.stringify({ version: drill.version, ...drill.metadata }) : null,
      imported_utc_ms: nowMs,
    });
    drill?.questions.forEach((question, index) => {
      const row = { ...question, pack_id: packId, evaluation_criteria: JSON.stringify(question.evaluation_criteria) };
      const outcome = this.guarded(`drill_pack.questions[${index}]`, 'drill question', () => {
        if (this.mode === 'override' && this.s.updateDrillQuestion.run(row).changes > 0) return 'updated';
        return this.s.appendDrillQuestion.run(row).changes > 0 ? 'inserted' : 'skipped';
      });
      counts.drillQuestions[outcome] += 1;
    });

    const keptUnpublished = { domains: 0, skills: 0 };
    for (const skillId of touchedSkills) {
      const { changes } = this.s.demoteSkill.run(skillId);
      if (changes > 0) {
        keptUnpublished.skills += changes;
        const domainId = this.s.skillDomain.get(skillId);
        if (typeof domainId === 'string') touchedDomains.add(domainId);
      }
    }
    for (const domainId of touchedDomains) keptUnpublished.domains += this.s.demoteDomain.run(domainId).changes;

    return {
      packId,
      pack: { name: pack.pack.name, version: pack.pack.version, sha256: report.sha256, byteLength: report.byteLength },
      mode: this.mode,
      counts,
      keptUnpublished,
    };
  }

  private upsert(
    path: string,
    what: string,
    existing: unknown,
    row: Record<string, unknown>,
    insert: BetterSqlite3.Statement,
    update: BetterSqlite3.Statement,
  ): keyof ImportCounts {
    if (existing !== undefined && this.mode === 'append') return 'skipped';
    return this.guarded(path, what, () => {
      if (existing !== undefined) {
        update.run(row);
        return 'updated';
      }
      insert.run(row);
      return 'inserted';
    });
  }

  private writeQuestion(path: string, question: PackQuestion, skillId: string, packName: string): keyof ImportCounts {
    const explanation = question.explanation == null ? null : JSON.stringify(question.explanation);
    const row = [
      question.id,
      skillId,
      question.slug,
      question.type,
      JSON.stringify(question.payload),
      explanation,
      question.sort_order,
      flag(question.is_published),
      question.created_utc_ms,
      question.updated_utc_ms,
      packName,
    ];
    return this.guarded(path, 'question', () => {
      if (this.mode === 'append') return this.s.appendQuestion.run(row).changes > 0 ? 'inserted' : 'skipped';
      const existing = this.s.questionMatch.get(question.id, skillId, question.slug);
      if (typeof existing === 'string') {
        this.s.updateQuestion.run(...row.slice(1), existing);
        return 'updated';
      }
      this.s.insertQuestion.run(row);
      return 'inserted';
    });
  }

  /** Runs one row's write; a uniqueness clash with a row outside the pack becomes a `conflict` naming the record. */
  private guarded(path: string, what: string, write: () => keyof ImportCounts): keyof ImportCounts {
    try {
      return write();
    } catch (err) {
      const code = sqliteCode(err);
      if (code.startsWith('SQLITE_CONSTRAINT')) {
        throw new AppFailure(
          'conflict',
          `${path}: this ${what} clashes with a different ${what} already in the database ` +
            `(${err instanceof Error ? err.message : code}); nothing was imported.`,
          { path },
        );
      }
      throw err;
    }
  }
}
