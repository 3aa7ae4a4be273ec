/**
 * A conversation with the tutor. The transcript is a log (aria-busy while a reply streams; its own live announcements are
 * off, so a screen reader never reads a reply token by token), and the end of each reply is announced once, politely.
 * Focus stays in the message box: Enter sends, Shift+Enter adds a line, Escape (or Stop) stops a reply and keeps its part.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import type { TutorMessage } from '../../../shared/ipc/contract';
import { offlineTutorLabel } from '../../../shared/tutor/labels';
import { tutorMessageMaxLength } from '../../../shared/tutor/limits';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { composerAction } from './chatKeys';
import { useChat } from './chatStore';
import { replyStatusText, retryableReplyId, type LiveReply } from './chatStream';
import { ContextDialog } from './ContextDialog';
import { useConversations } from './conversationsStore';
import { Markdown } from './Markdown';
import { useProvider } from './providerStore';
import './tutor.css';

const inputId = 'chat-input';

export function ChatScreen({ chatId }: { chatId: string }) {
  const conversation = useChat((s) => (s.chatId === chatId ? s.conversation : null));
  const loadError = useChat((s) => s.loadError);
  const messages = useChat((s) => s.messages);
  const live = useChat((s) => s.live);
  const open = useChat((s) => s.open);
  const stop = useChat((s) => s.stop);
  const provider = useProvider((s) => s.provider);
  const exportMarkdown = useConversations((s) => s.exportMarkdown);
  const [contextOpen, setContextOpen] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const transcript = useRef<HTMLDivElement>(null);
  const streaming = live !== null;

  useEffect(() => {
    void open(chatId);
    void useProvider.getState().load();
  }, [open, chatId]);
  useEffect(() => {
    if (conversation || loadError) useShell.getState().markScreenReady();
  }, [conversation, loadError]);

  // Escape stops a streaming reply wherever focus is on the screen, unless a dialog took the key to close itself.
  useEffect(() => {
    if (!streaming) return;
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      stop();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [streaming, stop]);

  // New text keeps the transcript scrolled to its end (it scrolls on its own, so the message box stays in view).
  useEffect(() => {
    const el = transcript.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [messages, live]);

  const title = conversation?.title ?? 'Conversation';
  const retryable = retryableReplyId(messages, streaming);

  return (
    <>
      <p className="breadcrumb">
        <Link to={{ name: 'tutor' }}>Tutor</Link>
      </p>
      <ScreenHeading title={title}>{title}</ScreenHeading>
      {loadError ? (
        <p>This conversation could not be opened: {loadError}</p>
      ) : !conversation ? (
        <p>Loading the conversation…</p>
      ) : (
        <>
          <div className="actions">
            <button type="button" onClick={() => setContextOpen(true)}>
              What the tutor sees
            </button>
            <button type="button" onClick={() => void exportMarkdown(chatId)}>
              Export as Markdown
            </button>
          </div>
          <div
            ref={transcript}
            className="transcript"
            role="log"
            aria-label="Conversation with the tutor"
            aria-live="off"
            aria-busy={streaming}
            tabIndex={0}
          >
            {messages.length === 0 && !live ? <p className="hint">No messages yet. Ask the tutor something below.</p> : null}
            {messages.map((m) => (
              <Message
                key={m.id}
                message={m}
                canRetry={m.id === retryable}
                onRetried={() => input.current?.focus()}
              />
            ))}
            {live ? <LiveMessage live={live} /> : null}
          </div>
          {provider?.kind === 'offline' ? <p className="offline-note">{offlineTutorLabel}.</p> : null}
          <Composer chatId={chatId} input={input} streaming={streaming} />
          <ContextDialog chatId={chatId} open={contextOpen} onClose={() => setContextOpen(false)} />
        </>
      )}
    </>
  );
}

function senderName(message: Pick<TutorMessage, 'sender'>): string {
  return message.sender === 'user' ? 'You' : message.sender === 'tutor' ? 'Tutor' : 'Note';
}

function Message({ message, canRetry, onRetried }: { message: TutorMessage; canRetry: boolean; onRetried: () => void }) {
  const retry = useChat((s) => s.retry);
  const status = message.sender === 'tutor' ? replyStatusText(message) : null;
  return (
    <div className={`message message-${message.sender}`} data-status={message.status ?? undefined}>
      <p className="message-sender">
        <strong>{senderName(message)}</strong>
        {message.source === 'offline' ? <span className="source-label"> ({offlineTutorLabel})</span> : null}
      </p>
      {message.sender === 'user' ? <p className="user-text">{message.text}</p> : <Markdown text={message.text} />}
      {status ? <p className="reply-status">{status}</p> : null}
      {canRetry ? (
        <button
          type="button"
          onClick={() => {
            onRetried();
            void retry(message.id);
          }}
        >
          Retry
        </button>
      ) : null}
    </div>
  );
}

/** After this long without a word of the reply, it says it is still waiting for the provider (which may take 60 s to time out). */
export const SILENCE_NOTICE_MS = 8000;

const silenceNotice = `Still waiting for the provider: nothing has arrived for ${SILENCE_NOTICE_MS / 1000} seconds. Stop (or Escape) ends the reply.`;

/**
 * Whether `text` has not grown for SILENCE_NOTICE_MS: the length it stood at when the timer ran, compared with its length
 * now, so a chunk ends the silence at once. Said once per silence (the transcript's own announcements are off).
 */
function useSilence(text: string): boolean {
  const [silentAt, setSilentAt] = useState<number | null>(null);
  const length = text.length;
  useEffect(() => {
    const timer = window.setTimeout(() => {
      setSilentAt(length);
      useShell.getState().announce(silenceNotice);
    }, SILENCE_NOTICE_MS);
    return () => window.clearTimeout(timer);
  }, [length]);
  return silentAt === length;
}

function LiveMessage({ live }: { live: LiveReply }) {
  const silent = useSilence(live.text);
  return (
    <div className="message message-tutor" data-status="streaming">
      <p className="message-sender">
        <strong>Tutor</strong>
        {live.source === 'offline' ? <span className="source-label"> ({offlineTutorLabel})</span> : null}
      </p>
      {live.text ? <Markdown text={live.text} streaming /> : null}
      <p className="reply-status">{silent ? silenceNotice : 'Writing… (Escape or Stop ends the reply and keeps what arrived.)'}</p>
    </div>
  );
}

function Composer({ chatId, input, streaming }: { chatId: string; input: RefObject<HTMLTextAreaElement | null>; streaming: boolean }) {
  const sendDraft = useChat((s) => s.sendDraft);
  const stop = useChat((s) => s.stop);
  const sendError = useChat((s) => s.sendError);
  const text = useChat((s) => s.drafts[chatId] ?? '');
  const setDraft = useChat((s) => s.setDraft);

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    const action = composerAction(event.nativeEvent, streaming);
    if (action === null) return;
    event.preventDefault();
    if (action === 'send') void sendDraft();
    else stop();
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void sendDraft();
  };

  return (
    <form className="composer" noValidate onSubmit={onSubmit}>
      <div className="field">
        <label htmlFor={inputId}>Message to the tutor</label>
        <textarea
          id={inputId}
          ref={input}
          rows={3}
          maxLength={tutorMessageMaxLength}
          value={text}
          onChange={(e) => setDraft(chatId, e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={sendError ? `${inputId}-help ${inputId}-error` : `${inputId}-help`}
        />
        <p className="hint" id={`${inputId}-help`}>
          Enter sends, Shift+Enter starts a new line, Escape stops a reply.
        </p>
        {sendError ? (
          <p className="field-error" id={`${inputId}-error`}>
            Not sent: {sendError}
          </p>
        ) : null}
      </div>
      <div className="actions">
        {streaming ? (
          <button
            type="button"
            onClick={() => {
              stop();
              // The Stop button goes away with the stream; focus goes back to the message box.
              input.current?.focus();
            }}
          >
            Stop
          </button>
        ) : (
          <button type="submit" className="primary">
            Send
          </button>
        )}
      </div>
    </form>
  );
}
