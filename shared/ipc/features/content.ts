/**
 * The content feature: content packs imported from the learner's or instructor's machine, the instructor workspace
 * (open a file → report and diff → preview → import after confirming; installed packs: preview, export, remove,
 * drill pack status; publish to the server), and content change events.
 */
import { z } from 'zod';
import { findingSchema } from '../../content/findings';
import { defineFeature } from '../define';
import { id, none, utcMs } from './common';
import { answerSchema, explanationSchema, servedQuestionSchema } from './practice';

/** The largest pack an upload may carry; equal to core's MAX_PACK_BYTES (a test keeps them equal). */
export const contentPackUploadLimit = 64 * 1024 * 1024;

export const importModeSchema = z.enum(['append', 'override']);
const count = z.number().int().nonnegative();

/** Per table; override mode's updated, replaced and unchanged are counted as its diff counts them. */
const importCountsSchema = z.object({ inserted: count, updated: count, replaced: count, unchanged: count, skipped: count });

export const importSummarySchema = z.object({
  packId: id,
  pack: z.object({ name: z.string(), version: z.string(), sha256: z.string(), byteLength: count }),
  mode: importModeSchema,
  counts: z.object({
    domains: importCountsSchema,
    skills: importCountsSchema,
    questions: importCountsSchema,
    drillQuestions: importCountsSchema,
  }),
  keptUnpublished: z.object({ domains: count, skills: count }),
  warnings: z.array(findingSchema),
});

/** Where an import is: the upload arrived, the pack was checked, the rows are being written (`written` of `total`). */
export const importProgressSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('received'), bytes: count }),
  z.object({ phase: z.literal('validated'), warningCount: count, questionCount: count }),
  z.object({ phase: z.literal('importing'), written: count.optional(), total: count.optional() }),
]);

export type ImportSummary = z.infer<typeof importSummarySchema>;
export type ImportProgress = z.infer<typeof importProgressSchema>;

// ---------------------------------------------------------------------------------------------------------------
// The instructor workspace

/** The content tables a pack writes, as the diff and findings name them. */
export const contentTableSchema = z.enum(['pack', 'domains', 'skills', 'questions', 'drill_questions']);
export type ContentTable = z.infer<typeof contentTableSchema>;

/** The record a finding (or a diff line) points at: its table, its id in the file, and a readable label (title or slug). */
export const recordRefSchema = z.object({
  table: contentTableSchema,
  /** Index of the record in its list in the file (`questions[2]` → 2); null for the pack header. */
  index: z.number().int().nonnegative().nullable(),
  /** The record's id as written in the file, when it has a readable one. */
  id: z.string().nullable(),
  /** Title (domain, skill, drill category) or slug (question), else the path. */
  label: z.string(),
});
export type RecordRef = z.infer<typeof recordRefSchema>;

export const severitySchema = z.enum(['error', 'warning']);
/** One finding of the report: validate --json's finding plus its severity and the record it points at. */
export const reportFindingSchema = findingSchema.extend({ severity: severitySchema, record: recordRefSchema.nullable() });
export type ReportFinding = z.infer<typeof reportFindingSchema>;

/** The validation report of an opened file: `errors`/`warnings` keep validate --json's shape (plus the two fields). */
export const packReportSchema = z.object({
  ok: z.boolean(),
  errors: z.array(reportFindingSchema),
  warnings: z.array(reportFindingSchema),
  summary: z.object({
    errors: count,
    warnings: count,
    domains: count,
    skills: count,
    questions: count,
    drillQuestions: count,
    byteLength: count,
    sha256: z.string(),
  }),
});
export type PackReport = z.infer<typeof packReportSchema>;

export const diffTableSchema = z.object({
  table: z.enum(['domains', 'skills', 'questions', 'drill_questions']),
  /** In the file, not in the database. */
  added: count,
  /** In both under this pack's provenance, with fields that change (override mode only). */
  updated: count,
  /** In both and identical; in append mode also every existing record (append leaves it as it is). */
  unchanged: count,
  /** Override mode: a record the server or another pack provided, which this pack would overwrite. */
  replaced: count,
  /** Installed from an earlier version of this pack but no longer in the file: kept (remove the pack to drop it). */
  absent: count,
});
export const changedRecordSchema = z.object({
  /** Unique in the list: `table:id`. */
  key: z.string(),
  table: diffTableSchema.shape.table,
  id: z.string(),
  label: z.string(),
  change: z.enum(['added', 'updated', 'replaced', 'absent']),
  /** The fields whose value changes (empty for added and absent). */
  fields: z.array(z.string()),
});
export const packDiffSchema = z.object({
  mode: importModeSchema,
  tables: z.array(diffTableSchema),
  /** The changed records, at most `changedLimit`; `changedTotal` counts them all. */
  changed: z.array(changedRecordSchema),
  changedTotal: count,
  /** Skills and domains marked published that the publish rule would keep as drafts (no published child). */
  keptUnpublished: z.object({ domains: count, skills: count }),
});
export type PackDiff = z.infer<typeof packDiffSchema>;
export type ChangedRecord = z.infer<typeof changedRecordSchema>;

/** An opened file held in core's memory (for preview, diff in another mode, and import without re-uploading). */
export const draftIdSchema = z.string().min(1).max(64);

/** A checked file: its draft id, header and report (the diff comes after). */
const checkedPackSchema = z.object({
  draftId: draftIdSchema,
  /** The pack's name and version from its header; null when the header is unreadable. */
  pack: z.object({ name: z.string(), version: z.string(), isDrillPack: z.boolean() }).nullable(),
  report: packReportSchema,
});
export const openProgressSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('received'), bytes: count }),
  z.object({ phase: z.literal('validating') }),
  z.object({ phase: z.literal('validated'), errorCount: count, warningCount: count, questionCount: count }),
  /** The report as soon as the file is checked, so the screen shows it while the diff is computed. */
  checkedPackSchema.extend({ phase: z.literal('report') }),
  z.object({ phase: z.literal('comparing') }),
]);
export type OpenProgress = z.infer<typeof openProgressSchema>;
export const openedPackSchema = checkedPackSchema.extend({
  /** What importing it in the requested mode would change; null when the file has errors (it cannot be imported). */
  diff: packDiffSchema.nullable(),
});
export type OpenedPack = z.infer<typeof openedPackSchema>;

/** What to preview: an opened file (by draftId) or an installed pack (by its content_packs id). */
export const previewSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('draft'), draftId: draftIdSchema }).strict(),
  z.object({ kind: z.literal('pack'), packId: id }).strict(),
]);
export type PreviewSource = z.infer<typeof previewSourceSchema>;

export const drillPackStatusSchema = z.enum(['DRAFT', 'ACTIVE', 'ARCHIVED']);

/** The preview's tree: domains → skills → question summaries (drafts included), and a drill pack's categories. */
export const previewTreeSchema = z.object({
  domains: z.array(
    z.object({
      id: z.string(),
      slug: z.string(),
      title: z.string(),
      published: z.boolean(),
      skills: z.array(
        z.object({
          id: z.string(),
          slug: z.string(),
          title: z.string(),
          description: z.string().nullable(),
          published: z.boolean(),
          /** Why the publish rule keeps this skill a draft (e.g. no published question); null when it can be published. */
          unpublishableReason: z.string().nullable(),
          questions: z.array(
            z.object({ id: z.string(), slug: z.string(), type: z.string(), published: z.boolean(), prompt: z.string() }),
          ),
        }),
      ),
    }),
  ),
  drill: z
    .object({
      /** content_packs id; null for a file not imported yet. */
      packId: id.nullable(),
      title: z.string(),
      version: z.string(),
      status: drillPackStatusSchema,
      categories: z.array(
        z.object({
          name: z.string(),
          questions: z.array(
            z.object({ id: z.string(), prompt: z.string(), expectedDurationS: z.number(), criteria: z.array(z.string()) }),
          ),
        }),
      ),
    })
    .nullable(),
});
export type PreviewTree = z.infer<typeof previewTreeSchema>;

/**
 * One question as the practice runner would serve it (`served`, null when its payload cannot be served) with its
 * solution and explanation for "Show answer"; `missing` names fields the record lacks (shown as missing, never blank).
 */
export const previewQuestionSchema = z.object({
  id: z.string(),
  slug: z.string(),
  published: z.boolean(),
  served: servedQuestionSchema.nullable(),
  solution: answerSchema.nullable(),
  explanation: explanationSchema,
  missing: z.array(z.string()),
});
export type PreviewQuestion = z.infer<typeof previewQuestionSchema>;

export const installedPackSchema = z.object({
  id,
  name: z.string(),
  version: z.string(),
  sha256: z.string(),
  fileSize: count,
  importedUtcMs: utcMs,
  importMode: importModeSchema,
  /** Rows that still carry this pack's provenance (a later pack of the same name shares them). */
  counts: z.object({ domains: count, skills: count, questions: count, drillQuestions: count }),
  drill: z.object({ title: z.string(), status: drillPackStatusSchema }).nullable(),
});
export type InstalledPack = z.infer<typeof installedPackSchema>;

export const exportDoneSchema = z.object({
  fileName: z.string(),
  /** The pack file (JSON text, UTF-8). */
  text: z.string(),
  sha256: z.string(),
  byteLength: count,
});

export const publishDiffSchema = z.object({
  pack: z.object({ name: z.string(), version: z.string(), sha256: z.string(), byteLength: count }),
  /** Per table, rows the server lacks (inserted), has with other values (updated), has identical, or keeps as drafts. */
  tables: z.array(
    z.object({ table: z.enum(['domains', 'skills', 'questions']), inserted: count, updated: count, unchanged: count, drafts: count }),
  ),
  /** Set when the server already has this name and version with another checksum: publishing is refused with this. */
  refusal: z.string().nullable(),
});
export type PublishDiff = z.infer<typeof publishDiffSchema>;

export const publishProgressSchema = z.object({ table: z.string(), written: count, total: count });
export const publishDoneSchema = z.object({
  pack: publishDiffSchema.shape.pack,
  counts: z.object({ domains: count, skills: count, questions: count }),
  keptUnpublished: z.object({ domains: count, skills: count }),
});

/** Which pack publishing means: an installed pack (its stored file), or an opened file. */
const publishSourceSchema = previewSourceSchema;

export const contentContract = defineFeature({
  channels: {
    /** The installed local packs, newest first. */
    'content:packs': { input: none, output: z.array(installedPackSchema) },
    /** The diff of an opened file in another mode (open computes it for the mode it was asked). */
    'content:diff': { input: z.object({ draftId: draftIdSchema, mode: importModeSchema }).strict(), output: packDiffSchema },
    /** Forgets an opened file (core keeps only the latest few anyway). */
    'content:closeDraft': { input: z.object({ draftId: draftIdSchema }).strict(), output: z.object({ closed: z.boolean() }) },
    'content:previewTree': { input: z.object({ source: previewSourceSchema }).strict(), output: previewTreeSchema },
    'content:previewQuestion': {
      input: z.object({ source: previewSourceSchema, questionId: z.string() }).strict(),
      output: previewQuestionSchema,
    },
    /** Grades like practice and records nothing: no attempt, no outbox row, no XP. */
    'content:tryAnswer': {
      input: z.object({ source: previewSourceSchema, questionId: z.string(), answer: answerSchema }).strict(),
      output: z.object({ isCorrect: z.boolean(), solution: answerSchema, explanation: explanationSchema }),
    },
    /** Removes an installed pack's content (by provenance) and its record; learners' attempts stay as soft links. */
    'content:remove': {
      input: z.object({ packId: id }).strict(),
      output: z.object({ removed: z.object({ domains: count, skills: count, questions: count, drillQuestions: count }) }),
    },
    'content:drillPackStatus': {
      input: z.object({ packId: id, status: z.enum(['ACTIVE', 'ARCHIVED']) }).strict(),
      output: z.object({ packId: id, status: drillPackStatusSchema }),
    },
    /** Whether the signed-in account may publish (the server's content editor role); false offline or signed out. */
    'content:editorStatus': {
      input: none,
      output: z.object({ isContentEditor: z.boolean(), signedIn: z.boolean(), reason: z.string().nullable() }),
    },
    /** What publishing would do on the server (needs a signed-in content editor). */
    'content:publishDiff': { input: z.object({ source: publishSourceSchema }).strict(), output: publishDiffSchema },
  },
  streams: {
    /** Uploads a pack, validates it, imports it; cancel before the write leaves the database untouched. */
    'content:import': {
      input: z.object({ mode: importModeSchema }).strict(),
      chunk: importProgressSchema,
      done: importSummarySchema,
      upload: { maxBytes: contentPackUploadLimit },
    },
    /** Uploads a pack file and checks it off the request path: its report and the diff for `mode`; imports nothing. */
    'content:open': {
      input: z.object({ mode: importModeSchema, fileName: z.string().max(500).optional() }).strict(),
      chunk: openProgressSchema,
      done: openedPackSchema,
      upload: { maxBytes: contentPackUploadLimit },
    },
    /** Imports an opened file (after the instructor confirmed): pending rows, one final commit; cancel leaves nothing. */
    'content:importDraft': {
      input: z.object({ draftId: draftIdSchema, mode: importModeSchema }).strict(),
      chunk: importProgressSchema,
      done: importSummarySchema,
    },
    /** One installed pack (packId) or all local content (packId null) as a pack file, with its SHA-256. */
    'content:export': {
      input: z.object({ packId: id.nullable() }).strict(),
      chunk: z.object({ phase: z.literal('reading'), rows: count }),
      done: exportDoneSchema,
    },
    'content:publish': {
      input: z.object({ source: publishSourceSchema }).strict(),
      chunk: publishProgressSchema,
      done: publishDoneSchema,
    },
  },
  events: {
    'content:updated': z.object({ questionCount: count, contentVersion: z.number().int().nullable() }),
  },
});
