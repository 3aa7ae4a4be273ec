/**
 * The content pack format, defined once: the zod shape of every record, the slug rule and its
 * suggested fix. Rules that span records (unique ids and slugs, references) live in the validator.
 */
import { z } from 'zod';
import { rubricSchema } from '../drills/evaluation';
import { explanationSchema, questionTypeSchema } from '../ipc/contract';
import { isPermutation } from '../permutation';

/** The data-model seed's slug rule, for domains, skills and questions alike. */
export const SLUG_PATTERN = /^[a-z0-9_]+$/;
/** semver.org's own pattern (no leading "v"). */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** The major pack schema version this build reads: written "1" or as any semantic version "1.x.y". */
export const PACK_SCHEMA_MAJOR = 1;
const readableSchemaVersions = `"${PACK_SCHEMA_MAJOR}" and every "${PACK_SCHEMA_MAJOR}.x.y" (such as "${PACK_SCHEMA_MAJOR}.0.0")`;

/** The major version `version` names ("1" or semver "1.2.0" → 1), or null when it is neither form. */
export function schemaMajor(version: string): number | null {
  if (/^(0|[1-9]\d{0,8})$/.test(version)) return Number(version);
  const semver = SEMVER_PATTERN.exec(version);
  return semver ? Number(semver[1]) : null;
}

/**
 * Limits on what one pack may hold, generous for real content (a long prompt is a few thousand characters, a question
 * a handful of choices), so a broken or hostile file cannot fill the disk or freeze the app. Documented in
 * shared/content/README.md and the content command's help; each breach is a finding at its path.
 */
export const PACK_LIMITS = {
  /** Characters in a name, title, slug, category or version. */
  titleChars: 500,
  /** Characters in a prompt, description, choice, step, explanation body or evaluation criterion. */
  textChars: 50_000,
  /** Choices of a multiple-choice question, steps of a reorder question, criteria of a drill question. */
  listItems: 100,
  /** Levels of objects and arrays anywhere in the file: a record's own fields need 5; an explanation may nest more. */
  depth: 32,
} as const;
/** A response drill pack has exactly this many scoring categories (response-drills seed). */
export const DRILL_CATEGORY_COUNT = 7;

export const questionTypes = questionTypeSchema.options;
export type QuestionType = (typeof questionTypes)[number];

/**
 * A valid slug close to `raw`: "Linear-Equations" → "linear_equations", "Café au lait" → "cafe_au_lait".
 * Never empty, so it can always be offered as a fix.
 */
export function suggestSlug(raw: string): string {
  const slug = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_+|_+$/g, '');
  return slug === '' ? 'item' : slug;
}

/**
 * Adds an issue that the validator reports under our own finding code (zod's codes are too coarse
 * to tell a bad slug from a bad solution).
 */
function addCodedIssue(
  ctx: z.RefinementCtx,
  code: string,
  message: string,
  path: PropertyKey[] = [],
  suggestion?: string,
): void {
  ctx.addIssue({ code: 'custom', message, path, params: suggestion === undefined ? { code } : { code, suggestion } });
}

/** A string of at most titleChars; `abort` so the rule checks after it never run on (or quote) an oversized value. */
function shortString() {
  return z.string().max(PACK_LIMITS.titleChars, { abort: true });
}

export const slugSchema = shortString().superRefine((slug, ctx) => {
  if (!SLUG_PATTERN.test(slug)) {
    const suggestion = suggestSlug(slug);
    addCodedIssue(
      ctx,
      'invalid_slug',
      `"${slug}" is not a valid slug: use only lowercase letters, digits and underscores (try "${suggestion}")`,
      [],
      suggestion,
    );
  }
});

export const semverSchema = shortString().superRefine((version, ctx) => {
  if (!SEMVER_PATTERN.test(version)) {
    addCodedIssue(ctx, 'invalid_version', `"${version}" is not a semantic version such as "1.2.0"`);
  }
});

const id = z.uuid();
const utcMs = z.number().int().nonnegative();
const title = z.string().min(1).max(PACK_LIMITS.titleChars);
const text = z.string().min(1).max(PACK_LIMITS.textChars);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(PACK_LIMITS.listItems);
// Defaults are the data-model seed's column defaults, so records shaped like its samples are accepted.
const sortOrder = z.number().int().default(0);
const isPublished = z.boolean().default(false);
const timestamps = { created_utc_ms: utcMs.default(0), updated_utc_ms: utcMs.default(0) };

export const packHeaderSchema = z.object({
  name: title,
  version: semverSchema,
  schema_version: shortString().superRefine((version, ctx) => {
      const major = schemaMajor(version);
      if (major === PACK_SCHEMA_MAJOR) return;
      const why =
        major !== null && major > PACK_SCHEMA_MAJOR
          ? `is newer than this build reads: update the app to import this pack`
          : 'is not one this build reads';
      addCodedIssue(
        ctx,
        'unsupported_schema_version',
        `schema_version "${version}" ${why}. This build reads schema_version ${readableSchemaVersions}.`,
      );
    }),
  description: z.string().max(PACK_LIMITS.textChars).optional(),
});

export const packDomainSchema = z.object({
  id,
  slug: slugSchema,
  title,
  sort_order: sortOrder,
  is_published: isPublished,
  ...timestamps,
});

export const packSkillSchema = z.object({
  id,
  domain_id: id,
  slug: slugSchema,
  title,
  description: z.string().max(PACK_LIMITS.textChars).nullable().optional(),
  sort_order: sortOrder,
  is_published: isPublished,
  ...timestamps,
});

export const mcqPayloadSchema = z
  .object({
    prompt: text,
    choices: list(text).min(2),
    solution_index: z.number().int(),
  })
  .superRefine((payload, ctx) => {
    const last = payload.choices.length - 1;
    if (payload.solution_index < 0 || payload.solution_index > last) {
      addCodedIssue(
        ctx,
        'solution_index_out_of_range',
        `solution_index ${payload.solution_index} is out of range: there are ${payload.choices.length} choices (0 to ${last})`,
        ['solution_index'],
      );
    }
  });

export const reorderPayloadSchema = z
  .object({
    prompt: text.optional(),
    steps: list(text).min(2),
    /** The indices of `steps` in the correct order. */
    solution: list(z.number().int()),
  })
  .superRefine((payload, ctx) => {
    if (!isPermutation(payload.solution, payload.steps.length)) {
      addCodedIssue(
        ctx,
        'solution_not_permutation',
        `solution [${payload.solution.join(', ')}] must list each step index 0 to ${payload.steps.length - 1} exactly once`,
        ['solution'],
      );
    }
  });

/** Fields every question has, whatever its type. */
export const questionCommonSchema = z.object({
  id,
  skill_id: id,
  slug: slugSchema,
  // The learner's explanation shape, with the pack's limit on its body; other fields are kept as given.
  explanation: explanationSchema.unwrap().extend({ body: z.string().max(PACK_LIMITS.textChars) }).nullable().optional(),
  sort_order: sortOrder,
  is_published: isPublished,
  ...timestamps,
});

export const mcqQuestionSchema = questionCommonSchema.extend({
  type: z.literal('mcq_single'),
  payload: mcqPayloadSchema,
});
export const reorderQuestionSchema = questionCommonSchema.extend({
  type: z.literal('reorder_steps'),
  payload: reorderPayloadSchema,
});
export const packQuestionSchema = z.discriminatedUnion('type', [mcqQuestionSchema, reorderQuestionSchema]);
export const questionSchemaByType = {
  mcq_single: mcqQuestionSchema,
  reorder_steps: reorderQuestionSchema,
} as const satisfies Record<QuestionType, unknown>;
export const payloadSchemaByType = {
  mcq_single: mcqPayloadSchema,
  reorder_steps: reorderPayloadSchema,
} as const satisfies Record<QuestionType, unknown>;

export const drillQuestionSchema = z.object({
  id: z.string().min(1).max(200),
  category: title,
  prompt: text,
  expected_duration_s: z.number().int().positive(),
  evaluation_criteria: list(text).min(1),
});

export const drillMetadataSchema = z
  .object({
    title,
    description: z.string().max(PACK_LIMITS.textChars),
    categories: list(title),
    /** The pack's own rubric of 7 dimensions (shared/drills/evaluation.ts); the built-in one when absent. */
    rubric: rubricSchema.optional(),
  })
  .superRefine((metadata, ctx) => {
    if (metadata.categories.length !== DRILL_CATEGORY_COUNT) {
      addCodedIssue(
        ctx,
        'categories_count',
        `categories must name exactly ${DRILL_CATEGORY_COUNT} categories, found ${metadata.categories.length}`,
        ['categories'],
      );
    }
    const firstAt = new Map<string, number>();
    metadata.categories.forEach((category, index) => {
      const first = firstAt.get(category);
      if (first === undefined) firstAt.set(category, index);
      else {
        addCodedIssue(ctx, 'duplicate_category', `category "${category}" is already listed at categories[${first}]`, [
          'categories',
          index,
        ]);
      }
    });
  });

export const drillPackSchema = z
  .object({
    version: semverSchema,
    metadata: drillMetadataSchema,
    questions: z.array(drillQuestionSchema),
  })
  .superRefine((drill, ctx) => {
    const categories = new Set(drill.metadata.categories);
    const firstAt = new Map<string, number>();
    drill.questions.forEach((question, index) => {
      if (!categories.has(question.category)) {
        addCodedIssue(
          ctx,
          'unknown_category',
          `category "${question.category}" is not one of the pack's categories (${drill.metadata.categories.join(', ')})`,
          ['questions', index, 'category'],
        );
      }
      const first = firstAt.get(question.id);
      if (first === undefined) firstAt.set(question.id, index);
      else {
        addCodedIssue(ctx, 'duplicate_id', `id "${question.id}" is already used by questions[${first}]`, [
          'questions',
          index,
          'id',
        ]);
      }
    });
  });

/**
 * The whole file. Its shape only: a file that parses here may still break the cross-record rules
 * (unique ids and scoped slugs, resolvable references), which `validatePackText` checks.
 */
export const contentPackSchema = z.object({
  pack: packHeaderSchema,
  domains: z.array(packDomainSchema),
  skills: z.array(packSkillSchema),
  questions: z.array(packQuestionSchema),
  drill_pack: drillPackSchema.optional(),
});

export type PackHeader = z.output<typeof packHeaderSchema>;
export type PackDomain = z.output<typeof packDomainSchema>;
export type PackSkill = z.output<typeof packSkillSchema>;
export type PackQuestion = z.output<typeof packQuestionSchema>;
export type McqPayload = z.output<typeof mcqPayloadSchema>;
export type ReorderPayload = z.output<typeof reorderPayloadSchema>;
export type DrillQuestion = z.output<typeof drillQuestionSchema>;
export type DrillPack = z.output<typeof drillPackSchema>;
export type ContentPack = z.output<typeof contentPackSchema>;
/** A pack as an author writes it: defaults (sort_order, is_published, timestamps) may be left out. */
export type ContentPackInput = z.input<typeof contentPackSchema>;
