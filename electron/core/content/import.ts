/**
 * Imports a validated content pack into the local database: `append` adds what is new, `override` replaces what
 * matches by id or scoped slug. New rows are written in short transactions marked pending under the import's id
 * (migration 0011), invisible to learners; one final transaction applies the updates and the publish rule and drops
 * the pending mark, so the whole pack appears at once. A failure or cancel deletes the pending rows: all or nothing.
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Finding } from '../../../shared/content/findings';
import type { ContentPack, PackQuestion } from '../../../shared/content/pack';
import { AppFailure } from '../../../shared/errors';
import { uuidv7 } from '../ids';
import { createWritePriority, type WritePriority } from '../db/write-priority';
import { systemClock, type Clock } from '../ports';
import { createPendingMarkClearer, removePendingImportSteps } from './pending';
import { DRILL_QUESTION_MATCH_SQL, domainFields, drillQuestionFields, overrideChange, questionFields, skillFields, type MatchedRow } from './match';
import { validatePackText, type ValidationReport } from './validate';

export type ImportMode = 'append' | 'override';
export const importModes: readonly ImportMode[] = ['append', 'override'];

export interface ImportOptions {
  mode: ImportMode;
  clock?: Clock;
}

/** Per table; override mode counts its matched rows by the diff's rule (match.ts), so they agree with the diff. */
export interface ImportCounts {
  inserted: number;
  /** Override: rows of this pack written with other values. */
  updated: number;
  /** Override: rows another pack (or the server) provided, now this pack's. */
  replaced: number;
  /** Override: rows of this pack whose values the import wrote again as they were. */
  unchanged: number;
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

/**
 * Time one pending transaction may write for before it commits and the import steps aside, whatever the machine's
 * speed. A waiting learner write ends the chunk at once, so the learner waits for the commit of what was written, not
 * for the chunk: measured at 100k questions, 20 ms instead of 5 took the import from 3.5–4.6 s to 2.5–2.7 s (each
 * commit writes every index leaf its random ids touched) with the learners' p99 unchanged (10–11 ms).
 */
export const IMPORT_CHUNK_MS = 20;

export interface ImportProgressReport {
  written: number;
  total: number;
}

export interface ChunkedImportOptions extends ImportOptions {
  signal?: AbortSignal;
  onProgress?(progress: ImportProgressReport): void;
  /**
   * The learner's writes go first (db/write-priority.ts): a chunk commits early when one waits, and the import steps
   * aside between its transactions. Default: an unshared counter (nobody waits), one turn of the event loop between.
   */
  priority?: Pick<WritePriority, 'learnerWaiting' | 'stepAside' | 'claimBulkWrite' | 'releaseBulkWrite'>;
}

/** Imports a pack already validated by `validatePackText` in one go (the CLI, the embedded sample, tests). */
export function importValidatedPack(
  sqlite: BetterSqlite3.Database,
  report: ValidationReport,
  options: ImportOptions,
): ImportResult {
  const pack = validPack(report);
  const steps = writeSteps(sqlite, pack, report, options, () => false);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same import, pausing between its short transactions; `signal` cancels it before the final commit, which
 * deletes the pending rows (AppFailure 'cancelled').
 */
export async function importValidatedPackChunked(
  sqlite: BetterSqlite3.Database,
  report: ValidationReport,
  options: ChunkedImportOptions,
): Promise<ImportResult> {
  const pack = validPack(report);
  const priority = options.priority ?? createWritePriority();
  const steps = writeSteps(sqlite, pack, report, options, priority.learnerWaiting);
  try {
    for (;;) {
      priority.claimBulkWrite('content');
      const started = performance.now();
      const step = steps.next(options.signal?.aborted === true);
      if (step.done) return step.value;
      if (step.value) options.onProgress?.(step.value);
      await priority.stepAside(performance.now() - started);
    }
  } finally {
    priority.releaseBulkWrite('content');
  }
}

function validPack(report: ValidationReport): ContentPack {
  if (!report.ok || report.pack === null) {
    const count = report.errors.length;
    throw new AppFailure(
      'content_invalid',
      `The content pack has ${count} error${count === 1 ? '' : 's'} and was not imported${count > 0 ? `; first: ${describeFinding(report.errors[0]!)}` : ''}.`,
      { errors: report.errors, warnings: report.warnings },
    );
  }
  return report.pack;
}

/**
 * The import as steps: each `next()` runs one transaction and yields the progress (undefined while tidying or
 * removing); `next(true)` cancels. Any failure before the final commit deletes the pending rows, a chunk per step,
 * before it is thrown.
 * `learnerWaiting` ends a chunk early (its rows so far commit).
 */
function* writeSteps(
  sqlite: BetterSqlite3.Database,
  pack: ContentPack,
  report: ValidationReport,
  options: ImportOptions,
  learnerWaiting: () => boolean,
): Generator<ImportProgressReport | undefined, ImportResult, boolean | undefined> {
  const clock = options.clock ?? systemClock;
  const nowMs = clock.now();
  const importId = uuidv7(nowMs);
  sqlite.prepare('INSERT INTO pending_imports (id, pack_name, started_utc_ms) VALUES (?, ?, ?)').run(importId, pack.pack.name, nowMs);
  const chunkOpen = (started: number) => performance.now() - started < IMPORT_CHUNK_MS && !learnerWaiting();
  const durableSync = sqlite.pragma('synchronous', { simple: true }) as number;
  // IMMEDIATE: take the write lock up front rather than fail half-way on a busy database. No fsync at the commit, so
  // none waits for the disk holding the lock: see each caller for why that loses nothing.
  const commitWithoutSync = <T>(chunk: { immediate: () => T }): T => {
    sqlite.pragma('synchronous = NORMAL');
    try {
      return chunk.immediate();
    } finally {
      sqlite.pragma(`synchronous = ${durableSync}`);
    }
  };
  let outcome: WriteOutcome;
  try {
    const writer = new PackWriter(sqlite, options.mode, importId, pack.pack.name);
    const { packRecord, records } = writer.rows(pack, report, nowMs);
    commitWithoutSync(sqlite.transaction(packRecord));
    const total = records.length;
    let written = 0;
    const writeChunk = sqlite.transaction(() => {
      const started = performance.now();
      do records[written++]!();
      while (written < total && chunkOpen(started));
    });
    while (written < total) {
      // Pending rows are invisible until the final commit and a crash removes them; the final commit's fsync of the WAL
      // makes them all durable.
      commitWithoutSync(writeChunk);
      const cancelled = yield { written, total };
      if (cancelled) throw new AppFailure('cancelled', `The import of "${pack.pack.name}" was cancelled; nothing was imported.`);
    }
    outcome = sqlite.transaction(() => writer.commit(importId)).immediate();
  } catch (err) {
    yield* removePendingImportSteps(sqlite, importId);
    throw importFailure(err, pack.pack.name);
  }
  // Committed: what follows only tidies. A cancel can no longer undo it, and a failure here (a busy or full disk) must
  // not remove the rows, which still carry the mark: it stops the tidying, and the marks left are harmless (their
  // import is no longer listed, so the rows are visible; the content worker's next start clears them), as are those a
  // power cut keeps (no fsync here either; the next commit at FULL makes the clearing durable).
  const clearChunk = createPendingMarkClearer(sqlite, importId);
  const clearSome = sqlite.transaction(() => {
    const started = performance.now();
    let cleared: number;
    do cleared = clearChunk();
    while (cleared > 0 && chunkOpen(started));
    return cleared;
  });
  try {
    while (commitWithoutSync(clearSome) > 0) yield undefined;
  } catch {
    // Left as they are: see above.
  }
  return { ...outcome, warnings: report.warnings };
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

const zeroCounts = (): ImportCounts => ({ inserted: 0, updated: 0, replaced: 0, unchanged: 0, skipped: 0 });

type WriteOutcome = Omit<ImportResult, 'warnings'>;

// Every row a pack writes records the pack as its provenance, so no pull overwrites it (see content/provenance.ts),
// and new rows carry the import's id until its final commit (pending_import, migration 0011).
const questionColumns =
  'id, skill_id, slug, type, payload, explanation, sort_order, is_published, created_utc_ms, updated_utc_ms, origin, pack_name, pending_import';
const questionSlots = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pack', ?, ?";

/** Every statement an import runs, prepared once per import. */
function prepareStatements(sqlite: BetterSqlite3.Database) {
  const prepare = (sql: string) => sqlite.prepare(sql);
  return {
    // Matched rows are read whole: override mode compares them with the pack's record (match.ts).
    domainById: prepare('SELECT * FROM domains WHERE id = ?'),
    domainBySlug: prepare('SELECT * FROM domains WHERE slug = ?'),
    insertDomain: prepare(
      `INSERT INTO domains (id, slug, title, sort_order, is_published, created_utc_ms, updated_utc_ms, origin, pack_name, pending_import)
       VALUES (@id, @slug, @title, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms, 'pack', @pack_name, @pending_import)`,
    ),
    updateDomain: prepare(
      `UPDATE domains SET slug = @slug, title = @title, sort_order = @sort_order, is_published = @is_published,
         created_utc_ms = @created_utc_ms, updated_utc_ms = @updated_utc_ms, origin = 'pack', pack_name = @pack_name
       WHERE id = @id`,
    ),
    skillById: prepare('SELECT * FROM skills WHERE id = ?'),
    skillBySlug: prepare('SELECT * FROM skills WHERE domain_id = ? AND slug = ?'),
    insertSkill: prepare(
      `INSERT INTO skills (id, domain_id, slug, title, description, sort_order, is_published, created_utc_ms, updated_utc_ms, origin, pack_name, pending_import)
       VALUES (@id, @domain_id, @slug, @title, @description, @sort_order, @is_published, @created_utc_ms, @updated_utc_ms, 'pack', @pack_name, @pending_import)`,
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
      `SELECT * FROM questions WHERE id = ?
       UNION ALL SELECT * FROM questions WHERE skill_id = ? AND slug = ? LIMIT 1`,
    ),
    // Matched by slug, the existing row keeps its id, so learners' attempts still point at it.
    updateQuestion: prepare(
      `UPDATE questions SET skill_id = ?, slug = ?, type = ?, payload = ?, explanation = ?, sort_order = ?,
         is_published = ?, created_utc_ms = ?, updated_utc_ms = ?, origin = 'pack', pack_name = ? WHERE id = ?`,
    ),
    insertPack: prepare(
      `INSERT INTO content_packs (id, name, version, schema_version, description, sha256, file_size, import_mode, drill_metadata, imported_utc_ms, pending_import)
       VALUES (@id, @name, @version, @schema_version, @description, @sha256, @file_size, @import_mode, @drill_metadata, @imported_utc_ms, @pending_import)`,
    ),
    drillQuestionMatch: prepare(DRILL_QUESTION_MATCH_SQL),
    insertDrillQuestion: prepare(
      `INSERT INTO drill_questions (id, pack_id, category, prompt, expected_duration_s, evaluation_criteria, pending_import)
       VALUES (@id, @pack_id, @category, @prompt, @expected_duration_s, @evaluation_criteria, @pending_import)`,
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
    commitImport: prepare('DELETE FROM pending_imports WHERE id = ?'),
  };
}

/**
 * Writes one pack's rows, mapping pack ids to the ids of rows they matched by slug. New rows go in at once (pending);
 * updates of existing rows wait for the final commit, since learners see those rows.
 */
class PackWriter {
  private readonly s: ReturnType<typeof prepareStatements>;
  private readonly counts = { domains: zeroCounts(), skills: zeroCounts(), questions: zeroCounts(), drillQuestions: zeroCounts() };
  private readonly deferredUpdates: Array<() => void> = [];
  private readonly touchedSkills = new Set<string>();
  private readonly touchedDomains = new Set<string>();
  private packRecord: WriteOutcome['pack'] | null = null;
  private packId = '';

  constructor(
    sqlite: BetterSqlite3.Database,
    private readonly mode: ImportMode,
    private readonly importId: string,
    private readonly packName: string,
  ) {
    this.s = prepareStatements(sqlite);
  }

  /**
   * The write of the pack's own record, and the writes of its records, one each in dependency order (parents first),
   * for the caller to group into transactions. The pack record goes first (its drill questions point at it) and apart,
   * so the import's progress counts the records the diff showed.
   */
  rows(pack: ContentPack, report: ValidationReport, nowMs: number): { packRecord: () => void; records: Array<() => void> } {
    // Pack id → database id, for records matched by slug to an existing row with another id.
    const domainTarget = new Map<string, string>();
    const skillTarget = new Map<string, string>();
    const records: Array<() => void> = [];
    const eachRow = <T>(items: readonly T[], writeOne: (item: T, index: number) => void) => {
      items.forEach((item, index) => records.push(() => writeOne(item, index)));
    };
    const packName = this.packName;

    eachRow(pack.domains, (domain, index) => {
      const existing = (this.s.domainById.get(domain.id) ?? this.s.domainBySlug.get(domain.slug)) as MatchedRow | undefined;
      const targetId = existing?.id ?? domain.id;
      domainTarget.set(domain.id, targetId);
      const fields = domainFields(domain);
      const row = { ...domain, ...fields, id: targetId, pack_name: packName, pending_import: this.importId };
      const outcome = this.upsert(`domains[${index}]`, 'domain', fields, existing, row, this.s.insertDomain, this.s.updateDomain);
      this.counts.domains[outcome] += 1;
      if (outcome !== 'skipped') this.touchedDomains.add(targetId);
    });

    eachRow(pack.skills, (skill, index) => {
      const domainId = domainTarget.get(skill.domain_id) ?? skill.domain_id;
      const existing = (this.s.skillById.get(skill.id) ?? this.s.skillBySlug.get(domainId, skill.slug)) as MatchedRow | undefined;
      const targetId = existing?.id ?? skill.id;
      skillTarget.set(skill.id, targetId);
      const fields = skillFields(skill, domainId);
      const row = { ...skill, ...fields, id: targetId, pack_name: packName, pending_import: this.importId };
      const outcome = this.upsert(`skills[${index}]`, 'skill', fields, existing, row, this.s.insertSkill, this.s.updateSkill);
      this.counts.skills[outcome] += 1;
      if (outcome !== 'skipped') {
        this.touchedSkills.add(targetId);
        this.touchedDomains.add(domainId);
      }
    });

    eachRow(pack.questions, (question, index) => {
      const skillId = skillTarget.get(question.skill_id) ?? question.skill_id;
      const outcome = this.writeQuestion(`questions[${index}]`, question, skillId);
      this.counts.questions[outcome] += 1;
      if (outcome !== 'skipped') this.touchedSkills.add(skillId);
    });

    this.packId = uuidv7(nowMs);
    const drill = pack.drill_pack;
    const packRecord = () => {
      this.s.insertPack.run({
        id: this.packId,
        name: pack.pack.name,
        version: pack.pack.version,
        schema_version: pack.pack.schema_version,
        description: pack.pack.description ?? null,
        sha256: report.sha256,
        file_size: report.byteLength,
        import_mode: this.mode,
        drill_metadata: drill ? JSON.stringify({ version: drill.version, ...drill.metadata }) : null,
        imported_utc_ms: nowMs,
        pending_import: this.importId,
      });
    };
    this.packRecord = { name: pack.pack.name, version: pack.pack.version, sha256: report.sha256, byteLength: report.byteLength };
    eachRow(drill?.questions ?? [], (question, index) => {
      const fields = drillQuestionFields(question);
      const row = { ...question, ...fields, pack_id: this.packId, pending_import: this.importId };
      const outcome = this.guarded(`drill_pack.questions[${index}]`, 'drill question', () => {
        const existing = this.s.drillQuestionMatch.get(row.id) as MatchedRow | undefined;
        if (existing === undefined) {
          this.s.insertDrillQuestion.run(row);
          return 'inserted';
        }
        if (this.mode === 'append') return 'skipped';
        this.deferredUpdates.push(() => this.s.updateDrillQuestion.run(row));
        return overrideChange(fields, existing, packName).change;
      });
      this.counts.drillQuestions[outcome] += 1;
    });

    return { packRecord, records };
  }

  /** The final transaction: updates, the publish rule, and the pending mark dropped, so everything appears at once. */
  commit(importId: string): WriteOutcome {
    for (const update of this.deferredUpdates) update();
    const keptUnpublished = { domains: 0, skills: 0 };
    for (const skillId of this.touchedSkills) {
      const { changes } = this.s.demoteSkill.run(skillId);
      if (changes > 0) {
        keptUnpublished.skills += changes;
        const domainId = this.s.skillDomain.get(skillId);
        if (typeof domainId === 'string') this.touchedDomains.add(domainId);
      }
    }
    for (const domainId of this.touchedDomains) keptUnpublished.domains += this.s.demoteDomain.run(domainId).changes;
    this.s.commitImport.run(importId);
    return { packId: this.packId, pack: this.packRecord!, mode: this.mode, counts: this.counts, keptUnpublished };
  }

  /**
   * A domain or skill: inserted, or in override mode rewritten at the final commit (every matched row is, so it carries
   * this pack's provenance) and counted by the diff's rule; append mode leaves a matched row alone.
   */
  private upsert(
    path: string,
    what: string,
    fields: Record<string, unknown>,
    existing: MatchedRow | undefined,
    row: Record<string, unknown>,
    insert: BetterSqlite3.Statement,
    update: BetterSqlite3.Statement,
  ): keyof ImportCounts {
    if (existing !== undefined && this.mode === 'append') return 'skipped';
    return this.guarded(path, what, () => {
      if (existing !== undefined) {
        this.deferredUpdates.push(() => this.guarded(path, what, () => (update.run(row), 'updated')));
        return overrideChange(fields, existing, this.packName).change;
      }
      insert.run(row);
      return 'inserted';
    });
  }

  private writeQuestion(path: string, question: PackQuestion, skillId: string): keyof ImportCounts {
    const fields = questionFields(question, skillId);
    const row = [
      question.id,
      fields.skill_id,
      fields.slug,
      fields.type,
      fields.payload,
      fields.explanation,
      fields.sort_order,
      fields.is_published,
      question.created_utc_ms,
      question.updated_utc_ms,
      this.packName,
      this.importId,
    ];
    return this.guarded(path, 'question', () => {
      if (this.mode === 'append') return this.s.appendQuestion.run(row).changes > 0 ? 'inserted' : 'skipped';
      const existing = this.s.questionMatch.get(question.id, skillId, question.slug) as MatchedRow | undefined;
      if (existing !== undefined) {
        const values = [...row.slice(1, -1), existing.id];
        this.deferredUpdates.push(() => this.guarded(path, 'question', () => (this.s.updateQuestion.run(...values), 'updated')));
        return overrideChange(fields, existing, this.packName).change;
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
