import { describe, expect, it } from 'vitest';
import type { Finding, ValidationOutput } from '../../../shared/content/findings';
import { validationOutputSchema } from '../../../shared/content/findings';
import { codeCounts, countsSentence, filterRows, recordOfPath, reportJson, reportRows } from './report';

const finding = (path: string, code: Finding['code'], suggestion?: string): Finding => ({
  path,
  code,
  message: `${code} at ${path}`,
  ...(suggestion ? { suggestion } : {}),
});

const report: ValidationOutput = {
  ok: false,
  errors: [finding('questions[0].payload.solution_index', 'solution_index_out_of_range'), finding('domains[1].slug', 'duplicate_slug', 'algebra_2')],
  warnings: [finding('questions[2].explanation', 'missing_explanation'), finding('domains[0].colour', 'unknown_field'), finding('', 'too_many_findings')],
};

describe('recordOfPath', () => {
  it('names the table and index a path starts with', () => {
    expect(recordOfPath('questions[12].payload.choices[3]')).toEqual({ table: 'questions', index: 12 });
    expect(recordOfPath('drill_pack.questions[4].category')).toEqual({ table: 'drill_pack.questions', index: 4 });
    expect(recordOfPath('skills[0]')).toEqual({ table: 'skills', index: 0 });
  });

  it('is null for the whole file, the header or a whole table', () => {
    expect(recordOfPath('')).toBeNull();
    expect(recordOfPath('pack.version')).toBeNull();
    expect(recordOfPath('questions')).toBeNull();
    expect(recordOfPath('drill_pack.metadata.categories')).toBeNull();
  });
});

describe('reportRows and filters', () => {
  const rows = reportRows(report);

  it('lists errors first, then warnings, each with its record', () => {
    expect(rows.map((r) => [r.severity, r.finding.code])).toEqual([
      ['error', 'solution_index_out_of_range'],
      ['error', 'duplicate_slug'],
      ['warning', 'missing_explanation'],
      ['warning', 'unknown_field'],
      ['warning', 'too_many_findings'],
    ]);
    expect(rows[1]!.record).toEqual({ table: 'domains', index: 1 });
    expect(rows[4]!.record).toBeNull();
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('filters by severity, by code, and by both', () => {
    expect(filterRows(rows, { severity: 'warning', code: 'all' })).toHaveLength(3);
    expect(filterRows(rows, { severity: 'all', code: 'duplicate_slug' })).toHaveLength(1);
    expect(filterRows(rows, { severity: 'warning', code: 'duplicate_slug' })).toHaveLength(0);
    expect(filterRows(rows, { severity: 'all', code: 'all' })).toHaveLength(5);
  });

  it('counts codes, most frequent first', () => {
    const many = reportRows({ ok: false, errors: [finding('a', 'required'), finding('b', 'required'), finding('c', 'wrong_type')], warnings: [] });
    expect(codeCounts(many)).toEqual([
      { code: 'required', count: 2 },
      { code: 'wrong_type', count: 1 },
    ]);
  });

  it('filters 10,000 findings quickly enough to type into', () => {
    const big: ValidationOutput = {
      ok: false,
      errors: Array.from({ length: 5000 }, (_, i) => finding(`questions[${i}].slug`, 'invalid_slug', `q_${i}`)),
      warnings: Array.from({ length: 5000 }, (_, i) => finding(`questions[${i}].explanation`, 'missing_explanation')),
    };
    const all = reportRows(big);
    expect(all).toHaveLength(10_000);
    expect(filterRows(all, { severity: 'warning', code: 'all' })).toHaveLength(5000);
  });
});

describe('countsSentence', () => {
  it('says both counts, or that there is nothing', () => {
    expect(countsSentence(2, 1)).toBe('2 errors and 1 warning');
    expect(countsSentence(0, 0)).toBe('No problems found');
    expect(countsSentence(1, 0)).toBe('1 error and 0 warnings');
  });
});

describe('reportJson', () => {
  it('is the shape `content validate --json` prints, without anything extra a finding carries', () => {
    const withExtra = { ...report, errors: report.errors.map((f) => ({ ...f, record: { title: 'x' } })) } as ValidationOutput;
    const parsed: unknown = JSON.parse(reportJson(withExtra));
    expect(validationOutputSchema.strict().parse(parsed)).toEqual(report);
    expect(Object.keys((parsed as ValidationOutput).errors[0]!)).toEqual(['path', 'code', 'message']);
    expect(Object.keys((parsed as ValidationOutput).errors[1]!)).toEqual(['path', 'code', 'message', 'suggestion']);
  });

  it('says ok exactly when there are no errors', () => {
    expect(JSON.parse(reportJson({ ok: false, errors: [], warnings: report.warnings })).ok).toBe(true);
  });
});
