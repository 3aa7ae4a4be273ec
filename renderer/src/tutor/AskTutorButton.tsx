/**
 * "Ask the tutor" about one practice question: opens a new conversation with the question's context attached (its
 * prompt, the learner's answers, the skill's progress). The practice runner offers it only where the rules allow
 * (during a test, only once the test has ended).
 */
import { useConversations } from './conversationsStore';

export function AskTutorButton({ sessionId, questionId, label }: { sessionId: string; questionId: string; label?: string }) {
  const start = useConversations((s) => s.start);
  const busy = useConversations((s) => s.busy);
  // aria-disabled, not disabled, while the chat is being created: a disabled button drops the focus to <body>.
  return (
    <button type="button" aria-disabled={busy || undefined} aria-label={label} onClick={() => busy || void start({ sessionId, questionId })}>
      Ask the tutor
    </button>
  );
}
