/** The Tutor screen: recent conversations (newest first, each with its last message), new chat, rename, export and delete. */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ConversationSummary } from '../../../shared/ipc/contract';
import { conversationTitleMaxLength } from '../../../shared/tutor/limits';
import { useSettings } from '../settings/settingsStore';
import { formatDateTime } from '../shell/format';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { lastMessageLine } from './conversationText';
import { useConversations } from './conversationsStore';
import './tutor.css';

export function TutorScreen() {
  const conversations = useConversations((s) => s.conversations);
  const loading = useConversations((s) => s.loading);
  const busy = useConversations((s) => s.busy);
  const load = useConversations((s) => s.load);
  const start = useConversations((s) => s.start);
  const newChatButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    if (conversations) useShell.getState().markScreenReady();
  }, [conversations]);

  return (
    <>
      <ScreenHeading title="Tutor">Tutor</ScreenHeading>
      <p className="hint">
        The tutor asks questions that lead you to the answer; it will not give away the answer to a question you have not answered
        yet.
      </p>
      <div className="actions">
        {/* aria-disabled, not disabled, while a chat is being created: a disabled button drops the focus to <body>. */}
        <button type="button" className="primary" ref={newChatButton} aria-disabled={busy || undefined} onClick={() => busy || void start()}>
          New chat
        </button>
      </div>
      <section aria-labelledby="conversations-heading">
        <h2 id="conversations-heading">Recent conversations</h2>
        {conversations === null ? (
          <p>{loading ? 'Loading your conversations…' : 'Your conversations could not be loaded.'}</p>
        ) : conversations.length === 0 ? (
          <p>No conversations yet. Start one with New chat, or with “Ask the tutor” while you practise.</p>
        ) : (
          <ul className="conversations">
            {conversations.map((c) => (
              <li key={c.id}>
                <ConversationItem summary={c} onDeleted={() => newChatButton.current?.focus()} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function ConversationItem({ summary, onDeleted }: { summary: ConversationSummary; onDeleted: () => void }) {
  const rename = useConversations((s) => s.rename);
  const remove = useConversations((s) => s.remove);
  const exportMarkdown = useConversations((s) => s.exportMarkdown);
  const timeZone = useSettings((s) => s.settings?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm-delete'>('view');
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const backTo = (button: 'rename' | 'delete') => {
    setMode('view');
    // After the form or question closes, focus returns to the button that opened it.
    window.setTimeout(() => (button === 'rename' ? renameButton : deleteButton).current?.focus(), 0);
  };

  return (
    <article className="conversation" aria-labelledby={`conversation-${summary.id}`}>
      <h3 id={`conversation-${summary.id}`}>
        <Link to={{ name: 'chat', chatId: summary.id }}>{summary.title}</Link>
      </h3>
      <p className="last-message">{lastMessageLine(summary)}</p>
      <p className="hint">
        Last activity <time dateTime={new Date(summary.updatedUtcMs).toISOString()}>{formatDateTime(summary.updatedUtcMs, timeZone)}</time>
      </p>
      {mode === 'rename' ? (
        <RenameForm
          summary={summary}
          onDone={async (title) => {
            if (title !== null && !(await rename(summary.id, title))) return;
            backTo('rename');
          }}
        />
      ) : mode === 'confirm-delete' ? (
        <ConfirmDelete
          chatId={summary.id}
          title={summary.title}
          onConfirm={async () => {
            if (await remove(summary.id, summary.title)) onDeleted();
            else backTo('delete');
          }}
          onCancel={() => backTo('delete')}
        />
      ) : (
        <div className="actions">
          <button type="button" ref={renameButton} aria-label={`Rename “${summary.title}”`} onClick={() => setMode('rename')}>
            Rename
          </button>
          <button type="button" aria-label={`Export “${summary.title}” as Markdown`} onClick={() => void exportMarkdown(summary.id)}>
            Export as Markdown
          </button>
          <button type="button" ref={deleteButton} aria-label={`Delete “${summary.title}”`} onClick={() => setMode('confirm-delete')}>
            Delete
          </button>
        </div>
      )}
    </article>
  );
}

/** Renames in place; Escape or Cancel leaves the name as it was. `onDone(null)` means cancelled. */
function RenameForm({ summary, onDone }: { summary: ConversationSummary; onDone: (title: string | null) => Promise<void> }) {
  const [title, setTitle] = useState(summary.title);
  const [error, setError] = useState('');
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.select();
  }, []);
  const inputId = `rename-${summary.id}`;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = title.trim();
    if (trimmed === '' || trimmed.length > conversationTitleMaxLength) {
      setError(`Name: use 1 to ${conversationTitleMaxLength} characters.`);
      input.current?.focus();
      return;
    }
    void onDone(trimmed);
  };

  return (
    <form className="rename-form" noValidate onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={inputId}>New name for “{summary.title}”</label>
        <input
          id={inputId}
          ref={input}
          type="text"
          value={title}
          maxLength={conversationTitleMaxLength}
          onChange={(e) => setTitle(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.preventDefault();
              void onDone(null);
            }
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : undefined}
        />
        {error ? (
          <p className="field-error" id={`${inputId}-error`}>
            {error}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="primary">
          Save name
        </button>
        <button type="button" onClick={() => void onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Asks before deleting; focus goes to the question's first button so it is read at once. Escape answers Cancel. */
function ConfirmDelete({ chatId, title, onConfirm, onCancel }: { chatId: string; title: string; onConfirm: () => Promise<void>; onCancel: () => void }) {
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirmButton.current?.focus();
  }, []);
  return (
    <div
      className="confirm"
      role="group"
      aria-labelledby={`delete-question-${chatId}`}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.preventDefault();
          onCancel();
        }
      }}
    >
      <p id={`delete-question-${chatId}`}>Delete “{title}”? It leaves your conversations on every device where you are signed in.</p>
      <button type="button" className="danger" ref={confirmButton} onClick={() => void onConfirm()}>
        Yes, delete
      </button>{' '}
      <button type="button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
