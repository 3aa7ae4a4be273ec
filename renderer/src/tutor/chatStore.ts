/**
 * The open conversation: its messages, the reply being streamed, Stop (cancel of the stream) and Retry. One reply streams
 * at a time. A reply that ends is announced once, politely; its chunks never are.
 */
import { create } from 'zustand';
import type { Result, StreamCall } from '../../../shared/ipc/api';
import type { Conversation, TutorChunk, TutorMessage } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';
import { useShell } from '../shell/shellStore';
import { applyChunk, emptyLiveReply, replyEndAnnouncement, replyEndedEarly, type LiveReply } from './chatStream';

type TutorDone = { reply: TutorMessage };

type ChatState = {
  chatId: string | null;
  conversation: Conversation | null;
  messages: TutorMessage[];
  /** Why the conversation could not be opened. */
  loadError: string | null;
  /** The reply being streamed, or null. */
  live: LiveReply | null;
  /** The last send or retry that failed before core started a reply (nothing was stored). */
  sendError: string | null;
  /** What the learner is writing in each conversation's message box: still there when they come back from another screen. */
  drafts: Record<string, string>;
  open: (chatId: string) => Promise<void>;
  setDraft: (chatId: string, text: string) => void;
  /** Sends the open conversation's draft: it leaves the box at once, and comes back if core refused it (nothing was stored). */
  sendDraft: () => Promise<void>;
  retry: (replyId: string) => Promise<void>;
  /** Stop: cancels the stream; the partial reply stays, marked stopped. */
  stop: () => void;
  setTitle: (title: string) => void;
};

let current: StreamCall<TutorDone> | null = null;
/** How many times a conversation was opened (loaded afresh): a stream shows only in the opening it started in. */
let openings = 0;

export const useChat = create<ChatState>((set, get) => {
  const nextSequence = () => get().messages.reduce((max, m) => Math.max(max, m.sequence + 1), 0);

  const addMessage = (message: TutorMessage) =>
    set({ messages: [...get().messages.filter((m) => m.id !== message.id), message].sort((a, b) => a.sequence - b.sequence) });

  /** The learner came back to the conversation while its reply streamed: it is shown again as stored, now ended. */
  const showEnded = async (chatId: string, replyId: string | null) => {
    const result = await api.tutorMessages({ chatId });
    // Not over a reply streaming here now, whose stored row would show twice.
    if (!result.ok || get().chatId !== chatId || get().live) return;
    set({ messages: result.value.messages });
    const reply = result.value.messages.find((m) => m.id === replyId);
    if (reply) useShell.getState().announce(replyEndAnnouncement(reply));
  };

  /** Runs one reply stream to its end; returns whether core started a reply. */
  const stream = async (chatId: string, start: (onChunk: (chunk: TutorChunk) => void) => StreamCall<TutorDone>): Promise<boolean> => {
    let live: LiveReply = emptyLiveReply;
    set({ live, sendError: null });
    // Once the learner left the conversation its chunks belong to no screen; if they came back, it was loaded again with
    // the reply as stored so far, which the chunks from then on would duplicate (missing what arrived meanwhile).
    const opening = openings;
    const onScreen = () => get().chatId === chatId && openings === opening;
    const onChunk = (chunk: TutorChunk) => {
      live = applyChunk(live, chunk);
      if (!onScreen()) return;
      if (chunk.type === 'started') {
        if (chunk.userMessage) addMessage(chunk.userMessage);
        // The first message names a chat nobody named; the heading follows.
        get().setTitle(chunk.title);
      }
      set({ live });
    };
    const call = start(onChunk);
    current = call;
    let result: Result<TutorDone>;
    try {
      result = await call.done;
    } finally {
      if (current === call) current = null;
    }
    if (!onScreen()) {
      if (get().chatId === chatId) await showEnded(chatId, live.replyId);
      return live.replyId !== null;
    }
    set({ live: null });
    const reply = result.ok ? result.value.reply : replyEndedEarly(live, chatId, nextSequence(), result.error, Date.now());
    if (reply) {
      addMessage(reply);
      useShell.getState().announce(replyEndAnnouncement(reply));
      return true;
    }
    if (!result.ok) {
      set({ sendError: result.error.message });
      useShell.getState().announce(`Not sent: ${result.error.message}`);
    }
    return false;
  };

  return {
    chatId: null,
    conversation: null,
    messages: [],
    loadError: null,
    live: null,
    sendError: null,
    drafts: {},

    open: async (chatId) => {
      if (get().chatId === chatId && get().conversation) return;
      // A reply still streaming for another conversation goes on in core and is stored; only its chunks stop showing.
      openings += 1;
      set({ chatId, conversation: null, messages: [], loadError: null, live: null, sendError: null });
      const result = await api.tutorMessages({ chatId });
      if (get().chatId !== chatId) return;
      if (result.ok) set({ conversation: result.value.conversation, messages: result.value.messages });
      else set({ loadError: result.error.message });
    },

    setDraft: (chatId, text) => set({ drafts: { ...get().drafts, [chatId]: text } }),

    sendDraft: async () => {
      const chatId = get().chatId;
      const text = chatId ? (get().drafts[chatId] ?? '').trim() : '';
      if (!chatId || text === '' || get().live) return;
      get().setDraft(chatId, '');
      const sent = await stream(chatId, (onChunk) => api.tutorSend({ chatId, text }, { onChunk }));
      // Nothing the learner wrote is lost, unless they already started another message in its place.
      if (!sent && (get().drafts[chatId] ?? '') === '') get().setDraft(chatId, text);
    },

    retry: async (replyId) => {
      const chatId = get().chatId;
      if (!chatId || get().live) return;
      await stream(chatId, (onChunk) => api.tutorRetry({ chatId, replyId }, { onChunk }));
    },

    stop: () => current?.cancel(),

    setTitle: (title) => {
      const conversation = get().conversation;
      if (conversation) set({ conversation: { ...conversation, title } });
    },
  };
});

/** Loads "What the tutor sees" for a conversation (the stored context and the exact system message). */
export function loadTutorContext(chatId: string) {
  return request(() => api.tutorContext({ chatId }), 'Could not load what the tutor sees');
}
