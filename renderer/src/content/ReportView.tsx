/**
 * The validation report: counts (announced once), filters by severity and code, copy as JSON, and every finding in a
 * virtualized listbox grouped by severity (errors first). The selected finding's full text sits under the list;
 * choosing a finding (Enter, or a click) opens its record in the preview.
 */
import { useEffect, useMemo, useState } from 'react';
import type { FindingCode } from '../../../shared/content/findings';
import type { PackReport, RecordRef } from '../../../shared/ipc/contract';
import { useShell } from '../shell/shellStore';
import { codeCounts, copyReport, countsSentence, filterRows, noFilter, reportRows, type CopyOutcome, type FindingRow, type ReportFilter, type Severity } from './report';
import { VirtualListbox } from './VirtualListbox';

const severityName: Record<Severity, string> = { error: 'Error', warning: 'Warning' };

type Props = {
  report: PackReport;
  onOpenRecord: (record: RecordRef) => void;
};

/** The row height follows the root font size, so assistive mode's larger text still fits its three lines. */
function rowHeightPx(): number {
  const rootPx = parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
  return Math.round(rootPx * 5.25);
}

export function ReportView({ report, onOpenRecord }: Props) {
  const rows = useMemo(() => reportRows(report), [report]);
  const codes = useMemo(() => codeCounts(rows), [rows]);
  const [filter, setFilterState] = useState<ReportFilter>(noFilter);
  const shown = useMemo(() => filterRows(rows, filter), [rows, filter]);
  const [active, setActive] = useState(0);
  const [copied, setCopied] = useState<CopyOutcome>({ status: '', shown: null });
  const [rowHeight] = useState(rowHeightPx);
  const counts = countsSentence(report.summary.errors, report.summary.warnings);

  // The counts are said once, when the report arrives; the visible summary is not a live region.
  useEffect(() => {
    useShell.getState().announce(`Validation report: ${counts}.`);
  }, [report, counts]);
  const setFilter = (next: ReportFilter) => {
    setFilterState(next);
    setActive(0);
  };

  const copy = async () => setCopied(await copyReport(report, (text) => navigator.clipboard.writeText(text)));

  const selected: FindingRow | undefined = shown[Math.min(active, shown.length - 1)];
  const errorsShown = shown.filter((r) => r.finding.severity === 'error').length;
  return (
    <section aria-labelledby="report-heading" className="report">
      <h3 id="report-heading" tabIndex={-1}>Validation report</h3>
      <p id="report-counts">
        <strong>{counts}.</strong> {report.errors.length > 0 ? 'A pack with errors cannot be imported.' : null}
      </p>
      {rows.length > 0 ? (
        <>
          <div className="report-tools">
            <div className="field">
              <label htmlFor="report-severity">Severity</label>
              <select id="report-severity" value={filter.severity} onChange={(e) => setFilter({ ...filter, severity: e.target.value as ReportFilter['severity'] })}>
                <option value="all">All ({rows.length.toLocaleString()})</option>
                <option value="error">Errors ({report.errors.length.toLocaleString()})</option>
                <option value="warning">Warnings ({report.warnings.length.toLocaleString()})</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="report-code">Code</label>
              <select id="report-code" value={filter.code} onChange={(e) => setFilter({ ...filter, code: e.target.value as FindingCode | 'all' })}>
                <option value="all">All codes</option>
                {codes.map((c) => (
                  <option key={c.code} value={c.code}>
                    {c.code} ({c.count.toLocaleString()})
                  </option>
                ))}
              </select>
            </div>
            <button type="button" onClick={() => void copy()}>
              Copy report as JSON
            </button>
            <span role="status" className="status-text">
              {copied.status}
            </span>
          </div>
          {copied.shown === null ? null : (
            <div className="field">
              <label htmlFor="report-json">The report as JSON</label>
              <textarea id="report-json" className="report-json" readOnly rows={8} value={copied.shown} onFocus={(e) => e.currentTarget.select()} />
            </div>
          )}
          <h4 id="findings-label">
            Findings{filter.severity === 'all' && filter.code === 'all' ? '' : ' (filtered)'}: {shown.length.toLocaleString()} shown, {errorsShown.toLocaleString()} of them errors
          </h4>
          <p id="findings-help" className="hint">
            Errors come first, then warnings. Arrow keys move; Enter opens the record in the preview.
          </p>
          {shown.length === 0 ? (
            <p>No finding matches these filters.</p>
          ) : (
            <VirtualListbox
              id="findings"
              labelledBy="findings-label"
              describedBy="findings-help"
              count={shown.length}
              rowHeight={rowHeight}
              viewportHeight={rowHeight * 6}
              rowKey={(i) => shown[i]!.key}
              active={active}
              onActiveChange={setActive}
              onChoose={(i) => {
                const record = shown[i]?.finding.record;
                if (record) void onOpenRecord(record);
              }}
              renderRow={(i) => <FindingLines row={shown[i]!} />}
            />
          )}
          {selected ? <FindingDetails row={selected} onOpenRecord={onOpenRecord} /> : null}
        </>
      ) : null}
    </section>
  );
}

/** A finding in three lines; the option's accessible name is this text, severity first. */
function FindingLines({ row }: { row: FindingRow }) {
  const { finding } = row;
  return (
    <>
      <span className="finding-line">
        <span className={`severity severity-${finding.severity}`}>{severityName[finding.severity]}</span> <code>{finding.code}</code>
        {finding.record ? <> in {finding.record.label}</> : ' in the file'}
      </span>
      <span className="finding-line">{finding.message}</span>
      <span className="finding-line finding-meta">
        At <code>{finding.path === '' ? '(the whole file)' : finding.path}</code>
        {finding.suggestion ? <>. Suggestion: {finding.suggestion}</> : null}
      </span>
    </>
  );
}

/** The selected finding in full (long messages are cut short in the list). */
function FindingDetails({ row, onOpenRecord }: { row: FindingRow; onOpenRecord: (record: RecordRef) => void }) {
  const { finding } = row;
  const { record } = finding;
  return (
    <section aria-labelledby="finding-details-heading" className="finding-details">
      <h4 id="finding-details-heading">Selected finding</h4>
      <dl className="facts">
        <div>
          <dt>Severity</dt>
          <dd>{severityName[finding.severity]}</dd>
        </div>
        <div>
          <dt>Code</dt>
          <dd>
            <code>{finding.code}</code>
          </dd>
        </div>
        <div>
          <dt>Path</dt>
          <dd>
            <code>{finding.path === '' ? '(the whole file)' : finding.path}</code>
          </dd>
        </div>
        <div>
          <dt>Message</dt>
          <dd>{finding.message}</dd>
        </div>
        <div>
          <dt>Suggestion</dt>
          <dd>{finding.suggestion ?? 'None'}</dd>
        </div>
        <div>
          <dt>Record</dt>
          <dd>{record ? `${record.label} (${record.table})` : 'The file as a whole'}</dd>
        </div>
      </dl>
      {record?.id ? (
        <button type="button" onClick={() => onOpenRecord(record)}>
          Open {record.label} in the preview
        </button>
      ) : null}
    </section>
  );
}
