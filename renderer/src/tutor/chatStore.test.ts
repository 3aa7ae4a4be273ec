/**
 * The chat's store with a fake api. The message box's draft: it is still there after the learner looked at another
 * conversation or screen, it leaves the box when sent, and it comes back when core refused the message. A reply that
 * streams while the learner leaves its conversation and comes back: shown once, as stored, never as a second copy.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/ipc/api';
import type { TutorChunk, TutorMessage } from '../../../shared/ipc/contract';
import { stubWindowTimers } from '../test-support/window-timers';

const fake = vi.hoisted(() => ({ tutorMessages: vi.fn(), tutorSend: vi.fn() }));
vi.mock('../api', () => ({ api: fake }));

const { useChat } = await import('./chatStore');

const conversation = (id: string) => ({ id, title: 'New conversation', skillId: null, questionId: null, createdUtcMs: 0, updatedUtcMs: 0 });
const draftOf = (chatId: string) => useChat.getState().drafts[chatId] ?? '';

beforeEach(() => {
  stubWindowTimers();
  fake.tutorMessages.mockImplementation(({ chatId }: { chatId: string }) => Promise.resolve({ ok: true, value: { conversation: conversation(chatId), messages: [] } }));
  useChat.setState({ chatId: null, conversation: null, messages: [], loadError: null, live: null, sendError: null, drafts: {} });
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.clearAllMocks();
});

describe('the draft in the message box', () => {
  it('is still there when the learner comes back to the conversation', async () => {
    await useChat.getState().open('chat-a');
    useChat.getState().setDraft('chat-a', 'Half a question about');
    await useChat.getState().open('chat-b');
    expect(draftOf('chat-b')).toBe('');
    await useChat.getState().open('chat-a');
    expect(draftOf('chat-a')).toBe('Half a question about');
  });

  it('leaves the box when sent, trimmed', async () => {
    const reply: TutorMessage = { id: 'r1', chatId: 'chat-a', sender: 'tutor', text: 'Hi.', status: 'complete', source: 'provider', error: null, sequence: 1, createdUtcMs: 0 };
    fake.tutorSend.mockReturnValue({ done: Promise.resolve({ ok: true, value: { reply } }), cancel: vi.fn() });
    await useChat.getState().open('chat-a');
    useChat.getState().setDraft('chat-a', '  What is a bit?\n');
    const sending = useChat.getState().sendDraft();
    expect(draftOf('chat-a')).toBe('');
    await sending;
    expect(fake.tutorSend).toHaveBeenCalledWith({ chatId: 'chat-a', text: 'What is a bit?' }, expect.anything());
    expect(draftOf('chat-a')).toBe('');
  });

  it('comes back when core refused the message, unless the learner already wrote another', async () => {
    const refused: Result<never> = { ok: false, error: { code: 'not_found', message: 'Conversation chat-a does not exist (or was deleted).' } };
    fake.tutorSend.mockReturnValue({ done: Promise.resolve(refused), cancel: vi.fn() });
    await useChat.getState().open('chat-a');
    useChat.getState().setDraft('chat-a', 'What is a bit?');
    await useChat.getState().sendDraft();
    expect(draftOf('chat-a')).toBe('What is a bit?');
    expect(useChat.getState().sendError).toBe('Conversation chat-a does not exist (or was deleted).');

    let answer: (result: Result<never>) => void = () => {};
    fake.tutorSend.mockReturnValue({ done: new Promise((resolve) => (answer = resolve)), cancel: vi.fn() });
    const sending = useChat.getState().sendDraft();
    useChat.getState().setDraft('chat-a', 'Another one');
    answer(refused);
    await sending;
    expect(draftOf('chat-a')).toBe('Another one');
  });
});

describe('a reply streaming while the learner leaves its conversation and comes back', () => {
  const message = (id: string, sender: 'user' | 'tutor', text: string, sequence: number, status: TutorMessage['status']): TutorMessage => ({
    id,
    chatId: 'chat-a',
    sender,
    text,
    status,
    source: sender === 'tutor' ? 'provider' : null,
    error: null,
    sequence,
    createdUtcMs: 0,
  });
  const question = message('u1', 'user', 'What is a bit?', 0, null);

  it('shows the reply once, as stored, and as it ended', async () => {
    let onChunk: (chunk: TutorChunk) => void = () => {};
    let answer: (result: Result<{ reply: TutorMessage }>) => void = () => {};
    fake.tutorSend.mockImplementation((_input: unknown, handlers: { onChunk: (chunk: TutorChunk) => void }) => {
      onChunk = handlers.onChunk;
      return { done: new Promise((resolve) => (answer = resolve)), cancel: vi.fn() };
    });
    await useChat.getState().open('chat-a');
    useChat.getState().setDraft('chat-a', 'What is a bit?');
    const sending = useChat.getState().sendDraft();
    onChunk({ type: 'started', userMessage: question, replyId: 't1', source: 'provider', title: 'New conversation' });
    onChunk({ type: 'delta', text: 'Think ' });
    expect(useChat.getState().live?.text).toBe('Think ');

    await useChat.getState().open('chat-b');
    onChunk({ type: 'delta', text: 'about ' });
    // Back in chat A: core has the reply so far, still being written.
    fake.tutorMessages.mockResolvedValueOnce({ ok: true, value: { conversation: conversation('chat-a'), messages: [question, message('t1', 'tutor', 'Think about ', 1, null)] } });
    await useChat.getState().open('chat-a');
    onChunk({ type: 'delta', text: 'two values.' });
    expect(useChat.getState().live).toBeNull();
    expect(useChat.getState().messages.map((m) => m.id)).toEqual(['u1', 't1']);

    const ended = message('t1', 'tutor', 'Think about two values.', 1, 'complete');
    fake.tutorMessages.mockResolvedValueOnce({ ok: true, value: { conversation: conversation('chat-a'), messages: [question, ended] } });
    answer({ ok: true, value: { reply: ended } });
    await sending;
    expect(useChat.getState().messages).toEqual([question, ended]);
    expect(draftOf('chat-a')).toBe('');
  });
});
