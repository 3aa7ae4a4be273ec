/**
 * Opening a pack file: a native file input (the web host's picker, and Electron's open dialog, which Chromium shows for
 * the same input), the import mode, progress while the pack is uploaded and checked, and Cancel.
 */
import { useEffect, useRef, type ChangeEvent } from 'react';
import { packFileLimitBytes } from './limits';
import { useContentWorkspace } from './contentStore';

const limitMiB = packFileLimitBytes / (1024 * 1024);

export function OpenPack() {
  const opening = useContentWorkspace((s) => s.opening);
  const importing = useContentWorkspace((s) => s.importing !== null);
  const mode = useContentWorkspace((s) => s.mode);
  const setMode = useContentWorkspace((s) => s.setMode);
  const openFile = useContentWorkspace((s) => s.openFile);
  const cancelOpen = useContentWorkspace((s) => s.cancelOpen);
  const inputRef = useRef<HTMLInputElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const isOpening = opening !== null;
  // One pack at a time: the one being imported stays open until its import ends or is cancelled.
  const locked = isOpening || importing;

  useEffect(() => {
    // The file input is disabled while its file opens, which drops its focus to the page: Cancel, beside the progress,
    // takes it, so a keyboard user is where the next useful key is.
    const focused = document.activeElement;
    if (isOpening && (focused === inputRef.current || focused === document.body || focused === null)) cancelRef.current?.focus();
  }, [isOpening]);

  const onChange = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once, so choosing the same file again (after fixing it) opens it again.
    event.target.value = '';
    if (file) void openFile(file);
  };

  return (
    <section aria-labelledby="open-heading">
      <h2 id="open-heading" tabIndex={-1}>Open a pack</h2>
      <fieldset>
        <legend>When records already exist</legend>
        <label className="choice">
          <input type="radio" name="import-mode" checked={mode === 'append'} onChange={() => setMode('append')} disabled={locked} />
          Append: add what is new, keep existing records
        </label>
        <label className="choice">
          <input type="radio" name="import-mode" checked={mode === 'override'} onChange={() => setMode('override')} disabled={locked} />
          Override: replace records that match by id or slug
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="pack-file">Pack file</label>
        <input
          ref={inputRef}
          id="pack-file"
          type="file"
          accept=".json,application/json"
          aria-describedby={importing ? 'pack-file-help pack-file-busy' : 'pack-file-help'}
          disabled={locked}
          onChange={onChange}
        />
        <p className="hint" id="pack-file-help">
          A content pack (JSON, at most {limitMiB} MiB). It is checked and compared with your content; nothing is imported until you confirm.
        </p>
        {importing ? (
          <p className="hint" id="pack-file-busy">
            An import is running: open another pack once it has finished or been cancelled.
          </p>
        ) : null}
      </div>
      {opening ? (
        <div className="progress-line">
          <progress aria-labelledby="open-progress" {...(opening.fraction === null ? {} : { value: opening.fraction, max: 1 })} />
          <span id="open-progress" role="status">
            {opening.text}
          </span>
          <button ref={cancelRef} type="button" onClick={cancelOpen}>
            Cancel
          </button>
        </div>
      ) : null}
    </section>
  );
}
