/** Pure logic of the validation report: findings as rows (errors first), filtered by severity and code, counted, and copied as JSON. */
import type { Finding, FindingCode, ValidationOutput } from '../../../shared/content/findings';
import type { PackReport, ReportFinding } from '../../../shared/ipc/contract';
import { plural } from '../shell/format';

export type Severity = ReportFinding['severity'];

/** One finding as the report lists it, with a key unique in the report. */
export type FindingRow = { key: string; finding: ReportFinding };

export type ReportFilter = { severity: Severity | 'all'; code: FindingCode | 'all' };

export const noFilter: ReportFilter = { severity: 'all', code: 'all' };

/** Every finding as a row, errors first, in file order within each severity. */
export function reportRows(report: Pick<PackReport, 'errors' | 'warnings'>): FindingRow[] {
  return [...report.errors.map((finding, i) => ({ key: `error-${i}`, finding })), ...report.warnings.map((finding, i) => ({ key: `warning-${i}`, finding }))];
}

export function filterRows(rows: readonly FindingRow[], filter: ReportFilter): FindingRow[] {
  return rows.filter((r) => (filter.severity === 'all' || r.finding.severity === filter.severity) && (filter.code === 'all' || r.finding.code === filter.code));
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

/** The report in the shape `content validate --json` prints, `{ ok, errors, warnings }` (severity and record left out). */
export function reportJson(report: Pick<PackReport, 'errors' | 'warnings'>): string {
  const plain = (f: Finding): Finding => ({ path: f.path, code: f.code, message: f.message, ...(f.suggestion === undefined ? {} : { suggestion: f.suggestion }) });
  const printed: ValidationOutput = { ok: report.errors.length === 0, errors: report.errors.map(plain), warnings: report.warnings.map(plain) };
  return `${JSON.stringify(printed, null, 2)}\n`;
}

/** What Copy report as JSON says, and the JSON to show for copying by hand when the clipboard refused it. */
export type CopyOutcome = { status: string; shown: string | null };

/** Copies the report as JSON; where the clipboard refuses (no permission, no clipboard at all), the JSON comes back to be shown. */
export async function copyReport(report: Pick<PackReport, 'errors' | 'warnings'>, writeText: (text: string) => Promise<void>): Promise<CopyOutcome> {
  const json = reportJson(report);
  try {
    await writeText(json);
    return { status: 'Report copied as JSON.', shown: null };
  } catch {
    return { status: 'The clipboard is not available here; the JSON is shown below to select and copy.', shown: json };
  }
}
