import { describe, expect, it } from 'vitest';
import type { ConversationSummary } from '../../../shared/ipc/contract';
import { lastMessageLine } from './conversationText';

const summary = (lastMessage: ConversationSummary['lastMessage']): ConversationSummary => ({
  id: '0190a0b2-7c1d-7e2f-8a3b-4c5d6e7f8091',
  title: 'Chat',
  skillId: null,
  questionId: null,
  createdUtcMs: 1,
  updatedUtcMs: 2,
  lastMessage,
});

describe('the last message of a conversation in a list', () => {
  it('names the sender, drops Markdown marks and collapses whitespace', () => {
    expect(lastMessageLine(summary({ sender: 'tutor', text: '**Think** about\n\n`x`', status: 'complete', createdUtcMs: 1 }))).toBe(
      'Tutor: Think about x',
    );
  });

  it('says when a reply did not complete, and when there is no message', () => {
    expect(lastMessageLine(summary({ sender: 'tutor', text: 'Half', status: 'stopped', createdUtcMs: 1 }))).toBe('Tutor: Half (stopped)');
    expect(lastMessageLine(summary(null))).toBe('No messages yet.');
  });

  it('cuts a long message at a word', () => {
    const line = lastMessageLine(summary({ sender: 'user', text: 'word '.repeat(60), status: null, createdUtcMs: 1 }));
    expect(line.length).toBeLessThanOrEqual('You: '.length + 141);
    expect(line.endsWith('word…')).toBe(true);
  });
});
