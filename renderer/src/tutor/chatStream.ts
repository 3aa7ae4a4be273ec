/**
 * Pure rules of a reply on screen: how stream chunks build the reply being written, what a reply that ended without its
 * done value becomes (Stop keeps it as stopped, a lost connection as interrupted), and the words for each status.
 */
import type { AppError } from '../../../shared/errors';
import type { ReplySource, TutorChunk, TutorError, TutorMessage } from '../../../shared/ipc/contract';
import { endedEarlyText, offlineStandInText } from '../../../shared/tutor/labels';

/** The reply being streamed: what has arrived so far, and its id and source once core said them (`started`). */
export type LiveReply = { replyId: string | null; source: ReplySource | null; text: string };

export const emptyLiveReply: LiveReply = { replyId: null, source: null, text: '' };

/** The guard's note where it held text back: its own paragraph, so it never reads as part of the tutor's sentence. */
export function heldNoteText(note: string): string {
  return `\n\n*${note}*\n\n`;
}

/** The live reply after one chunk. A `started` chunk's learner message is the caller's to add to the transcript. */
export function applyChunk(live: LiveReply, chunk: TutorChunk): LiveReply {
  switch (chunk.type) {
    case 'started':
      return { ...live, replyId: chunk.replyId, source: chunk.source };
    case 'delta':
      return { ...live, text: live.text + chunk.text };
    case 'held':
      return { ...live, text: live.text + heldNoteText(chunk.note) };
  }
}

/**
 * The reply to show when its stream ended without a done value: Stop (`cancelled`) keeps what arrived as stopped, as core
 * stores it; anything else (the connection to the app dropped) is interrupted, with the reason. Null when core never
 * started a reply (nothing to keep).
 */
export function replyEndedEarly(live: LiveReply, chatId: string, sequence: number, error: AppError, nowUtcMs: number): TutorMessage | null {
  if (live.replyId === null) return null;
  const stopped = error.code === 'cancelled';
  return {
    id: live.replyId,
    chatId,
    sender: 'tutor',
    text: live.text,
    status: stopped ? 'stopped' : 'interrupted',
    source: live.source,
    error: stopped ? null : { code: 'ended_early', message: error.message },
    sequence,
    createdUtcMs: nowUtcMs,
  };
}

/**
 * What a complete reply from the offline tutor says when the learner's chosen provider was not used (its `error`): what
 * happened, why, and where to fix it (Retry then asks the provider again).
 */
function fallbackText(error: Pick<TutorError, 'code' | 'message'>): string {
  // A missing sign-in says where to sign in (Settings → Sync); any other reason is fixed where the tutor is chosen.
  return `${offlineStandInText(error.message)} ${error.code === 'not_signed_in' ? 'Then Retry.' : 'Check Settings → Tutor, then Retry.'}`;
}

/**
 * The visible status line of a tutor reply; null for a complete one (nothing to say), unless the offline tutor answered
 * in place of the chosen provider. A reply without a status is one
 * core is still writing whose stream does not reach this page (it was opened again, e.g. reloaded, while the reply
 * streamed): what arrived so far is shown, and the rest appears when the conversation is opened again.
 */
export function replyStatusText(message: Pick<TutorMessage, 'status' | 'error' | 'text'>): string | null {
  switch (message.status) {
    case null:
      return 'Still being written. Open this conversation again to see the rest.';
    case 'complete':
      return message.error ? fallbackText(message.error) : null;
    default:
      return endedEarlyText(message.status, message.error, message.text);
  }
}

/** The one polite announcement at the end of a reply (never one per chunk). */
export function replyEndAnnouncement(message: Pick<TutorMessage, 'status' | 'error' | 'text'>): string {
  switch (message.status) {
    case 'stopped':
      return message.text === '' ? 'Reply stopped before any of it arrived.' : 'Reply stopped. The part that arrived is kept.';
    case 'interrupted':
      return 'The reply was interrupted. What arrived is kept; you can retry it.';
    case 'failed':
      return `The reply failed${message.error ? `: ${message.error.message}` : '.'}`;
    default:
      return message.error ? `The tutor replied. ${fallbackText(message.error)}` : 'The tutor replied.';
  }
}

/**
 * The reply Retry is offered on: the last tutor reply, once it has ended. None while a reply streams here, and none while
 * the last one is still being written in core (core refuses to retry it, and this page has no Stop for it).
 */
export function retryableReplyId(messages: ReadonlyArray<Pick<TutorMessage, 'id' | 'sender' | 'status'>>, streaming: boolean): string | null {
  const lastReply = messages.findLast((m) => m.sender === 'tutor');
  return !streaming && lastReply && lastReply.status !== null ? lastReply.id : null;
}
