/**
 * The one generator of the content benchmarks' pack: 100,000 questions (50 domains × 20 skills × 100 questions), of
 * which 1,000 have no explanation, so validation reports 1,000 findings (missing_explanation warnings) and the pack
 * stays importable. Used by content_report_100k and answer_during_import.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildPack } from '../tests/content/pack-builder';

export const BENCH_PACK_QUESTIONS = 100_000;
export const BENCH_PACK_FINDINGS = 1_000;

/** Writes the pack into `dir` and returns its path. */
export function writeBenchPack100k(dir: string, prefix = 'bench100k'): string {
  const pack = buildPack({ name: `${prefix}-pack`, domains: 50, skillsPerDomain: 20, questionsPerSkill: 100, prefix });
  const every = Math.floor(pack.questions.length / BENCH_PACK_FINDINGS);
  pack.questions.forEach((question, i) => {
    if (i % every === 0) delete (question as { explanation?: unknown }).explanation;
  });
  const path = join(dir, `${prefix}.json`);
  writeFileSync(path, JSON.stringify(pack));
  return path;
}
