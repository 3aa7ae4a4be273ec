/** The embedded sample's drill pack: what a new learner drills offline on first start. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultSamplePackPath } from '../../electron/core/app';
import { validatePackText } from '../../electron/core/content/validate';
import { evaluateLocally } from '../../electron/core/drills/evaluate-local';

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

  it("gives the local relevance rule words to find: an answer about something else flags on every question", () => {
    const offTopic =
      'My favourite recipe is a lemon cake from my grandmother. You cream the butter and sugar, add four eggs and the zest of ' +
      'two lemons, fold in the flour and bake it for forty minutes. The trick is a syrup of lemon juice and icing sugar poured ' +
      'over it while it is still warm, which keeps it moist for days.';
    for (const question of drill!.questions) {
      const evaluation = evaluateLocally({
        transcript: offTopic,
        durationS: 30,
        durationEstimated: false,
        question: { prompt: question.prompt, evaluationCriteria: question.evaluation_criteria, expectedDurationS: question.expected_duration_s },
      });
      expect(evaluation.categories.find((c) => c.measure === 'relevance')!.verdict, question.prompt).toBe('FLAG');
    }
  });
});
