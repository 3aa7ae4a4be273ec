/** A validation finding: one problem in a content pack, located by its path in the file. */
import { z } from 'zod';

export const findingCodes = [
  'invalid_json',
  'invalid_encoding',
  'too_large',
  'too_deep',
  'required',
  'wrong_type',
  'too_small',
  'too_big',
  'invalid_value',
  'invalid_uuid',
  'invalid_slug',
  'invalid_version',
  'unsupported_schema_version',
  'duplicate_id',
  'duplicate_slug',
  'dangling_reference',
  'unknown_question_type',
  'solution_index_out_of_range',
  'solution_not_permutation',
  'categories_count',
  'duplicate_category',
  'unknown_category',
  'rubric_dimension_count',
  'duplicate_rubric_name',
  'duplicate_rubric_measure',
  'unknown_field',
  'missing_explanation',
  'skill_without_questions',
  'domain_without_skills',
  'too_many_findings',
] as const;
export type FindingCode = (typeof findingCodes)[number];

export const findingSchema = z.object({
  /** Where in the file, e.g. `questions[2].payload.solution_index`; empty for the whole file. */
  path: z.string(),
  code: z.enum(findingCodes),
  message: z.string(),
  /** How to fix it: for an invalid slug a valid one derived from it; for a limit, what to do instead. */
  suggestion: z.string().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** The `--json` output of `content validate`, also what the instructor view shows. */
export const validationOutputSchema = z.object({
  ok: z.boolean(),
  errors: z.array(findingSchema),
  warnings: z.array(findingSchema),
});
export type ValidationOutput = z.infer<typeof validationOutputSchema>;
