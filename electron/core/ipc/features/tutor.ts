/** Handlers of the tutor feature: conversations, reply streams and provider settings, all delegated to core's tutor module. */
import type { tutorContract } from '../../../../shared/ipc/features/tutor';
import type { Tutor } from '../../tutor/tutor';
import type { FeatureHandlers } from '../handlers';

export function createTutorHandlers(tutor: Tutor) {
  return {
    'tutor:list': ({ limit }) => tutor.list(limit ?? 50),
    'tutor:create': (input) => tutor.create(input),
    'tutor:rename': ({ chatId, title }) => tutor.rename(chatId, title),
    'tutor:delete': ({ chatId }) => tutor.remove(chatId),
    'tutor:export': ({ chatId }) => tutor.exportMarkdown(chatId),
    'tutor:messages': ({ chatId }) => tutor.messages(chatId),
    'tutor:context': ({ chatId }) => tutor.contextView(chatId),
    'tutor:providerGet': () => tutor.providerSettings(),
    'tutor:providerSet': (patch) => tutor.setProviderSettings(patch),
    'tutor:testConnection': (draft) => tutor.testConnection(draft),
    'tutor:send': ({ chatId, text }, { emit, signal }) => tutor.send(chatId, text, emit, signal),
    'tutor:retry': ({ chatId, replyId }, { emit, signal }) => tutor.retry(chatId, replyId, emit, signal),
  } satisfies FeatureHandlers<typeof tutorContract>;
}
