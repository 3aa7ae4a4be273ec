/**
 * What a drill evaluation is, defined once: the rubric of 7 dimensions every response is scored on, a pack's own
 * rubric (`drill_pack.metadata.rubric`), and the evaluation both evaluators (local rules, AI provider) return.
 * No Node imports: the renderer imports the types. The measures and the prompt's limits are the edge function's too
 * (supabase/functions/_shared/evaluate-protocol.ts).
 */
import { z } from 'zod';
import { EVALUATOR_MEASURES, MAX_DIMENSION_NAME_CHARS, MAX_WHAT_CHANGED } from '../../supabase/functions/_shared/evaluate-protocol';

export { MAX_WHAT_CHANGED };
/** The observable measures the local evaluator makes; every rubric dimension is tied to exactly one. */
export const rubricMeasures = EVALUATOR_MEASURES;
export type RubricMeasure = (typeof rubricMeasures)[number];
/** Every evaluation scores exactly this many dimensions (the seed's "exactly 7 categories"). */
export const RUBRIC_DIMENSION_COUNT = 7;
export const drillVerdicts = ['PASS', 'FLAG'] as const;
export type DrillVerdict = (typeof drillVerdicts)[number];

/**
 * A zod issue the content validator reports under `code` (a FindingCode) with an optional suggested fix; the same
 * convention as shared/content/pack.ts.
 */
function codedIssue(ctx: z.RefinementCtx, code: string, message: string, path: PropertyKey[], suggestion?: string): void {
  ctx.addIssue({ code: 'custom', message, path, params: suggestion === undefined ? { code } : { code, suggestion } });
}

const dimensionName = z.string().trim().min(1).max(MAX_DIMENSION_NAME_CHARS);

export const rubricDimensionSchema = z.object({
  name: dimensionName,
  measure: z.enum(rubricMeasures),
});

/**
 * A pack's rubric: exactly 7 dimensions with unique names, each tied to a different measure, so a pack renames and
 * reorders the built-in dimensions but every measure is still scored once.
 */
export const rubricSchema = z
  .object({
    version: z.string().trim().min(1).max(100),
    dimensions: z.array(rubricDimensionSchema),
  })
  .superRefine((rubric, ctx) => {
    if (rubric.dimensions.length !== RUBRIC_DIMENSION_COUNT) {
      const missing = rubricMeasures.filter((measure) => !rubric.dimensions.some((d) => d.measure === measure));
      codedIssue(
        ctx,
        'rubric_dimension_count',
        `a rubric names exactly ${RUBRIC_DIMENSION_COUNT} dimensions, one per measure (${rubricMeasures.join(', ')}); found ${rubric.dimensions.length}`,
        ['dimensions'],
        missing.length > 0 ? `Add a dimension for: ${missing.join(', ')}.` : 'Keep one dimension per measure.',
      );
    }
    const nameAt = new Map<string, number>();
    const measureAt = new Map<RubricMeasure, number>();
    rubric.dimensions.forEach((dimension, index) => {
      const key = dimension.name.toLowerCase();
      const firstName = nameAt.get(key);
      if (firstName === undefined) nameAt.set(key, index);
      else {
        codedIssue(
          ctx,
          'duplicate_rubric_name',
          `dimension name "${dimension.name}" is already used by dimensions[${firstName}] (names are compared ignoring case)`,
          ['dimensions', index, 'name'],
          'Give each dimension its own name.',
        );
      }
      const firstMeasure = measureAt.get(dimension.measure);
      if (firstMeasure === undefined) measureAt.set(dimension.measure, index);
      else {
        const unused = rubricMeasures.filter((measure) => !rubric.dimensions.some((d) => d.measure === measure));
        codedIssue(
          ctx,
          'duplicate_rubric_measure',
          `measure "${dimension.measure}" is already scored by dimensions[${firstMeasure}]; each measure is scored once`,
          ['dimensions', index, 'measure'],
          unused.length > 0 ? `Use a measure no other dimension uses: ${unused.join(', ')}.` : undefined,
        );
      }
    });
  });
export type Rubric = z.output<typeof rubricSchema>;
export type RubricDimension = z.output<typeof rubricDimensionSchema>;

/** The rubric used when a pack defines none. */
export const BUILTIN_RUBRIC: Rubric = {
  version: 'builtin-1',
  dimensions: [
    { name: 'Pace', measure: 'pace' },
    { name: 'Fillers and hedging', measure: 'fillers' },
    { name: 'Structure', measure: 'structure' },
    { name: 'Specificity', measure: 'specificity' },
    { name: 'Relevance', measure: 'relevance' },
    { name: 'Length', measure: 'length' },
    { name: 'Result', measure: 'result' },
  ],
};

export const drillCategoryResultSchema = z.object({
  /** The rubric dimension's name. */
  name: dimensionName,
  measure: z.enum(rubricMeasures),
  verdict: z.enum(drillVerdicts),
  /** What was observed, quoting the response. */
  note: z.string().trim().min(1).max(2000),
  /** Exact excerpts of the response the verdict rests on (may be empty when the point is that something is absent). */
  evidence: z.array(z.string().min(1).max(2000)).max(20),
});
export type DrillCategoryResult = z.output<typeof drillCategoryResultSchema>;

export const drillEvaluationSchema = z
  .object({
    /** Seconds spoken (measured), or estimated from the word count for a written answer. */
    durationS: z.number().positive(),
    durationEstimated: z.boolean(),
    words: z.number().int().nonnegative(),
    wpm: z.number().nonnegative(),
    overallScore: z.number().int().min(0).max(100),
    categories: z.array(drillCategoryResultSchema).length(RUBRIC_DIMENSION_COUNT),
    /** Suggestions, most impact first. */
    whatChanged: z.array(z.string().trim().min(1).max(500)).max(MAX_WHAT_CHANGED),
    practiceRule: z.string().trim().min(1).max(500),
    /** `localModelUsed(version)` (evaluator-name.ts) or the provider's model name. */
    modelUsed: z.string().min(1).max(200),
    rubric: z.object({ version: z.string().min(1).max(100), names: z.array(dimensionName).length(RUBRIC_DIMENSION_COUNT) }),
  })
  .superRefine((evaluation, ctx) => {
    const seen = new Set<string>();
    evaluation.categories.forEach((category, index) => {
      if (seen.has(category.name)) {
        ctx.addIssue({ code: 'custom', message: `category "${category.name}" appears twice`, path: ['categories', index, 'name'] });
      }
      seen.add(category.name);
      if (evaluation.rubric.names[index] !== category.name) {
        ctx.addIssue({
          code: 'custom',
          message: `categories[${index}] is "${category.name}" but the rubric's dimension ${index + 1} is "${evaluation.rubric.names[index] ?? '(none)'}"`,
          path: ['categories', index, 'name'],
        });
      }
    });
  });
export type DrillEvaluation = z.output<typeof drillEvaluationSchema>;

/** The rubric's record inside an evaluation. */
export function rubricRecord(rubric: Rubric): DrillEvaluation['rubric'] {
  return { version: rubric.version, names: rubric.dimensions.map((dimension) => dimension.name) };
}
