/** The Progress dashboard's recent tutor conversations: the five with the newest activity, each with its last message. */
import { useEffect } from 'react';
import { Link } from '../shell/Link';
import { lastMessageLine } from './conversationText';
import { useConversations } from './conversationsStore';

const shown = 5;

export function RecentConversations() {
  const conversations = useConversations((s) => s.conversations);
  const load = useConversations((s) => s.load);
  useEffect(() => {
    void load(shown);
  }, [load]);

  return (
    <section aria-labelledby="recent-conversations-heading">
      <h2 id="recent-conversations-heading">Recent conversations</h2>
      {conversations === null ? (
        <p>Loading…</p>
      ) : conversations.length === 0 ? (
        <p>
          No conversations with the tutor yet. <Link to={{ name: 'tutor' }}>Open the tutor</Link>
        </p>
      ) : (
        <>
          <ul className="history">
            {conversations.slice(0, shown).map((c) => (
              <li key={c.id}>
                <Link to={{ name: 'chat', chatId: c.id }}>{c.title}</Link>: {lastMessageLine(c)}
              </li>
            ))}
          </ul>
          <p>
            <Link to={{ name: 'tutor' }}>All conversations</Link>
          </p>
        </>
      )}
    </section>
  );
}
