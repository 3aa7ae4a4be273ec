import { describe, expect, it } from 'vitest';
import { validationOutputSchema, type FindingCode } from '../../../shared/content/findings';
import type { PackReport, RecordRef, ReportFinding } from '../../../shared/ipc/contract';
import { codeCounts, copyReport, countsSentence, filterRows, reportJson, reportRows } from './report';

const question2: RecordRef = { table: 'questions', index: 2, id: 'q-2', label: 'q_two' };

const finding = (severity: ReportFinding['severity'], path: string, code: FindingCode, suggestion?: string, record: RecordRef | null = null): ReportFinding => ({
  severity,
  path,
  code,
  message: `${code} at ${path}`,
  record,
  ...(suggestion ? { suggestion } : {}),
});

const report: Pick<PackReport, 'errors' | 'warnings'> = {
  errors: [finding('error', 'questions[2].payload.solution_index', 'solution_index_out_of_range', undefined, question2), finding('error', 'domains[1].slug', 'duplicate_slug', 'algebra_2')],
  warnings: [finding('warning', 'questions[2].explanation', 'missing_explanation', undefined, question2), finding('warning', 'domains[0].colour', 'unknown_field'), finding('warning', '', 'too_many_findings')],
};

describe('reportRows and filters', () => {
  const rows = reportRows(report);

  it('lists errors first, then warnings, in file order, with unique keys', () => {
    expect(rows.map((r) => [r.finding.severity, r.finding.code])).toEqual([
      ['error', 'solution_index_out_of_range'],
      ['error', 'duplicate_slug'],
      ['warning', 'missing_explanation'],
      ['warning', 'unknown_field'],
      ['warning', 'too_many_findings'],
    ]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
  });

  it('filters by severity, by code, and by both', () => {
    expect(filterRows(rows, { severity: 'warning', code: 'all' })).toHaveLength(3);
    expect(filterRows(rows, { severity: 'all', code: 'duplicate_slug' })).toHaveLength(1);
    expect(filterRows(rows, { severity: 'warning', code: 'duplicate_slug' })).toHaveLength(0);
    expect(filterRows(rows, { severity: 'all', code: 'all' })).toHaveLength(5);
  });

  it('counts codes, most frequent first', () => {
    const many = reportRows({ errors: [finding('error', 'a', 'required'), finding('error', 'b', 'required'), finding('error', 'c', 'wrong_type')], warnings: [] });
    expect(codeCounts(many)).toEqual([
      { code: 'required', count: 2 },
      { code: 'wrong_type', count: 1 },
    ]);
  });

  it('handles 10,000 findings', () => {
    const big = {
      errors: Array.from({ length: 5000 }, (_, i) => finding('error', `questions[${i}].slug`, 'invalid_slug', `q_${i}`)),
      warnings: Array.from({ length: 5000 }, (_, i) => finding('warning', `questions[${i}].explanation`, 'missing_explanation')),
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
  it('is the shape `content validate --json` prints: no severity, no record', () => {
    const parsed: unknown = JSON.parse(reportJson(report));
    const strict = validationOutputSchema.strict().parse(parsed);
    expect(strict.ok).toBe(false);
    expect(Object.keys(strict.errors[0]!)).toEqual(['path', 'code', 'message']);
    expect(Object.keys(strict.errors[1]!)).toEqual(['path', 'code', 'message', 'suggestion']);
    expect(strict.warnings.map((w) => w.code)).toEqual(['missing_explanation', 'unknown_field', 'too_many_findings']);
  });

  it('says ok exactly when there are no errors', () => {
    expect(JSON.parse(reportJson({ errors: [], warnings: report.warnings })).ok).toBe(true);
  });
});

describe('copying the report', () => {
  it('says it is copied when the clipboard takes it', async () => {
    const written: string[] = [];
    const outcome = await copyReport(report, async (text) => {
      written.push(text);
    });
    expect(written).toEqual([reportJson(report)]);
    expect(outcome).toEqual({ status: 'Report copied as JSON.', shown: null });
  });

  it('gives the JSON back to be shown when the clipboard refuses, as its message says', async () => {
    const outcome = await copyReport(report, () => Promise.reject(new Error('Write permission denied.')));
    expect(outcome).toEqual({ status: 'The clipboard is not available here; the JSON is shown below to select and copy.', shown: reportJson(report) });
  });
});
