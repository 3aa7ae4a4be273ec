/** The tutor module's facade: what the tutor feature's handlers call. */
import { AppFailure } from '../../../shared/errors';
import type {
  ConnectionTest,
  Conversation,
  ConversationSummary,
  ProviderSettings,
  ProviderSettingsPatch,
  TutorChunk,
  TutorContextView,
  TutorMessage,
} from '../../../shared/ipc/features/tutor';

export interface Tutor {
  list(limit: number): ConversationSummary[];
  create(input: { title?: string | undefined; question?: { sessionId: string; questionId: string } | undefined }): Conversation;
  rename(chatId: string, title: string): Conversation;
  remove(chatId: string): { chatId: string };
  exportMarkdown(chatId: string): { fileName: string; markdown: string };
  messages(chatId: string): { conversation: Conversation; messages: TutorMessage[] };
  contextView(chatId: string): TutorContextView;
  providerSettings(): ProviderSettings;
  setProviderSettings(patch: ProviderSettingsPatch): ProviderSettings;
  testConnection(): Promise<ConnectionTest>;
  send(chatId: string, text: string, emit: (chunk: TutorChunk) => void, signal: AbortSignal): Promise<{ reply: TutorMessage }>;
  retry(chatId: string, replyId: string, emit: (chunk: TutorChunk) => void, signal: AbortSignal): Promise<{ reply: TutorMessage }>;
  /** Marks replies left in progress by a crash as interrupted; called at start. */
  close(): void;
}

/** Until the tutor is wired, every call answers with a clear error naming the call. */
export function createUnbuiltTutor(): Tutor {
  const unbuilt = (what: string): never => {
    throw new AppFailure('internal', `The tutor's ${what} is not built yet.`);
  };
  return {
    list: () => unbuilt('conversation list'),
    create: () => unbuilt('new conversation'),
    rename: () => unbuilt('rename'),
    remove: () => unbuilt('delete'),
    exportMarkdown: () => unbuilt('export'),
    messages: () => unbuilt('messages'),
    contextView: () => unbuilt('context view'),
    providerSettings: () => unbuilt('provider settings'),
    setProviderSettings: () => unbuilt('provider settings'),
    testConnection: () => Promise.reject(new AppFailure('internal', "The tutor's connection test is not built yet.")),
    send: () => Promise.reject(new AppFailure('internal', "The tutor's replies are not built yet.")),
    retry: () => Promise.reject(new AppFailure('internal', "The tutor's retry is not built yet.")),
    close: () => undefined,
  };
}
