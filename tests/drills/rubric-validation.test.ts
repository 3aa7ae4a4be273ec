/**
 * A drill pack's own rubric (`drill_pack.metadata.rubric`): each validator rule broken once, and the rubric carried by
 * an import into the active pack and from there into an evaluation's record.
 */
import { describe, expect, it } from 'vitest';
import type { ContentPackInput } from '../../shared/content/pack';
import { BUILTIN_RUBRIC, rubricSchema, type Rubric } from '../../shared/drills/evaluation';
import { importPack } from '../../electron/core/content/import';
import { validatePackText } from '../../electron/core/content/validate';
import { evaluateLocally } from '../../electron/core/drills/evaluate-local';
import { activeDrillPack, setDrillPackStatus } from '../../electron/core/drills/packs';
import { ManualClock } from '../helpers/clock';
import { buildPack, findingSummary as summary, packText, validateChanged } from '../content/pack-builder';
import { useTempDatabases } from '../content/temp-database';
import { STRONG_STAR_ANSWER } from './hand-written-responses';

const ownRubric = (): Rubric => ({
  version: 'panel-2',
  dimensions: [
    { name: 'Story arc', measure: 'structure' },
    { name: 'Answers the question', measure: 'relevance' },
    { name: 'Tempo', measure: 'pace' },
    { name: 'Plain speech', measure: 'fillers' },
    { name: 'Detail', measure: 'specificity' },
    { name: 'Timing', measure: 'length' },
    { name: 'Outcome', measure: 'result' },
  ],
});

function validateWithRubric(rubric: unknown) {
  return validateChanged((pack) => {
    (pack.drill_pack!.metadata as Record<string, unknown>).rubric = rubric;
  });
}

describe("a drill pack's rubric", () => {
  it('is optional: a pack without one validates and the built-in rubric applies', () => {
    const report = validatePackText(packText(buildPack({ withDrillPack: true })));
    expect(report.ok).toBe(true);
    expect(report.pack!.drill_pack!.metadata.rubric).toBeUndefined();
  });

  it('accepts 7 unique names, each tied to a different measure, in any order, and keeps it in the parsed pack', () => {
    const report = validateWithRubric(ownRubric());
    expect(report.errors).toEqual([]);
    expect(report.pack!.drill_pack!.metadata.rubric).toEqual(ownRubric());
    expect(validateWithRubric(BUILTIN_RUBRIC).ok).toBe(true);
  });

  const cases: Array<[string, (rubric: Rubric) => void, string]> = [
    ['six dimensions', (r) => r.dimensions.pop(), 'rubric_dimension_count @ drill_pack.metadata.rubric.dimensions'],
    ['eight dimensions', (r) => r.dimensions.push({ name: 'Warmth', measure: 'pace' }), 'rubric_dimension_count @ drill_pack.metadata.rubric.dimensions'],
    ['a name used twice (ignoring case)', (r) => (r.dimensions[4]!.name = 'tempo'), 'duplicate_rubric_name @ drill_pack.metadata.rubric.dimensions[4].name'],
    ['a measure used twice', (r) => (r.dimensions[6]!.measure = 'pace'), 'duplicate_rubric_measure @ drill_pack.metadata.rubric.dimensions[6].measure'],
    ['an unknown measure', (r) => ((r.dimensions[1] as { measure: string }).measure = 'charisma'), 'invalid_value @ drill_pack.metadata.rubric.dimensions[1].measure'],
    ['an empty name', (r) => (r.dimensions[0]!.name = '  '), 'too_small @ drill_pack.metadata.rubric.dimensions[0].name'],
    ['no version', (r) => delete (r as Partial<Rubric>).version, 'required @ drill_pack.metadata.rubric.version'],
  ];
  it.each(cases)('reports %s at its path, with a clear message', (_what, change, expected) => {
    const rubric = ownRubric();
    change(rubric);
    const report = validateWithRubric(rubric);
    expect(report.ok).toBe(false);
    expect(summary(report.errors)).toContain(expected);
    for (const error of report.errors) expect(error.message.length).toBeGreaterThan(10);
  });

  it('suggests what to fix: the missing measure, or a measure no dimension uses', () => {
    const short = ownRubric();
    short.dimensions.splice(2, 1);
    const count = validateWithRubric(short).errors.find((e) => e.code === 'rubric_dimension_count');
    expect(count?.suggestion).toBe('Add a dimension for: pace.');

    const repeated = ownRubric();
    repeated.dimensions[6]!.measure = 'pace';
    const duplicate = validateWithRubric(repeated).errors.find((e) => e.code === 'duplicate_rubric_measure');
    expect(duplicate?.message).toContain('dimensions[2]');
    expect(duplicate?.suggestion).toBe('Use a measure no other dimension uses: result.');
  });

  it('warns about unknown fields in the rubric and its dimensions, and still accepts it', () => {
    const rubric = { ...ownRubric(), weights: [1, 2] } as Record<string, unknown>;
    (rubric.dimensions as Array<Record<string, unknown>>)[3]!.colour = 'red';
    const report = validateWithRubric(rubric);
    expect(report.ok).toBe(true);
    expect(summary(report.warnings)).toEqual([
      'unknown_field @ drill_pack.metadata.rubric.weights',
      'unknown_field @ drill_pack.metadata.rubric.dimensions[3].colour',
    ]);
  });
});

describe("an imported pack's rubric", () => {
  const freshDatabase = useTempDatabases();

  it('reaches the active pack and is the one an evaluation records', () => {
    const db = freshDatabase();
    const pack = buildPack({ withDrillPack: true }) as ContentPackInput;
    (pack.drill_pack!.metadata as Record<string, unknown>).rubric = ownRubric();
    const { packId } = importPack(db.sqlite, packText(pack), { mode: 'append', clock: new ManualClock(1_000) });
    setDrillPackStatus(db.sqlite, packId, 'ACTIVE');
    const active = activeDrillPack(db.sqlite)!;
    const rubric = rubricSchema.parse(active.metadata.rubric);
    const question = pack.drill_pack!.questions[0]!;
    const evaluation = evaluateLocally({
      transcript: STRONG_STAR_ANSWER,
      durationS: 95,
      durationEstimated: false,
      question: { prompt: question.prompt, evaluationCriteria: question.evaluation_criteria, expectedDurationS: question.expected_duration_s },
      rubric,
    });
    expect(evaluation.rubric).toEqual({ version: 'panel-2', names: ownRubric().dimensions.map((d) => d.name) });
    expect(evaluation.categories.map((c) => [c.name, c.measure])).toEqual(ownRubric().dimensions.map((d) => [d.name, d.measure]));
  });
});
