/** The learner's tutor conversations: the recent list (Tutor screen, Progress), new chat, rename, delete and export. */
import { create } from 'zustand';
import type { Conversation, ConversationSummary } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';
import { useRouter } from '../shell/routerStore';
import { useShell } from '../shell/shellStore';
import { downloadText } from './download';

type ConversationsState = {
  conversations: ConversationSummary[] | null;
  loading: boolean;
  busy: boolean;
  /** Loads the most recent conversations (newest activity first). */
  load: (limit?: number) => Promise<void>;
  /** A new conversation, about a practice question when given; opens it. */
  start: (question?: { sessionId: string; questionId: string }) => Promise<void>;
  rename: (chatId: string, title: string) => Promise<Conversation | null>;
  remove: (chatId: string, title: string) => Promise<boolean>;
  /** Saves the conversation as a Markdown file (a download, in both hosts). */
  exportMarkdown: (chatId: string) => Promise<void>;
};

export const useConversations = create<ConversationsState>((set, get) => ({
  conversations: null,
  loading: false,
  busy: false,

  load: async (limit) => {
    set({ loading: true });
    const conversations = await request(() => api.tutorList(limit === undefined ? {} : { limit }), 'Could not load your conversations');
    set({ loading: false, ...(conversations ? { conversations } : {}) });
  },

  start: async (question) => {
    if (get().busy) return;
    set({ busy: true });
    const conversation = await request(
      () => api.tutorCreate(question ? { question } : {}),
      question ? 'Could not open a chat about this question' : 'Could not start a new chat',
    );
    set({ busy: false });
    if (conversation) useRouter.getState().navigate({ name: 'chat', chatId: conversation.id });
  },

  rename: async (chatId, title) => {
    const conversation = await request(() => api.tutorRename({ chatId, title }), 'Could not rename the conversation');
    if (!conversation) return null;
    const list = get().conversations;
    if (list) set({ conversations: list.map((c) => (c.id === chatId ? { ...c, title: conversation.title } : c)) });
    useShell.getState().announce(`Renamed to ${conversation.title}.`);
    return conversation;
  },

  remove: async (chatId, title) => {
    const removed = await request(() => api.tutorDelete({ chatId }), 'Could not delete the conversation');
    if (!removed) return false;
    const list = get().conversations;
    if (list) set({ conversations: list.filter((c) => c.id !== chatId) });
    useShell.getState().announce(`Deleted ${title}.`);
    return true;
  },

  exportMarkdown: async (chatId) => {
    const file = await request(() => api.tutorExport({ chatId }), 'Could not export the conversation');
    if (!file) return;
    downloadText(file.fileName, file.markdown, 'text/markdown');
    useShell.getState().announce(`Saved ${file.fileName}.`);
  },
}));
