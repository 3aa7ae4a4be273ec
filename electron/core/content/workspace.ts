/**
 * The instructor workspace's core: an opened pack file (held in memory as a draft) with its report and its diff
 * against the database, previews of a draft or an installed pack, "Try it" grading that records nothing, the list of
 * installed packs, their removal by provenance, and export to a pack file. Reads go through the connection it is given
 * (the content worker's own, or core's); the only writes are import, remove and drill pack status.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Finding } from '../../../shared/content/findings';
import { DRILL_CATEGORY_COUNT, type ContentPack, type ContentPackInput } from '../../../shared/content/pack';
import { AppFailure } from '../../../shared/errors';
import type { Answer } from '../../../shared/ipc/contract';
import type {
  ChangedRecord,
  ContentTable,
  InstalledPack,
  PackDiff,
  PackReport,
  PreviewQuestion,
  PreviewSource,
  PreviewTree,
  RecordRef,
  ReportFinding,
} from '../../../shared/ipc/features/content';
import type { Sqlite } from '../db/open';
import { grade, startingOrder, type StoredQuestion } from '../practice/grading';
import type { ImportMode } from './import';
import { committed } from './learnable';
import { DRILL_QUESTION_MATCH_SQL, domainFields, drillQuestionFields, overrideChange, questionFields, skillFields, type MatchedRow } from './match';
import { deleteInChunks, type Steps } from './pending';
import { checkPackFile, packOf, type ValidationReport } from './validate';

/** Changed records listed in a diff; the counts always cover them all. */
export const DIFF_CHANGED_LIMIT = 5000;
/** Opened files kept in memory (a 64 MiB pack is large): the oldest is forgotten past this. */
const MAX_DRAFTS = 3;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * An opened file: its bytes' report, its records (the validated pack once built, else the parsed JSON as written, to
 * preview even a pack with errors), its name.
 */
export interface Draft {
  id: string;
  fileName: string;
  /** Its `pack` is built from `raw` when the draft is first used after the report (see `checkPackFile`'s deferPack). */
  report: ValidationReport;
  raw: Json | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Report

const recordPath = /^(domains|skills|questions)\[(\d+)\]|^drill_pack\.questions\[(\d+)\]|^pack\b/;

/** The record a finding's path points at, labelled by its title (domain, skill), slug (question) or id. */
export function recordOf(path: string, raw: Json | null): RecordRef | null {
  const match = recordPath.exec(path);
  if (!match) return null;
  if (match[0].startsWith('pack')) return { table: 'pack', index: null, id: null, label: text(isObject(raw?.pack) ? raw.pack.name : null) ?? 'the pack header' };
  const table: ContentTable = match[1] ? (match[1] as ContentTable) : 'drill_questions';
  const index = Number(match[2] ?? match[3]);
  const records = table === 'drill_questions' ? list(isObject(raw?.drill_pack) ? raw.drill_pack.questions : null) : list(raw?.[table]);
  const record = records[index];
  const id = isObject(record) ? text(record.id) : null;
  const label = isObject(record)
    ? (table === 'questions' ? text(record.slug) : table === 'drill_questions' ? text(record.prompt)?.slice(0, 80) : text(record.title)) ??
      text(record.slug) ??
      id
    : null;
  return { table, index, id, label: label ?? `${table}[${index}]` };
}

export function buildReport(report: ValidationReport, raw: Json | null): PackReport {
  const withRecord = (severity: 'error' | 'warning') => (f: Finding): ReportFinding => ({ ...f, severity, record: recordOf(f.path, raw) });
  const drill = isObject(raw?.drill_pack) ? raw.drill_pack : null;
  return {
    ok: report.ok,
    errors: report.errors.map(withRecord('error')),
    warnings: report.warnings.map(withRecord('warning')),
    summary: {
      errors: report.errors.length,
      warnings: report.warnings.length,
      domains: list(raw?.domains).length,
      skills: list(raw?.skills).length,
      questions: list(raw?.questions).length,
      drillQuestions: list(drill?.questions).length,
      byteLength: report.byteLength,
      sha256: report.sha256,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Diff

type DiffTableName = PackDiff['tables'][number]['table'];

/** What importing `pack` in `mode` would change, table by table (the importer's own matching: id, then scoped slug). */
export function diffPack(sqlite: Sqlite, pack: ContentPack, mode: ImportMode): PackDiff {
  const packName = pack.pack.name;
  const tables = new Map<DiffTableName, PackDiff['tables'][number]>();
  for (const table of ['domains', 'skills', 'questions', 'drill_questions'] as const) {
    tables.set(table, { table, added: 0, updated: 0, unchanged: 0, replaced: 0, absent: 0 });
  }
  const changed: ChangedRecord[] = [];
  let changedTotal = 0;
  const note = (table: DiffTableName, id: string, label: string, change: ChangedRecord['change'], fields: string[]) => {
    tables.get(table)![change] += 1;
    changedTotal += 1;
    if (changed.length < DIFF_CHANGED_LIMIT) changed.push({ key: `${table}:${id}`, table, id, label, change, fields });
  };
  const seen = { domains: new Set<string>(), skills: new Set<string>(), questions: new Set<string>(), drill_questions: new Set<string>() };
  const classify = (table: DiffTableName, id: string, label: string, next: Json, row: MatchedRow | undefined) => {
    if (row === undefined) return note(table, id, label, 'added', []);
    seen[table].add(row.id);
    if (mode === 'append') return void (tables.get(table)!.unchanged += 1);
    const { change, fields } = overrideChange(next, row, packName);
    if (change === 'unchanged') return void (tables.get(table)!.unchanged += 1);
    note(table, row.id, label, change, fields);
  };

  const domainById = sqlite.prepare('SELECT * FROM domains WHERE id = ?');
  const domainBySlug = sqlite.prepare('SELECT * FROM domains WHERE slug = ?');
  const domainTarget = new Map<string, string>();
  for (const d of pack.domains) {
    const row = (domainById.get(d.id) ?? domainBySlug.get(d.slug)) as MatchedRow | undefined;
    domainTarget.set(d.id, row?.id ?? d.id);
    classify('domains', d.id, d.title, domainFields(d), row);
  }
  const skillById = sqlite.prepare('SELECT * FROM skills WHERE id = ?');
  const skillBySlug = sqlite.prepare('SELECT * FROM skills WHERE domain_id = ? AND slug = ?');
  const skillTarget = new Map<string, string>();
  for (const s of pack.skills) {
    const domainId = domainTarget.get(s.domain_id) ?? s.domain_id;
    const row = (skillById.get(s.id) ?? skillBySlug.get(domainId, s.slug)) as MatchedRow | undefined;
    skillTarget.set(s.id, row?.id ?? s.id);
    classify('skills', s.id, s.title, skillFields(s, domainId), row);
  }
  const questionById = sqlite.prepare('SELECT * FROM questions WHERE id = ?');
  const questionBySlug = sqlite.prepare('SELECT * FROM questions WHERE skill_id = ? AND slug = ?');
  for (const q of pack.questions) {
    const skillId = skillTarget.get(q.skill_id) ?? q.skill_id;
    const row = (questionById.get(q.id) ?? questionBySlug.get(skillId, q.slug)) as MatchedRow | undefined;
    classify('questions', q.id, q.slug, questionFields(q, skillId), row);
  }
  const drillById = sqlite.prepare(DRILL_QUESTION_MATCH_SQL);
  for (const q of pack.drill_pack?.questions ?? []) {
    classify('drill_questions', q.id, q.prompt.slice(0, 80), drillQuestionFields(q), drillById.get(q.id) as MatchedRow | undefined);
  }

  // Rows an earlier version of this pack installed that the file no longer has: the import keeps them.
  const absentQueries: Array<[DiffTableName, string]> = [
    ['domains', `SELECT id, title AS label FROM domains WHERE origin = 'pack' AND pack_name = ?`],
    ['skills', `SELECT id, title AS label FROM skills WHERE origin = 'pack' AND pack_name = ?`],
    ['questions', `SELECT id, slug AS label FROM questions WHERE origin = 'pack' AND pack_name = ?`],
    [
      'drill_questions',
      `SELECT d.id, substr(d.prompt, 1, 80) AS label FROM drill_questions d JOIN content_packs p ON p.id = d.pack_id WHERE p.name = ?`,
    ],
  ];
  for (const [table, sql] of absentQueries) {
    for (const row of sqlite.prepare(sql).iterate(packName) as IterableIterator<{ id: string; label: string }>) {
      if (!seen[table].has(row.id) && !packHas(pack, table, row.id)) note(table, row.id, row.label, 'absent', []);
    }
  }

  return { mode, tables: [...tables.values()], changed, changedTotal, keptUnpublished: keptUnpublishedOf(pack) };
}

function packHas(pack: ContentPack, table: DiffTableName, id: string): boolean {
  const records: ReadonlyArray<{ id: string }> =
    table === 'drill_questions' ? (pack.drill_pack?.questions ?? []) : pack[table];
  return records.some((r) => r.id === id);
}

/** The pack on its own under the publish rule (import applies it against the whole database). */
function keptUnpublishedOf(pack: ContentPack): PackDiff['keptUnpublished'] {
  const reasons = unpublishableSkills(pack.skills, pack.questions);
  const skills = pack.skills.filter((s) => s.is_published && reasons.has(s.id)).length;
  const publishedSkillDomains = new Set(pack.skills.filter((s) => s.is_published && !reasons.has(s.id)).map((s) => s.domain_id));
  const domains = pack.domains.filter((d) => d.is_published && !publishedSkillDomains.has(d.id)).length;
  return { domains, skills };
}

/** Skills the publish rule keeps as drafts (shared/content/publish-rule.ts): no published question. */
function unpublishableSkills(
  skills: ReadonlyArray<{ id: string }>,
  questions: ReadonlyArray<{ skill_id: string; is_published: boolean }>,
): Map<string, string> {
  const withPublished = new Set(questions.filter((q) => q.is_published).map((q) => q.skill_id));
  const reasons = new Map<string, string>();
  for (const skill of skills) {
    if (!withPublished.has(skill.id)) reasons.set(skill.id, UNPUBLISHABLE_SKILL);
  }
  return reasons;
}

export const UNPUBLISHABLE_SKILL =
  'It has no published question: the publish rule keeps a skill a draft until at least one of its questions is published.';

// ---------------------------------------------------------------------------------------------------------------
// Preview

/** The records a preview shows, in the pack file's own shape (lenient: a field may be missing or of the wrong type). */
interface PreviewRecords {
  domains: Json[];
  skills: Json[];
  questions: Json[];
  drill: { packId: string | null; metadata: Json; version: string; status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED'; questions: Json[] } | null;
}

function recordsOfDraft(draft: Draft): PreviewRecords {
  const raw = draft.raw;
  const drill = isObject(raw?.drill_pack) ? raw.drill_pack : null;
  return {
    domains: list(raw?.domains).filter(isObject),
    skills: list(raw?.skills).filter(isObject),
    questions: list(raw?.questions).filter(isObject),
    drill: drill
      ? {
          packId: null,
          metadata: isObject(drill.metadata) ? drill.metadata : {},
          version: text(drill.version) ?? '',
          status: 'DRAFT',
          questions: list(drill.questions).filter(isObject),
        }
      : null,
  };
}

const asBool = (value: unknown) => value === true || value === 1;
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

function packRow(sqlite: Sqlite, packId: string) {
  const row = sqlite
    .prepare(`SELECT id, name, version, drill_metadata, status FROM content_packs WHERE id = ? AND ${committed()}`)
    .get(packId) as { id: string; name: string; version: string; drill_metadata: string | null; status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED' } | undefined;
  if (row === undefined) throw new AppFailure('not_found', `No installed content pack has the id "${packId}".`, { packId });
  return row;
}

/** An installed pack's rows by provenance (drafts included), read back into the pack file's shape. */
function recordsOfPack(sqlite: Sqlite, packId: string): PreviewRecords {
  const pack = packRow(sqlite, packId);
  const rows = (sql: string, arg: string) => sqlite.prepare(sql).all(arg) as Json[];
  const where = `origin = 'pack' AND pack_name = ? AND ${committed()} ORDER BY sort_order, rowid`;
  const questions = rows(`SELECT * FROM questions WHERE ${where}`, pack.name).map((q) => ({
    ...q,
    payload: parsed(q.payload),
    explanation: q.explanation == null ? null : parsed(q.explanation),
  }));
  const metadata = pack.drill_metadata ? (JSON.parse(pack.drill_metadata) as Json) : null;
  return {
    domains: rows(`SELECT * FROM domains WHERE ${where}`, pack.name),
    skills: rows(`SELECT * FROM skills WHERE ${where}`, pack.name),
    questions,
    drill: metadata
      ? {
          packId: pack.id,
          metadata,
          version: text(metadata.version) ?? pack.version,
          status: pack.status,
          questions: rows('SELECT * FROM drill_questions WHERE pack_id = ? ORDER BY rowid', pack.id).map((q) => ({
            ...q,
            evaluation_criteria: parsed(q.evaluation_criteria),
          })),
        }
      : null,
  };
}

/** The one installed drill pack, for an export of all local content; null without one; refused with several. */
function soleDrillPack(sqlite: Sqlite): { id: string; drill_metadata: string } | null {
  const drillPacks = sqlite
    .prepare(`SELECT id, name, version, drill_metadata FROM content_packs WHERE drill_metadata IS NOT NULL AND ${committed()} ORDER BY imported_utc_ms, id`)
    .all() as Array<{ id: string; name: string; version: string; drill_metadata: string }>;
  if (drillPacks.length > 1) {
    throw new AppFailure(
      'invalid_input',
      `This device holds ${drillPacks.length} drill packs (${drillPacks.map((p) => `${p.name} ${p.version}`).join(', ')}) and a pack file holds one, ` +
        'so all local content cannot be exported in one file without leaving drill questions out. Export each pack on its own.',
    );
  }
  return drillPacks[0] ?? null;
}

function previewTreeOf(records: PreviewRecords): PreviewTree {
  const questionsBySkill = new Map<string, Json[]>();
  for (const q of records.questions) {
    const skillId = text(q.skill_id) ?? '';
    questionsBySkill.set(skillId, [...(questionsBySkill.get(skillId) ?? []), q]);
  }
  const skillShapes = records.skills.map((s) => ({ id: text(s.id) ?? '' }));
  const reasons = unpublishableSkills(
    skillShapes,
    records.questions.map((q) => ({ skill_id: text(q.skill_id) ?? '', is_published: asBool(q.is_published) })),
  );
  const domains = records.domains.map((d) => {
    const domainId = text(d.id) ?? '';
    return {
      id: domainId,
      slug: text(d.slug) ?? '',
      title: text(d.title) ?? '',
      published: asBool(d.is_published),
      skills: records.skills
        .filter((s) => s.domain_id === domainId)
        .map((s) => {
          const skillId = text(s.id) ?? '';
          return {
            id: skillId,
            slug: text(s.slug) ?? '',
            title: text(s.title) ?? '',
            description: text(s.description),
            published: asBool(s.is_published),
            unpublishableReason: reasons.get(skillId) ?? null,
            questions: (questionsBySkill.get(skillId) ?? []).map((q) => ({
              id: text(q.id) ?? '',
              slug: text(q.slug) ?? '',
              type: text(q.type) ?? '',
              published: asBool(q.is_published),
              prompt: text(isObject(q.payload) ? q.payload.prompt : null) ?? '',
            })),
          };
        }),
    };
  });
  const drill = records.drill;
  return {
    domains,
    drill: drill
      ? {
          packId: drill.packId,
          title: text(drill.metadata.title) ?? '',
          version: drill.version,
          status: drill.status,
          categories: list(drill.metadata.categories)
            .slice(0, Math.max(DRILL_CATEGORY_COUNT, list(drill.metadata.categories).length))
            .map((name) => ({
              name: String(name),
              questions: drill.questions
                .filter((q) => q.category === name)
                .map((q) => ({
                  id: text(q.id) ?? '',
                  prompt: text(q.prompt) ?? '',
                  expectedDurationS: typeof q.expected_duration_s === 'number' ? q.expected_duration_s : 0,
                  criteria: list(q.evaluation_criteria).filter((c): c is string => typeof c === 'string'),
                })),
            })),
        }
      : null,
  };
}

/** A question record as the practice runner would serve it, with "Show answer"'s solution; missing fields named. */
function previewQuestionOf(record: Json): PreviewQuestion & { stored: StoredQuestion | null } {
  const id = text(record.id) ?? '';
  const payload = isObject(record.payload) ? record.payload : null;
  const missing: string[] = [];
  const need = (field: string, ok: boolean) => {
    if (!ok) missing.push(field);
  };
  need('id', id !== '');
  need('payload', payload !== null);
  const type = record.type;
  let stored: StoredQuestion | null = null;
  if (type === 'mcq_single' && payload) {
    const choices = list(payload.choices);
    need('payload.prompt', typeof payload.prompt === 'string' && payload.prompt !== '');
    need('payload.choices', choices.length >= 2 && choices.every((c) => typeof c === 'string'));
    need('payload.solution_index', Number.isInteger(payload.solution_index) && (payload.solution_index as number) < choices.length);
    // The fields grading reads were checked just above.
    if (missing.length === 0) stored = { id, type, payload } as unknown as StoredQuestion;
  } else if (type === 'reorder_steps' && payload) {
    const steps = list(payload.steps);
    need('payload.steps', steps.length >= 2 && steps.every((c) => typeof c === 'string'));
    need('payload.solution', list(payload.solution).length === steps.length);
    if (missing.length === 0) stored = { id, type, payload } as unknown as StoredQuestion;
  } else if (type !== 'mcq_single' && type !== 'reorder_steps') {
    // A known type without a payload lacks only its payload (named above).
    need('type', false);
  }
  const explanation = isObject(record.explanation) && typeof record.explanation.body === 'string' ? (record.explanation as { body: string }) : null;
  if (explanation === null) missing.push('explanation');
  const validId = /^[0-9a-f-]{36}$/i.test(id);
  let served: PreviewQuestion['served'] = null;
  let solution: Answer | null = null;
  if (stored && validId) {
    if (stored.type === 'mcq_single') {
      served = { type: 'mcq_single', id, prompt: stored.payload.prompt, choices: stored.payload.choices };
      solution = { choice: stored.payload.solution_index };
    } else {
      const p = stored.payload;
      served = {
        type: 'reorder_steps',
        id,
        prompt: p.prompt ?? 'Put the steps in the right order.',
        steps: p.steps,
        initialOrder: startingOrder(p.steps.length, p.solution, `preview:${id}`),
      };
      solution = { order: [...p.solution] };
    }
  }
  return { id, slug: text(record.slug) ?? '', published: asBool(record.is_published), served, solution, explanation, missing, stored };
}

// ---------------------------------------------------------------------------------------------------------------
// The workspace

export interface InstalledCounts {
  domains: number;
  skills: number;
  questions: number;
  drillQuestions: number;
}

export function createContentWorkspace(sqlite: Sqlite) {
  const drafts = new Map<string, Draft>();

  /** A held draft; a file without errors gets its validated pack (defaults filled in) the first time. */
  const draftOf = (draftId: string): Draft => {
    const draft = drafts.get(draftId);
    if (!draft) {
      throw new AppFailure('not_found', `The opened file "${draftId}" is no longer held: open the pack file again.`, { draftId });
    }
    if (draft.report.ok && draft.report.pack === null) {
      const pack = packOf(draft.raw);
      draft.report = { ...draft.report, pack };
      draft.raw = pack as unknown as Json;
    }
    return draft;
  };
  const recordsOf = (source: PreviewSource): PreviewRecords =>
    source.kind === 'draft' ? recordsOfDraft(draftOf(source.draftId)) : recordsOfPack(sqlite, source.packId);
  const questionRecord = (source: PreviewSource, questionId: string): Json => {
    const records = recordsOf(source);
    const record = records.questions.find((q) => q.id === questionId);
    if (!record) throw new AppFailure('not_found', `No question "${questionId}" in this pack.`, { questionId });
    return record;
  };
  const countsOf = (name: string, packId: string): InstalledCounts => {
    const count = (table: string) =>
      sqlite.prepare(`SELECT COUNT(*) FROM ${table} WHERE origin = 'pack' AND pack_name = ? AND ${committed()}`).pluck().get(name) as number;
    return {
      domains: count('domains'),
      skills: count('skills'),
      questions: count('questions'),
      drillQuestions: sqlite.prepare('SELECT COUNT(*) FROM drill_questions WHERE pack_id = ?').pluck().get(packId) as number,
    };
  };

  /** Checks a pack file and keeps it as a draft: its report, every finding with the record it points at. */
  const check = (bytes: Buffer, fileName: string) => {
    // The file's own JSON (not parsed a second time: ~0.5 s for a 100k-question pack); its pack is built after the report.
    const { report, root } = checkPackFile(bytes, { deferPack: true });
    const raw: Json | null = isObject(root) ? root : null;
    const draft: Draft = { id: randomUUID(), fileName, report, raw };
    drafts.set(draft.id, draft);
    for (const old of drafts.keys()) {
      if (drafts.size <= MAX_DRAFTS) break;
      drafts.delete(old);
    }
    const header = isObject(raw?.pack) ? raw.pack : null;
    return {
      draftId: draft.id,
      pack: header ? { name: text(header.name) ?? '', version: text(header.version) ?? '', isDrillPack: isObject(raw?.drill_pack) } : null,
      report: buildReport(report, raw),
    };
  };
  const diff = (draftId: string, mode: ImportMode): PackDiff => {
    const draft = draftOf(draftId);
    if (!draft.report.pack) throw new AppFailure('content_invalid', 'The pack has errors: fix them before comparing or importing it.');
    return diffPack(sqlite, draft.report.pack, mode);
  };

  return {
    check,
    /** `check`, then what importing it in `mode` would change (null when the file has errors). */
    open(bytes: Buffer, fileName: string, mode: ImportMode) {
      const checked = check(bytes, fileName);
      return { ...checked, diff: checked.report.ok ? diff(checked.draftId, mode) : null };
    },
    draft: draftOf,
    diff,
    closeDraft(draftId: string): boolean {
      return drafts.delete(draftId);
    },
    previewTree(source: PreviewSource): PreviewTree {
      return previewTreeOf(recordsOf(source));
    },
    previewQuestion(source: PreviewSource, questionId: string): PreviewQuestion {
      const { stored: _stored, ...preview } = previewQuestionOf(questionRecord(source, questionId));
      return preview;
    },
    /** Grades like practice (practice/grading.ts) and writes nothing at all. */
    tryAnswer(source: PreviewSource, questionId: string, answer: Answer) {
      const preview = previewQuestionOf(questionRecord(source, questionId));
      if (!preview.stored) {
        throw new AppFailure('content_invalid', `This question cannot be answered: it lacks ${preview.missing.join(', ')}.`, {
          missing: preview.missing,
        });
      }
      const graded = grade(preview.stored, answer);
      return { isCorrect: graded.isCorrect, solution: graded.solution, explanation: preview.explanation };
    },
    packs(): InstalledPack[] {
      const rows = sqlite
        .prepare(
          `SELECT id, name, version, sha256, file_size, imported_utc_ms, import_mode, drill_metadata, status
           FROM content_packs WHERE ${committed()} ORDER BY imported_utc_ms DESC, id DESC`,
        )
        .all() as Array<{
        id: string;
        name: string;
        version: string;
        sha256: string;
        file_size: number;
        imported_utc_ms: number;
        import_mode: ImportMode;
        drill_metadata: string | null;
        status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED';
      }>;
      return rows.map((row) => ({
        id: row.id,
        name: row.name,
        version: row.version,
        sha256: row.sha256,
        fileSize: row.file_size,
        importedUtcMs: row.imported_utc_ms,
        importMode: row.import_mode,
        counts: countsOf(row.name, row.id),
        drill: row.drill_metadata
          ? { title: text((JSON.parse(row.drill_metadata) as Json).title) ?? row.name, status: row.status }
          : null,
      }));
    },
    /**
     * Removes an installed pack: its drill questions, the rows with its provenance (content/provenance.ts), then its
     * record, a chunk per step (each its own short transaction, so a learner's write is never held long). Attempts,
     * memory states and drill sessions keep their ids (soft links). Cut short, the record is still listed and removing
     * it again finishes.
     */
    *removeSteps(packId: string): Steps<InstalledCounts> {
      const pack = packRow(sqlite, packId);
      const removed = { domains: 0, skills: 0, questions: 0, drillQuestions: 0 };
      removed.drillQuestions = yield* deleteInChunks(sqlite, 'drill_questions', 'pack_id = ?', packId);
      // Content rows carry the pack's name: they go with the last installed version of that name.
      const samePackName = sqlite.prepare('SELECT COUNT(*) FROM content_packs WHERE name = ? AND id <> ?').pluck().get(pack.name, packId) as number;
      if (samePackName === 0) {
        const ofPack = `origin = 'pack' AND pack_name = ?`;
        removed.questions = yield* deleteInChunks(sqlite, 'questions', ofPack, pack.name);
        removed.skills = yield* deleteInChunks(sqlite, 'skills', ofPack, pack.name);
        removed.domains = yield* deleteInChunks(sqlite, 'domains', ofPack, pack.name);
      }
      sqlite.prepare('DELETE FROM content_packs WHERE id = ?').run(packId);
      return removed;
    },
    /**
     * One installed pack (by its provenance) or all local content as a pack file that validates and re-imports, drill
     * questions included: all local content carries the drill pack installed, and is refused, naming them, when there are
     * several (a pack file holds one drill pack; each exports on its own).
     */
    exportPack(packId: string | null) {
      const pack = packId === null ? null : packRow(sqlite, packId);
      const drillPack = pack ?? soleDrillPack(sqlite);
      // No parameter at all for every pack: better-sqlite3 counts `?1` as a named one and refuses a positional value.
      const where = pack ? `origin = 'pack' AND pack_name = ?` : `origin = 'pack'`;
      const args = pack ? [pack.name] : [];
      const order = 'ORDER BY sort_order, rowid';
      const rows = (table: string) =>
        sqlite.prepare(`SELECT * FROM ${table} WHERE ${where} AND ${committed()} ${order}`).all(...args) as Json[];
      const header = pack
        ? (sqlite.prepare('SELECT name, version, schema_version, description FROM content_packs WHERE id = ?').get(pack.id) as Json)
        : { name: 'local-content', version: '1.0.0', schema_version: '1', description: 'All local content of this device.' };
      const file: ContentPackInput = {
        pack: {
          name: String(header.name),
          version: String(header.version),
          schema_version: String(header.schema_version),
          ...(typeof header.description === 'string' ? { description: header.description } : {}),
        },
        domains: rows('domains').map((d) => ({
          id: String(d.id),
          slug: String(d.slug),
          title: String(d.title),
          sort_order: Number(d.sort_order),
          is_published: asBool(d.is_published),
          created_utc_ms: Number(d.created_utc_ms),
          updated_utc_ms: Number(d.updated_utc_ms),
        })),
        skills: rows('skills').map((s) => ({
          id: String(s.id),
          domain_id: String(s.domain_id),
          slug: String(s.slug),
          title: String(s.title),
          description: text(s.description),
          sort_order: Number(s.sort_order),
          is_published: asBool(s.is_published),
          created_utc_ms: Number(s.created_utc_ms),
          updated_utc_ms: Number(s.updated_utc_ms),
        })),
        questions: rows('questions').map(
          (q) =>
            ({
              id: String(q.id),
              skill_id: String(q.skill_id),
              slug: String(q.slug),
              type: q.type,
              payload: parsed(q.payload),
              explanation: q.explanation == null ? null : parsed(q.explanation),
              sort_order: Number(q.sort_order),
              is_published: asBool(q.is_published),
              created_utc_ms: Number(q.created_utc_ms),
              updated_utc_ms: Number(q.updated_utc_ms),
            }) as ContentPackInput['questions'][number],
        ),
      };
      if (drillPack?.drill_metadata) {
        const { version, ...metadata } = JSON.parse(drillPack.drill_metadata) as Json;
        file.drill_pack = {
          version: String(version),
          metadata: metadata as NonNullable<ContentPackInput['drill_pack']>['metadata'],
          questions: (sqlite.prepare('SELECT * FROM drill_questions WHERE pack_id = ? ORDER BY rowid').all(drillPack.id) as Json[]).map((q) => ({
            id: String(q.id),
            category: String(q.category),
            prompt: String(q.prompt),
            expected_duration_s: Number(q.expected_duration_s),
            evaluation_criteria: parsed(q.evaluation_criteria) as string[],
          })),
        };
      }
      const body = `${JSON.stringify(file, null, 2)}\n`;
      const bytes = Buffer.from(body, 'utf8');
      const safeName = String(header.name).replace(/[^A-Za-z0-9._-]+/g, '-');
      return {
        fileName: `${safeName}-${String(header.version)}.json`,
        text: body,
        sha256: createHash('sha256').update(bytes).digest('hex'),
        byteLength: bytes.byteLength,
      };
    },
  };
}

export type ContentWorkspace = ReturnType<typeof createContentWorkspace>;
