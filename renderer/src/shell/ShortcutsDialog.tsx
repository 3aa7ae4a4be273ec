/** The `?` help: a modal dialog listing every shortcut; Escape closes it and focus returns where it was. */
import { useEffect, useRef } from 'react';
import { useSettings } from '../settings/settingsStore';
import { shortcutHelp } from './shortcuts';
import { useShell } from './shellStore';

export function ShortcutsDialog() {
  const open = useShell((s) => s.helpOpen);
  const setOpen = useShell((s) => s.setHelpOpen);
  const singleKeys = useSettings((s) => s.settings?.singleKeyShortcuts ?? true);
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      el.showModal();
      closeButton.current?.focus();
    } else if (!open && el.open) {
      el.close();
    }
  }, [open]);

  const onClose = () => {
    setOpen(false);
    returnFocusTo.current?.focus();
    returnFocusTo.current = null;
  };

  return (
    <dialog ref={dialog} aria-labelledby="shortcuts-heading" className="dialog" onClose={onClose}>
      <div className="dialog-header">
        <h2 id="shortcuts-heading">Keyboard shortcuts</h2>
        {/* First in the dialog, so the focus it receives on opening leaves the heading in view. */}
        <form method="dialog">
          <button type="submit" ref={closeButton}>
            Close
          </button>
        </form>
      </div>
      {singleKeys ? null : (
        <p className="hint">Single-key shortcuts are off; the ones marked “single key” work after you turn them on in Settings.</p>
      )}
      {shortcutHelp.map((group) => (
        <table key={group.group} className="shortcut-table">
          <caption>{group.group}</caption>
          {/* The same column widths in every table, so the keys line up from one group to the next. */}
          <colgroup>
            <col className="shortcut-keys" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th scope="col">Keys</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {group.items.map((item) => (
              <tr key={item.keys + item.action}>
                <th scope="row">
                  <kbd>{item.keys}</kbd>
                  {item.singleKey && !singleKeys ? <span className="hint"> (single key, off)</span> : null}
                </th>
                <td>{item.action}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </dialog>
  );
}
