/** "What the tutor sees": the exact system message sent with this conversation (prompt and context), in a modal dialog. */
import { useEffect, useRef, useState } from 'react';
import type { TutorContextView } from '../../../shared/ipc/contract';
import { loadTutorContext } from './chatStore';

export function ContextDialog({ chatId, open, onClose }: { chatId: string; open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const [view, setView] = useState<TutorContextView | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (open && !el.open) {
      returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setView(null);
      setFailed(false);
      el.showModal();
      closeButton.current?.focus();
      // Loaded each time it opens: the context is rebuilt as the learner answers.
      void loadTutorContext(chatId).then((loaded) => (loaded ? setView(loaded) : setFailed(true)));
    } else if (!open && el.open) {
      el.close();
    }
  }, [open, chatId]);

  const onDialogClose = () => {
    onClose();
    returnFocusTo.current?.focus();
    returnFocusTo.current = null;
  };

  return (
    <dialog ref={dialog} aria-labelledby="context-heading" className="dialog" onClose={onDialogClose}>
      <div className="dialog-header">
        <h2 id="context-heading">What the tutor sees</h2>
        <form method="dialog">
          <button type="submit" ref={closeButton}>
            Close
          </button>
        </form>
      </div>
      {view ? (
        <>
          <p>This is exactly what is sent to the tutor before your messages: its instructions and what it knows about your work.</p>
          <pre className="context-text" tabIndex={0} aria-label="The message sent to the tutor">
            {view.systemMessage}
          </pre>
        </>
      ) : (
        <p role="status">{failed ? 'It could not be loaded.' : 'Loading…'}</p>
      )}
    </dialog>
  );
}
