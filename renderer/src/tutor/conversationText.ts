/** Plain words about a conversation for lists (Tutor screen, Progress): who spoke last and what they said, in one short line. */
import type { ConversationSummary } from '../../../shared/ipc/contract';

const snippetLength = 140;

/** "Tutor: Think about what x stands for…" — Markdown marks dropped, whitespace collapsed, cut at a word. */
export function lastMessageLine(summary: ConversationSummary): string {
  const last = summary.lastMessage;
  if (!last) return 'No messages yet.';
  const who = last.sender === 'user' ? 'You' : last.sender === 'tutor' ? 'Tutor' : 'Note';
  const plain = last.text.replace(/[*_`#>]+/g, '').replace(/\s+/g, ' ').trim();
  const cut = plain.length > snippetLength ? `${plain.slice(0, plain.lastIndexOf(' ', snippetLength) > 0 ? plain.lastIndexOf(' ', snippetLength) : snippetLength)}…` : plain;
  const status = last.status && last.status !== 'complete' ? ` (${last.status})` : '';
  return `${who}: ${cut || '(empty)'}${status}`;
}
