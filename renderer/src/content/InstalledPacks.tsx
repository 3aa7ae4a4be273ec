/**
 * The packs installed on this device: preview, export (the file downloads and its SHA-256 is shown), remove (after a
 * confirmation naming what goes and what stays), and, for a signed-in content editor only, publish to the server
 * (its diff first, then publishing with progress).
 */
import { useEffect, useRef, useState } from 'react';
import { useSettings } from '../settings/settingsStore';
import { formatDateTime } from '../shell/format';
import { focusSoon, useContentWorkspace, type InstalledPack } from './contentStore';
import { removalSentence, sameNameImports } from './packSummary';

export function InstalledPacks() {
  const packs = useContentWorkspace((s) => s.packs);
  const packsFailed = useContentWorkspace((s) => s.packsFailed);
  const loadPacks = useContentWorkspace((s) => s.loadPacks);
  const canPublish = useContentWorkspace((s) => s.canPublish);
  const exported = useContentWorkspace((s) => s.exported);
  const exportPack = useContentWorkspace((s) => s.exportPack);
  const busy = useContentWorkspace((s) => s.busy);
  const [removing, setRemoving] = useState<InstalledPack | null>(null);
  const [publishing, setPublishing] = useState<InstalledPack | null>(null);
  const timeZone = useSettings((s) => s.settings?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

  useEffect(() => {
    void loadPacks();
  }, [loadPacks]);

  return (
    <section aria-labelledby="packs-heading">
      <h2 id="packs-heading" tabIndex={-1}>Installed packs</h2>
      {packs === null ? (
        <p>{packsFailed ? 'The installed packs could not be listed.' : 'Loading the installed packs…'}</p>
      ) : packs.length === 0 ? (
        <p>No pack is installed.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption className="visually-hidden">Installed packs</caption>
            <thead>
              <tr>
                <th scope="col">Pack</th>
                <th scope="col">Version</th>
                <th scope="col">Contents</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {packs.map((pack) => (
                <PackRow
                  key={pack.id}
                  pack={pack}
                  importedAt={sameNameImports(packs, pack).length > 0 ? formatDateTime(pack.importedUtcMs, timeZone) : null}
                  canPublish={canPublish}
                  onRemove={setRemoving}
                  onPublish={setPublishing}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        {/* aria-disabled, not disabled, while an export or removal runs: a disabled button drops the focus to <body>. */}
        <button type="button" aria-disabled={busy || undefined} onClick={() => busy || void exportPack(null)}>
          Export all local content
        </button>
      </p>
      {exported ? (
        <p role="status">
          Exported {exported.fileName}. SHA-256: <span className="checksum">{exported.sha256}</span>
        </p>
      ) : null}
      {removing ? <RemoveConfirmation pack={removing} packs={packs ?? []} onDone={() => setRemoving(null)} /> : null}
      {publishing && canPublish ? <PublishFlow pack={publishing} onDone={() => setPublishing(null)} /> : null}
    </section>
  );
}

type PackRowProps = {
  pack: InstalledPack;
  /** When another import has the same name: when this one was imported, which tells the rows (and their buttons) apart. */
  importedAt: string | null;
  canPublish: boolean;
  onRemove: (p: InstalledPack) => void;
  onPublish: (p: InstalledPack) => void;
};

function PackRow({ pack, importedAt, canPublish, onRemove, onPublish }: PackRowProps) {
  const previewPack = useContentWorkspace((s) => s.previewPack);
  const exportPack = useContentWorkspace((s) => s.exportPack);
  const busy = useContentWorkspace((s) => s.busy);
  const name = `${pack.name} ${pack.version}${importedAt ? `, imported ${importedAt}` : ''}`;
  return (
    <tr>
      <th scope="row">{pack.name}</th>
      <td>
        {pack.version}
        {importedAt ? <span className="hint"> (imported {importedAt})</span> : null}
      </td>
      <td>{pack.summary}</td>
      <td>
        <div className="actions">
          <button type="button" aria-label={`Preview ${name}`} onClick={() => void previewPack(pack)}>
            Preview
          </button>
          <button type="button" aria-label={`Export ${name}`} aria-disabled={busy || undefined} onClick={() => busy || void exportPack(pack)}>
            Export
          </button>
          <button type="button" id={removeButtonId(pack)} aria-label={`Remove ${name}`} onClick={() => onRemove(pack)}>
            Remove
          </button>
          {canPublish ? (
            <button type="button" aria-label={`Publish ${name}`} onClick={() => onPublish(pack)}>
              Publish
            </button>
          ) : null}
        </div>
      </td>
    </tr>
  );
}

const removeButtonId = (pack: InstalledPack) => `remove-pack-${pack.id}`;

function RemoveConfirmation({ pack, packs, onDone }: { pack: InstalledPack; packs: readonly InstalledPack[]; onDone: () => void }) {
  const removePack = useContentWorkspace((s) => s.removePack);
  const busy = useContentWorkspace((s) => s.busy);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <section aria-labelledby="remove-heading" className="confirm">
      <h3 id="remove-heading" tabIndex={-1} ref={ref}>
        Remove {pack.name} {pack.version}?
      </h3>
      <p>{removalSentence(pack, packs)}</p>
      <div className="actions">
        {/* aria-disabled while busy, for the focus rule above; a failed removal keeps the confirmation (and the focus). */}
        <button
          type="button"
          className="danger"
          aria-disabled={busy || undefined}
          onClick={() => {
            if (!busy) void removePack(pack).then((removed) => removed && onDone());
          }}
        >
          Remove the pack
        </button>
        <button
          type="button"
          onClick={() => {
            onDone();
            // Back to the Remove button that asked: the confirmation goes, and the focus with it.
            focusSoon(removeButtonId(pack));
          }}
        >
          Keep it
        </button>
      </div>
    </section>
  );
}

function PublishFlow({ pack, onDone }: { pack: InstalledPack; onDone: () => void }) {
  const publishDiff = useContentWorkspace((s) => s.publishDiff);
  const publish = useContentWorkspace((s) => s.publish);
  const state = useContentWorkspace((s) => s.publishing);
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
    void publishDiff(pack);
  }, [pack, publishDiff]);
  return (
    <section aria-labelledby="publish-heading" className="content-panel">
      <h3 id="publish-heading" tabIndex={-1} ref={ref}>
        Publish {pack.name} {pack.version} to the server
      </h3>
      {state === null || state.phase === 'loading' ? (
        <p role="status">Comparing with the server…</p>
      ) : state.phase === 'diff' ? (
        <>
          <ul>
            {state.lines.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <div className="actions">
            {state.refused ? null : (
              <button type="button" className="primary" onClick={() => void publish(pack)}>
                Publish now
              </button>
            )}
            <button type="button" onClick={onDone}>
              Cancel
            </button>
          </div>
        </>
      ) : state.phase === 'publishing' ? (
        <p role="status">{state.text}</p>
      ) : (
        <>
          <p role="status">{state.text}</p>
          <button type="button" onClick={onDone}>
            Close
          </button>
        </>
      )}
    </section>
  );
}
