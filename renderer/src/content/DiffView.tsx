/**
 * What an import would change, before anything is written: per table the counts of added, updated, unchanged and (in
 * override mode) replaced records, then the changed records with the fields that change.
 */
import { useState } from 'react';
import type { ChangedRecord, PackDiff } from '../../../shared/ipc/contract';
import { plural } from '../shell/format';
import { VirtualListbox } from './VirtualListbox';

const tableName: Record<PackDiff['tables'][number]['table'], string> = { domains: 'Domains', skills: 'Skills', questions: 'Questions', drill_questions: 'Drill questions' };
const rowHeight = 48;

function changeText(record: ChangedRecord): string {
  switch (record.change) {
    case 'added':
      return 'added';
    case 'absent':
      return 'no longer in the file (kept)';
    default:
      return record.fields.length > 0 ? `${record.change}: ${record.fields.join(', ')}` : record.change;
  }
}

export function DiffView({ diff }: { diff: PackDiff }) {
  const [active, setActive] = useState(0);
  const override = diff.mode === 'override';
  const absent = diff.tables.some((t) => t.absent > 0);
  return (
    <section aria-labelledby="diff-heading">
      <h3 id="diff-heading">What the import would change</h3>
      <table>
        <caption>{override ? 'Override mode: records that match by id or slug are replaced.' : 'Append mode: existing records stay as they are.'}</caption>
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col">Added</th>
            <th scope="col">Updated</th>
            <th scope="col">Unchanged</th>
            {override ? <th scope="col">Replaced</th> : null}
            {absent ? <th scope="col">No longer in the file</th> : null}
          </tr>
        </thead>
        <tbody>
          {diff.tables.map((t) => (
            <tr key={t.table}>
              <th scope="row">{tableName[t.table]}</th>
              <td>{t.added.toLocaleString()}</td>
              <td>{t.updated.toLocaleString()}</td>
              <td>{t.unchanged.toLocaleString()}</td>
              {override ? <td>{t.replaced.toLocaleString()}</td> : null}
              {absent ? <td>{t.absent.toLocaleString()}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      {diff.keptUnpublished.domains + diff.keptUnpublished.skills > 0 ? (
        <p>
          Kept as drafts by the publish rule: {plural(diff.keptUnpublished.domains, 'domain')} and {plural(diff.keptUnpublished.skills, 'skill')} (no published
          question or skill under them).
        </p>
      ) : null}
      <h4 id="diff-records-label">
        Changed records: {plural(diff.changedTotal, 'record')}
        {diff.changed.length < diff.changedTotal ? `, the first ${diff.changed.length.toLocaleString()} listed` : ''}
      </h4>
      {diff.changed.length === 0 ? (
        <p>Nothing would change.</p>
      ) : (
        <VirtualListbox
          id="diff-records"
          labelledBy="diff-records-label"
          count={diff.changed.length}
          rowHeight={rowHeight}
          viewportHeight={rowHeight * 8}
          rowKey={(i) => diff.changed[i]!.key}
          active={active}
          onActiveChange={setActive}
          onChoose={setActive}
          renderRow={(i) => {
            const record = diff.changed[i]!;
            return (
              <span className="finding-line">
                {tableName[record.table]}: <strong>{record.label}</strong> — {changeText(record)}
              </span>
            );
          }}
        />
      )}
    </section>
  );
}
