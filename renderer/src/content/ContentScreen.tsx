/**
 * The Content workspace, for instructors: open a pack file and read its validation report, see what an import would
 * change and import it after confirming, preview drafts exactly as learners would see them, and export, remove or
 * publish the installed packs. Shown in the navigation when Settings › "Show the instructor tools" is on; with the
 * tools off, its address says so and offers to turn them on, rather than showing the workspace anyway.
 */
import { useEffect, useRef } from 'react';
import { useSettings } from '../settings/settingsStore';
import { plural } from '../shell/format';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { focusSoon, useContentWorkspace } from './contentStore';
import { DiffView } from './DiffView';
import { useInstructorTools } from './instructorTools';
import { InstalledPacks } from './InstalledPacks';
import { OpenPack } from './OpenPack';
import { PreviewPanel } from './PreviewPanel';
import { ReportView } from './ReportView';
import './content.css';

export function ContentScreen() {
  return useInstructorTools() ? <Workspace /> : <InstructorToolsOff />;
}

/** The tools are off (Settings): what this screen is, and the way to turn them on here or in Settings. */
function InstructorToolsOff() {
  const save = useSettings((s) => s.save);
  const saving = useSettings((s) => s.saving);
  useEffect(() => useShell.getState().markScreenReady(), []);
  const turnOn = async () => {
    if (saving || !(await save({ showInstructorTools: true }))) return;
    useShell.getState().announce('The instructor tools are shown: Content is in the navigation.');
    // This button goes with the explanation: the workspace's heading takes the focus.
    focusSoon('screen-heading');
  };
  return (
    <>
      <ScreenHeading title="Content">Content</ScreenHeading>
      <p>
        Content is one of the instructor tools, which are turned off on this device. It checks, previews, imports and exports content packs; studying
        does not need it.
      </p>
      <p>
        {/* aria-disabled while saving, not disabled: a disabled button drops the focus to <body>. */}
        <button type="button" className="primary" aria-disabled={saving || undefined} onClick={() => void turnOn()}>
          Show the instructor tools
        </button>
      </p>
      <p>
        The same choice is in <Link to={{ name: 'settings' }}>Settings</Link>, where you can turn them off again.
      </p>
    </>
  );
}

function Workspace() {
  const packs = useContentWorkspace((s) => s.packs);
  const packsFailed = useContentWorkspace((s) => s.packsFailed);
  useEffect(() => {
    if (packs !== null || packsFailed) useShell.getState().markScreenReady();
  }, [packs, packsFailed]);
  return (
    <>
      <ScreenHeading title="Content">Content</ScreenHeading>
      <p>Check, preview, import and export content packs. Everything here works offline.</p>
      <OpenPack />
      <OpenedPack />
      <PreviewPanel />
      <InstalledPacks />
    </>
  );
}

/** The opened file: its report, what importing it would change, and the import itself. */
function OpenedPack() {
  const opened = useContentWorkspace((s) => s.opened);
  const openRecord = useContentWorkspace((s) => s.openRecord);
  const previewOpened = useContentWorkspace((s) => s.previewOpened);
  if (!opened) return null;
  return (
    <section aria-labelledby="opened-heading">
      <h2 id="opened-heading">
        {opened.fileName}: {opened.packName}
      </h2>
      <ReportView report={opened.report} onOpenRecord={(record) => void openRecord(record)} />
      <p>
        <button type="button" onClick={() => void previewOpened()}>
          Preview this file
        </button>
      </p>
      {opened.comparing ? (
        <p>Comparing the pack with your content…</p>
      ) : opened.diff ? (
        <DiffView diff={opened.diff} />
      ) : (
        <p>What an import would change is shown once the pack has no errors.</p>
      )}
      <ImportActions />
    </section>
  );
}

function ImportActions() {
  const opened = useContentWorkspace((s) => s.opened);
  const importing = useContentWorkspace((s) => s.importing);
  const confirming = useContentWorkspace((s) => s.confirming);
  const imported = useContentWorkspace((s) => s.imported);
  const askToImport = useContentWorkspace((s) => s.askToImport);
  const confirmImport = useContentWorkspace((s) => s.confirmImport);
  const cancelImport = useContentWorkspace((s) => s.cancelImport);
  const closeOpened = useContentWorkspace((s) => s.closeOpened);
  const refusal = useContentWorkspace((s) => s.importRefusal);
  const confirmRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (confirming) confirmRef.current?.focus();
  }, [confirming]);
  // Import is offered once the diff it would confirm is there.
  if (!opened || opened.comparing) return null;

  if (imported) {
    return (
      <section aria-labelledby="imported-heading">
        <h3 id="imported-heading" tabIndex={-1}>Imported</h3>
        <p role="status">{imported}</p>
        <button type="button" onClick={closeOpened}>
          Close this file
        </button>
      </section>
    );
  }
  return (
    <section aria-labelledby="import-heading">
      <h3 id="import-heading" tabIndex={-1}>Import</h3>
      {refusal ? (
        <p role="alert" className="field-error">
          {refusal}
        </p>
      ) : null}
      {importing ? (
        <div className="progress-line">
          <progress aria-labelledby="import-progress" {...(importing.fraction === null ? {} : { value: importing.fraction, max: 1 })} />
          <span id="import-progress" role="status">
            {importing.text}
          </span>
          <button id="import-cancel" type="button" onClick={cancelImport}>
            Cancel import
          </button>
        </div>
      ) : confirming ? (
        <div className="confirm">
          <h4 id="confirm-heading" tabIndex={-1} ref={confirmRef}>
            Import {opened.packName}?
          </h4>
          <p>
            {opened.diff ? `${plural(opened.diffChangeCount, 'record')} will change, as listed above.` : 'The records listed above will be written.'} Nothing is visible to
            learners until the import has finished.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void confirmImport()}>
              Yes, import
            </button>
            <button type="button" onClick={cancelImport}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="button" className="primary" onClick={askToImport}>
            Import…
          </button>
          <button type="button" onClick={closeOpened}>
            Close this file
          </button>
        </div>
      )}
    </section>
  );
}
