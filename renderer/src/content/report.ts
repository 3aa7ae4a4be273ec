/** Pure logic of the validation report: findings as rows, filtered by severity and code, counted, and the record a path points at. */
import type { Finding, FindingCode, ValidationOutput } from '../../../shared/content/findings';
import { plural } from '../shell/format';

export type Severity = 'error' | 'warning';

/** One finding as the report lists it: its place in its severity group and the record it points at. */
export type FindingRow = {
  key: string;
  severity: Severity;
  finding: Finding;
  /** The record the path points at (e.g. `questions[2]` of `questions[2].payload.solution_index`), or null for the whole file. */
  record: RecordRef | null;
};

/** A record of the opened file, by table and position in the file's array. */
export type RecordRef = { table: PackTable; index: number };

export const packTables = ['domains', 'skills', 'questions', 'drill_pack.questions'] as const;
export type PackTable = (typeof packTables)[number];

const recordPath = /^(domains|skills|questions|drill_pack\.questions)\[(\d+)\]/;

/** The record a finding's path points at, or null when it concerns the file, its header or a whole table. */
export function recordOfPath(path: string): RecordRef | null {
  const match = recordPath.exec(path);
  if (!match) return null;
  return { table: match[1] as PackTable, index: Number(match[2]) };
}

export type ReportFilter = { severity: Severity | 'all'; code: FindingCode | 'all' };

export const noFilter: ReportFilter = { severity: 'all', code: 'all' };

/** Every finding as a row, errors first, in file order within each severity. */
export function reportRows(report: ValidationOutput): FindingRow[] {
  const rows: FindingRow[] = [];
  const add = (severity: Severity, findings: readonly Finding[]) =>
    findings.forEach((finding, i) => rows.push({ key: `${severity}-${i}`, severity, finding, record: recordOfPath(finding.path) }));
  add('error', report.errors);
  add('warning', report.warnings);
  return rows;
}

export function filterRows(rows: readonly FindingRow[], filter: ReportFilter): FindingRow[] {
  return rows.filter((r) => (filter.severity === 'all' || r.severity === filter.severity) && (filter.code === 'all' || r.finding.code === filter.code));
}

/** The codes present in the report with how many findings each has, most frequent first, for the code filter. */
export function codeCounts(rows: readonly FindingRow[]): Array<{ code: FindingCode; count: number }> {
  const counts = new Map<FindingCode, number>();
  for (const r of rows) counts.set(r.finding.code, (counts.get(r.finding.code) ?? 0) + 1);
  return [...counts].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
}

/** "2 errors and 1 warning", or "No problems found". */
export function countsSentence(errorCount: number, warningCount: number): string {
  if (errorCount === 0 && warningCount === 0) return 'No problems found';
  return `${plural(errorCount, 'error')} and ${plural(warningCount, 'warning')}`;
}

/** The report in the shape `content validate --json` prints, `{ ok, errors, warnings }` (anything else a finding carries is left out). */
export function reportJson(report: ValidationOutput): string {
  const plain = (f: Finding): Finding => ({ path: f.path, code: f.code, message: f.message, ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }) });
  const printed: ValidationOutput = { ok: report.errors.length === 0, errors: report.errors.map(plain), warnings: report.warnings.map(plain) };
  return `${JSON.stringify(printed, null, 2)}\n`;
}
