/** The content pack validator: every rule of the data-model seed, each with a failing example. */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { suggestSlug, type ContentPackInput } from '../../shared/content/pack';
import { checkPackFile, MAX_PACK_BYTES, packOf, validatePackText } from '../../electron/core/content/validate';
import { buildPack, findingSummary as summary, fixturePack as fixture, packText, testUuid, validateChanged } from './pack-builder';

describe('the seed sample records', () => {
  it('reports the hyphenated slugs as errors with a valid suggestion, and the missing explanation as a warning', () => {
    const report = validatePackText(fixture('seed-samples.json'));
    expect(report.ok).toBe(false);
    expect(report.pack).toBeNull();
    expect(report.errors).toEqual([
      expect.objectContaining({ path: 'skills[0].slug', code: 'invalid_slug', suggestion: 'linear_equations' }),
      expect.objectContaining({ path: 'questions[0].slug', code: 'invalid_slug', suggestion: 'x_solve_basic' }),
      expect.objectContaining({ path: 'questions[1].slug', code: 'invalid_slug', suggestion: 'order_steps' }),
    ]);
    expect(report.errors[0]!.message).toContain('linear-equations');
    expect(summary(report.warnings)).toEqual(['missing_explanation @ questions[1].explanation']);
  });

  it('accepts them once the slugs are fixed, filling the seed defaults the reorder sample leaves out', () => {
    const report = validatePackText(fixture('seed-samples-fixed.json'));
    expect(report.errors).toEqual([]);
    expect(report.ok).toBe(true);
    const reorder = report.pack!.questions[1]!;
    expect(reorder.type).toBe('reorder_steps');
    expect(reorder.sort_order).toBe(0);
    expect(reorder.is_published).toBe(true);
    expect(reorder.explanation).toBeUndefined();
    expect(report.pack!.questions[0]!.explanation).toEqual({ body: 'Divide both sides by 2 to get x = 5.' });
  });

  it('records the size and SHA-256 of the bytes given', () => {
    const bytes = fixture('seed-samples-fixed.json');
    const report = validatePackText(bytes);
    expect(report.byteLength).toBe(bytes.byteLength);
    expect(report.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(validatePackText(bytes.toString('utf8')).sha256).toBe(report.sha256);
  });
});

describe('a valid pack', () => {
  it('passes with no findings, drill pack included', () => {
    const report = validatePackText(packText(buildPack({ withDrillPack: true })));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.pack!.drill_pack!.metadata.categories).toHaveLength(7);
  });

  it('fills defaults for left-out sort_order, is_published and timestamps', () => {
    const report = validateChanged((pack) => {
      const domain = pack.domains[0]! as Record<string, unknown>;
      for (const key of ['sort_order', 'is_published', 'created_utc_ms', 'updated_utc_ms']) delete domain[key];
    });
    expect(report.ok).toBe(true);
    expect(report.pack!.domains[0]).toMatchObject({ sort_order: 0, is_published: false, created_utc_ms: 0, updated_utc_ms: 0 });
  });

  it('builds the same pack afterwards when the check is told to defer it', () => {
    const files = [
      fixture('seed-samples-fixed.json'),
      packText(buildPack({ withDrillPack: true, domains: 2, skillsPerDomain: 2, questionsPerSkill: 3 })),
      readFileSync(join(import.meta.dirname, '../../resources/sample-pack.json')),
    ];
    for (const file of files) {
      const kept = checkPackFile(file).report;
      const deferred = checkPackFile(file, { deferPack: true });
      expect(kept.pack).not.toBeNull();
      expect(deferred.report).toEqual({ ...kept, pack: null });
      expect(packOf(deferred.root)).toStrictEqual(kept.pack);
    }
  });

  it('allows the same skill slug in two domains and the same question slug in two skills', () => {
    const report = validatePackText(packText(buildPack({ domains: 2, skillsPerDomain: 2, questionsPerSkill: 2 })));
    expect(report.errors).toEqual([]);
  });
});

describe('file-level errors', () => {
  it('names the line and column of malformed JSON', () => {
    const report = validatePackText(fixture('not-json.json'));
    expect(summary(report.errors)).toEqual(['invalid_json @ ']);
    expect(report.errors[0]!.message).toMatch(/line 2, column \d+/);
  });

  it('names the end of the file as the place of a file that stops early (V8 gives no position)', () => {
    const report = validatePackText('{\n  "pack": {\n    "name": \n\n');
    expect(report.errors[0]).toMatchObject({
      code: 'invalid_json',
      message: 'The file is not valid JSON (line 3, column 12: the file ends there, before its JSON does): Unexpected end of JSON input',
    });
  });

  it('says an empty file is empty', () => {
    expect(validatePackText('  \n').errors[0]).toMatchObject({ code: 'invalid_json', message: expect.stringContaining('empty') });
  });

  it('refuses bytes that are not UTF-8', () => {
    const bytes = Buffer.concat([Buffer.from('{"pack": "'), Buffer.from([0xff, 0xfe, 0x80]), Buffer.from('"}')]);
    expect(summary(validatePackText(bytes).errors)).toEqual(['invalid_encoding @ ']);
  });

  it('accepts a UTF-8 byte order mark', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), fixture('seed-samples-fixed.json')]);
    expect(validatePackText(bytes).ok).toBe(true);
  });

  it('refuses a file over the documented limit before parsing it', () => {
    const report = validatePackText(Buffer.alloc(MAX_PACK_BYTES + 1, 0x20));
    expect(summary(report.errors)).toEqual(['too_large @ ']);
    expect(report.errors[0]!.message).toContain('64.0 MiB');
    expect(MAX_PACK_BYTES).toBe(64 * 1024 * 1024);
  });

  it('wants one object at the top', () => {
    expect(summary(validatePackText('[]').errors)).toEqual(['wrong_type @ ']);
    expect(summary(validatePackText('null').errors)).toEqual(['wrong_type @ ']);
  });
});

/** One broken rule each: [what, how to break a valid pack, the code and path expected]. */
const ruleCases: Array<[string, (pack: ContentPackInput & Record<string, unknown>) => void, string]> = [
  ['pack header missing', (p) => delete (p as Record<string, unknown>).pack, 'required @ pack'],
  ['pack name missing', (p) => delete (p.pack as Record<string, unknown>).name, 'required @ pack.name'],
  ['version not semver', (p) => (p.pack.version = '1.0'), 'invalid_version @ pack.version'],
  ['schema_version unknown', (p) => (p.pack.schema_version = '2'), 'unsupported_schema_version @ pack.schema_version'],
  ['domains missing', (p) => delete (p as Record<string, unknown>).domains, 'required @ domains'],
  ['questions not an array', (p) => ((p as Record<string, unknown>).questions = {}), 'wrong_type @ questions'],
  ['record not an object', (p) => ((p.domains as unknown[])[0] = 'algebra'), 'wrong_type @ domains[0]'],
  ['domain title missing', (p) => delete (p.domains[0] as Record<string, unknown>).title, 'required @ domains[0].title'],
  ['domain title empty', (p) => (p.domains[0]!.title = ''), 'too_small @ domains[0].title'],
  ['skill title null', (p) => ((p.skills[0] as Record<string, unknown>).title = null), 'wrong_type @ skills[0].title'],
  ['sort_order a string', (p) => ((p.domains[0] as Record<string, unknown>).sort_order = '1'), 'wrong_type @ domains[0].sort_order'],
  ['sort_order fractional', (p) => (p.skills[0]!.sort_order = 1.5), 'wrong_type @ skills[0].sort_order'],
  ['is_published a string', (p) => ((p.questions[0] as Record<string, unknown>).is_published = 'yes'), 'wrong_type @ questions[0].is_published'],
  ['timestamp negative', (p) => (p.domains[0]!.created_utc_ms = -1), 'too_small @ domains[0].created_utc_ms'],
  ['id not a UUID', (p) => (p.domains[0]!.id = 'algebra-1'), 'invalid_uuid @ domains[0].id'],
  ['reference not a UUID', (p) => (p.questions[0]!.skill_id = 42 as unknown as string), 'wrong_type @ questions[0].skill_id'],
  ['domain slug invalid', (p) => (p.domains[0]!.slug = 'Algebra Basics'), 'invalid_slug @ domains[0].slug'],
  ['skill slug invalid', (p) => (p.skills[1]!.slug = 'linear-equations'), 'invalid_slug @ skills[1].slug'],
  ['question slug empty', (p) => (p.questions[0]!.slug = ''), 'invalid_slug @ questions[0].slug'],
  ['domain slug repeated', (p) => p.domains.push({ ...p.domains[0]!, id: testUuid('second') }), 'duplicate_slug @ domains[1].slug'],
  ['skill slug repeated in its domain', (p) => (p.skills[1]!.slug = p.skills[0]!.slug), 'duplicate_slug @ skills[1].slug'],
  ['question slug repeated in its skill', (p) => (p.questions[1]!.slug = p.questions[0]!.slug), 'duplicate_slug @ questions[1].slug'],
  ['question id repeated', (p) => (p.questions[1]!.id = p.questions[0]!.id), 'duplicate_id @ questions[1].id'],
  ['skill id repeated', (p) => (p.skills[1]!.id = p.skills[0]!.id), 'duplicate_id @ skills[1].id'],
  ['skill in an unknown domain', (p) => (p.skills[0]!.domain_id = testUuid('nowhere')), 'dangling_reference @ skills[0].domain_id'],
  ['question in an unknown skill', (p) => (p.questions[2]!.skill_id = testUuid('nowhere')), 'dangling_reference @ questions[2].skill_id'],
  ['question type unknown', (p) => ((p.questions[0] as Record<string, unknown>).type = 'essay'), 'unknown_question_type @ questions[0].type'],
  ['question type missing', (p) => delete (p.questions[0] as Record<string, unknown>).type, 'required @ questions[0].type'],
  ['payload missing', (p) => delete (p.questions[0] as Record<string, unknown>).payload, 'required @ questions[0].payload'],
  ['payload not an object', (p) => ((p.questions[0] as Record<string, unknown>).payload = '{}'), 'wrong_type @ questions[0].payload'],
  ['mcq prompt missing', (p) => delete (p.questions[0]!.payload as Record<string, unknown>).prompt, 'required @ questions[0].payload.prompt'],
  ['mcq with one choice', (p) => ((p.questions[0]!.payload as { choices: string[] }).choices = ['only']), 'too_small @ questions[0].payload.choices'],
  ['mcq choice not a string', (p) => ((p.questions[0]!.payload as { choices: unknown[] }).choices[1] = 7), 'wrong_type @ questions[0].payload.choices[1]'],
  ['solution_index past the end', (p) => ((p.questions[0]!.payload as { solution_index: number }).solution_index = 3), 'solution_index_out_of_range @ questions[0].payload.solution_index'],
  ['solution_index negative', (p) => ((p.questions[0]!.payload as { solution_index: number }).solution_index = -1), 'solution_index_out_of_range @ questions[0].payload.solution_index'],
  ['solution_index fractional', (p) => ((p.questions[0]!.payload as { solution_index: number }).solution_index = 0.5), 'wrong_type @ questions[0].payload.solution_index'],
  ['reorder steps missing', (p) => delete (p.questions[1]!.payload as Record<string, unknown>).steps, 'required @ questions[1].payload.steps'],
  ['solution repeats a step', (p) => ((p.questions[1]!.payload as { solution: number[] }).solution = [0, 0, 1]), 'solution_not_permutation @ questions[1].payload.solution'],
  ['solution too short', (p) => ((p.questions[1]!.payload as { solution: number[] }).solution = [0, 1]), 'solution_not_permutation @ questions[1].payload.solution'],
  ['solution out of range', (p) => ((p.questions[1]!.payload as { solution: number[] }).solution = [0, 1, 3]), 'solution_not_permutation @ questions[1].payload.solution'],
  ['explanation not an object', (p) => ((p.questions[0] as Record<string, unknown>).explanation = 'because'), 'wrong_type @ questions[0].explanation'],
  ['explanation without body', (p) => ((p.questions[0] as Record<string, unknown>).explanation = { text: 'x' }), 'required @ questions[0].explanation.body'],
  ['drill pack not an object', (p) => (p.drill_pack = [] as never), 'wrong_type @ drill_pack'],
  ['six drill categories', (p) => p.drill_pack!.metadata.categories.pop(), 'categories_count @ drill_pack.metadata.categories'],
  ['drill category repeated', (p) => (p.drill_pack!.metadata.categories[6] = p.drill_pack!.metadata.categories[0]!), 'duplicate_category @ drill_pack.metadata.categories[6]'],
  ['drill question in an unknown category', (p) => (p.drill_pack!.questions[2]!.category = 'charisma'), 'unknown_category @ drill_pack.questions[2].category'],
  ['drill duration zero', (p) => (p.drill_pack!.questions[0]!.expected_duration_s = 0), 'too_small @ drill_pack.questions[0].expected_duration_s'],
  ['drill criteria not strings', (p) => ((p.drill_pack!.questions[0] as Record<string, unknown>).evaluation_criteria = 'clear'), 'wrong_type @ drill_pack.questions[0].evaluation_criteria'],
  ['drill question id repeated', (p) => (p.drill_pack!.questions[1]!.id = p.drill_pack!.questions[0]!.id), 'duplicate_id @ drill_pack.questions[1].id'],
  ['drill version not semver', (p) => (p.drill_pack!.version = 'v1'), 'invalid_version @ drill_pack.version'],
];

describe('each rule, broken once', () => {
  it.each(ruleCases)('%s', (_what, change, expected) => {
    const report = validateChanged(change);
    expect(report.ok).toBe(false);
    expect(report.pack).toBeNull();
    expect(summary(report.errors)).toContain(expected);
    for (const error of report.errors) expect(error.message.length).toBeGreaterThan(5);
  });
});

describe('warnings', () => {
  it('reports unknown fields anywhere but still accepts the pack', () => {
    const report = validateChanged((pack) => {
      (pack as Record<string, unknown>).authors = ['me'];
      (pack.pack as Record<string, unknown>).licence = 'CC';
      (pack.domains[0] as Record<string, unknown>).colour = 'blue';
      (pack.questions[0]!.payload as Record<string, unknown>).hint = 'think';
      (pack.drill_pack!.questions[0] as Record<string, unknown>).difficulty = 3;
    });
    expect(report.ok).toBe(true);
    expect(summary(report.warnings)).toEqual([
      'unknown_field @ authors',
      'unknown_field @ pack.licence',
      'unknown_field @ domains[0].colour',
      'unknown_field @ questions[0].payload.hint',
      'unknown_field @ drill_pack.questions[0].difficulty',
    ]);
    // Unknown fields are dropped, not carried into the database.
    expect(report.pack!.domains[0]).not.toHaveProperty('colour');
  });

  it('reports a missing or null explanation', () => {
    const report = validateChanged((pack) => {
      delete (pack.questions[0] as Record<string, unknown>).explanation;
      pack.questions[1]!.explanation = null;
    });
    expect(report.ok).toBe(true);
    expect(summary(report.warnings)).toEqual([
      'missing_explanation @ questions[0].explanation',
      'missing_explanation @ questions[1].explanation',
    ]);
  });

  it('reports a skill without questions and a domain without skills as unpublishable', () => {
    const report = validateChanged((pack) => {
      pack.questions = pack.questions.filter((q) => q.skill_id !== pack.skills[1]!.id);
      pack.domains.push({ id: testUuid('empty-domain'), slug: 'empty', title: 'Empty' });
    });
    expect(report.ok).toBe(true);
    expect(summary(report.warnings)).toEqual(['domain_without_skills @ domains[1]', 'skill_without_questions @ skills[1]']);
    expect(report.warnings[1]!.message).toContain('cannot be published');
  });
});

describe('every finding at once', () => {
  it('reports problems in many records in one pass, each at its own path', () => {
    const report = validatePackText(fixture('many-problems.json'));
    expect(summary(report.errors)).toEqual([
      'invalid_version @ pack.version',
      'duplicate_slug @ domains[1].slug',
      'dangling_reference @ skills[1].domain_id',
      'solution_index_out_of_range @ questions[0].payload.solution_index',
      'solution_not_permutation @ questions[1].payload.solution',
      'unknown_question_type @ questions[2].type',
    ]);
    expect(summary(report.warnings)).toEqual([
      'unknown_field @ domains[0].colour',
      'missing_explanation @ questions[2].explanation',
      'domain_without_skills @ domains[1]',
      'skill_without_questions @ skills[1]',
    ]);
  });

  it('keeps reporting after a bad record, and bounds how many findings it lists', () => {
    const pack = buildPack({ domains: 1, skillsPerDomain: 1, questionsPerSkill: 12_000 });
    for (const question of pack.questions) question.slug = 'Bad Slug';
    const report = validatePackText(packText(pack));
    // One invalid slug per question and a duplicate for all but the first: 23,999 errors, listed up to the cap.
    expect(report.errors).toHaveLength(10_001);
    expect(report.errors.at(-1)).toMatchObject({ code: 'too_many_findings', message: '13999 more errors were not listed' });
  });
});

describe('suggestSlug', () => {
  it.each([
    ['linear-equations', 'linear_equations'],
    ['Linear Equations', 'linear_equations'],
    ['  --Café au lait!  ', 'cafe_au_lait'],
    ['x__y', 'x_y'],
    ['日本語', 'item'],
    ['already_ok_1', 'already_ok_1'],
  ])('%s → %s', (raw, expected) => {
    expect(suggestSlug(raw)).toBe(expected);
    expect(expected).toMatch(/^[a-z0-9_]+$/);
  });
});
