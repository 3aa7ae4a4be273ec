/**
 * What a careless or hostile pack can hold: its schema version, how deep it nests, how long its texts and lists are.
 * Each limit is a finding at its path (code, message, suggestion), never a crash or a frozen app.
 */
import { describe, expect, it } from 'vitest';
import { importPack } from '../../electron/core/content/import';
import { validatePackText } from '../../electron/core/content/validate';
import { PACK_LIMITS, type ContentPackInput } from '../../shared/content/pack';
import { toAppError } from '../../shared/errors';
import { usage } from '../../electron/core/content/cli';
import { buildPack, packText } from './pack-builder';
import { useTempDatabases } from './temp-database';

const freshDatabase = useTempDatabases();

type Pack = ContentPackInput & Record<string, unknown>;
function changed(change: (pack: Pack) => void): string {
  const pack = buildPack() as Pack;
  change(pack);
  return packText(pack);
}
const summary = (text: string) => validatePackText(text).errors.map((f) => `${f.code} @ ${f.path}`);

describe('schema_version', () => {
  it.each(['1', '1.0.0', '1.4.2', '1.0.0-beta.1'])('reads "%s"', (version) => {
    const text = changed((p) => (p.pack.schema_version = version));
    expect(validatePackText(text).errors).toEqual([]);
    const db = freshDatabase();
    importPack(db.sqlite, text, { mode: 'append' });
    expect(db.sqlite.prepare('SELECT schema_version FROM content_packs').pluck().get()).toBe(version);
  });

  it.each(['2', '2.0.0', '10.1.0'])('refuses the newer major "%s", naming the versions this build reads', (version) => {
    const report = validatePackText(changed((p) => (p.pack.schema_version = version)));
    expect(report.errors).toEqual([expect.objectContaining({ path: 'pack.schema_version', code: 'unsupported_schema_version' })]);
    expect(report.errors[0]!.message).toMatch(/newer/);
    expect(report.errors[0]!.message).toContain('"1" and every "1.x.y"');
  });

  it.each(['0.9.0', '1.0', 'one', ''])('refuses "%s"', (version) => {
    expect(summary(changed((p) => (p.pack.schema_version = version)))).toEqual(['unsupported_schema_version @ pack.schema_version']);
  });
});

/** `{ body, a: { a: { … } } }` nested `levels` deep, built without recursion. */
function deepExplanation(levels: number): Record<string, unknown> {
  const root: Record<string, unknown> = { body: 'Why.' };
  let current = root;
  for (let i = 0; i < levels; i += 1) {
    const next: Record<string, unknown> = {};
    current.a = next;
    current = next;
  }
  return root;
}

/** The pack as JSON text with `explanation` spliced in as text: JSON.stringify itself would overflow on it. */
function packWithDeepExplanation(levels: number): string {
  const marker = '"__deep__"';
  const text = changed((p) => ((p.questions[0] as Record<string, unknown>).explanation = '__deep__'));
  return text.replace(marker, `{"body":"Why.",${'"a":{'.repeat(levels)}${'}'.repeat(levels)}}`);
}

describe('depth', () => {
  it('reports an explanation nested 5,000 levels deep as a finding at its path, and import refuses it the same way', () => {
    const text = packWithDeepExplanation(5_000);
    const report = validatePackText(text);
    expect(report.ok).toBe(false);
    expect(report.errors).toHaveLength(1);
    const finding = report.errors[0]!;
    expect(finding.code).toBe('too_deep');
    // The root is level 1, questions 2, the question 3, the explanation 4: the first object past the limit is reported.
    expect(finding.path).toBe(`questions[0].explanation${'.a'.repeat(PACK_LIMITS.depth - 3)}`);
    expect(finding.message).toContain(String(PACK_LIMITS.depth));
    expect(finding.suggestion).toBeTruthy();

    const db = freshDatabase();
    const error = (() => {
      try {
        importPack(db.sqlite, text, { mode: 'append' });
      } catch (err) {
        return toAppError(err);
      }
      throw new Error('expected the import to fail');
    })();
    expect(error.code).toBe('content_invalid');
    expect(error.message).toContain('questions[0].explanation.a');
    expect(error.message).not.toMatch(/call stack/);
    expect(db.sqlite.prepare('SELECT COUNT(*) FROM questions').pluck().get()).toBe(0);
  });

  it('walks a file nested a million levels deep without overflowing', () => {
    const levels = 1_000_000;
    const text = changed((p) => (p.extra = '__deep__')).replace('"__deep__"', `${'['.repeat(levels)}${']'.repeat(levels)}`);
    const report = validatePackText(text);
    expect(report.errors.map((f) => f.code)).toEqual(['too_deep']);
    expect(report.errors[0]!.path).toBe(`extra${'[0]'.repeat(PACK_LIMITS.depth - 1)}`);
  });

  it('accepts an explanation with a few levels of its own', () => {
    const explanation = deepExplanation(PACK_LIMITS.depth - 4);
    const text = changed((p) => ((p.questions[0] as Record<string, unknown>).explanation = explanation));
    expect(validatePackText(text).errors).toEqual([]);
  });
});

describe('texts and lists', () => {
  it('reports a 60 MB prompt with its length, the limit and a suggestion', () => {
    const text = changed((p) => ((p.questions[0]!.payload as { prompt: string }).prompt = 'x'.repeat(60_000_000)));
    const report = validatePackText(text);
    expect(report.errors).toEqual([
      {
        path: 'questions[0].payload.prompt',
        code: 'too_big',
        message: `prompt is 60,000,000 characters long; packs allow at most ${PACK_LIMITS.textChars.toLocaleString('en-US')}`,
        suggestion: expect.any(String) as string,
      },
    ]);
  });

  it('reports a million choices once, at the list', () => {
    const text = changed((p) => {
      const payload = p.questions[0]!.payload as { choices: string[]; solution_index: number };
      payload.choices = Array.from({ length: 1_000_000 }, (_, i) => `c${i}`);
    });
    const report = validatePackText(text);
    expect(report.errors).toEqual([expect.objectContaining({ path: 'questions[0].payload.choices', code: 'too_big', suggestion: expect.any(String) as string })]);
    expect(report.errors[0]!.message).toContain('1,000,000 items');
  });

  it.each<[string, (p: Pack) => void, string]>([
    ['a title', (p) => (p.domains[0]!.title = 't'.repeat(PACK_LIMITS.titleChars + 1)), 'domains[0].title'],
    ['a slug', (p) => (p.skills[0]!.slug = 's'.repeat(PACK_LIMITS.titleChars + 1)), 'skills[0].slug'],
    ['a skill description', (p) => (p.skills[0]!.description = 'd'.repeat(PACK_LIMITS.textChars + 1)), 'skills[0].description'],
    ['an explanation body', (p) => ((p.questions[0] as Record<string, unknown>).explanation = { body: 'b'.repeat(PACK_LIMITS.textChars + 1) }), 'questions[0].explanation.body'],
    ['a choice', (p) => ((p.questions[0]!.payload as { choices: string[] }).choices[0] = 'c'.repeat(PACK_LIMITS.textChars + 1)), 'questions[0].payload.choices[0]'],
  ])('limits %s', (_what, change, path) => {
    expect(summary(changed(change))).toEqual([`too_big @ ${path}`]);
  });

  it('accepts texts and lists at the limits', () => {
    const text = changed((p) => {
      const payload = p.questions[0]!.payload as { prompt: string; choices: string[] };
      payload.prompt = 'p'.repeat(PACK_LIMITS.textChars);
      payload.choices = Array.from({ length: PACK_LIMITS.listItems }, (_, i) => `choice ${i}`);
      p.domains[0]!.title = 't'.repeat(PACK_LIMITS.titleChars);
    });
    expect(validatePackText(text).errors).toEqual([]);
  });

  it('documents the limits in the command help', () => {
    expect(usage).toContain(PACK_LIMITS.textChars.toLocaleString('en-US'));
    expect(usage).toContain(`${PACK_LIMITS.listItems} items`);
    expect(usage).toContain(`${PACK_LIMITS.depth} levels`);
  });
});
