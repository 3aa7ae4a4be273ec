/** The embedded sample's drill pack: what a new learner drills offline on first start. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSamplePackPath } from '../../electron/core/app';
import { validatePackText } from '../../electron/core/content/validate';

describe("the sample pack's drill pack", () => {
  const report = validatePackText(readFileSync(defaultSamplePackPath));
  const drill = report.pack?.drill_pack;

  it('validates with no errors or warnings', () => {
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(drill).toBeDefined();
  });

  it('has exactly 7 interview topics, each with at least 3 questions, and 21 or more questions in all', () => {
    expect(drill!.metadata.categories).toEqual([
      'Motivation',
      'Teamwork',
      'Conflict',
      'Leadership',
      'Problem solving',
      'Ethics and professionalism',
      'Learning and growth',
    ]);
    expect(drill!.questions.length).toBeGreaterThanOrEqual(21);
    for (const category of drill!.metadata.categories) {
      expect(drill!.questions.filter((question) => question.category === category).length, category).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives every question an expected duration of one to two minutes and at least three criteria', () => {
    for (const question of drill!.questions) {
      expect(question.expected_duration_s, question.prompt).toBeGreaterThanOrEqual(60);
      expect(question.expected_duration_s, question.prompt).toBeLessThanOrEqual(120);
      expect(question.evaluation_criteria.length, question.prompt).toBeGreaterThanOrEqual(3);
    }
    expect(new Set(drill!.questions.map((question) => question.prompt)).size).toBe(drill!.questions.length);
  });

  it('uses the built-in rubric', () => {
    expect(drill!.metadata.rubric).toBeUndefined();
  });
});
