/** The end of a session: score, XP gained, level and streak, and the ways back to the library or on to progress. */
import { useEffect, useRef } from 'react';
import type { SessionSummary as Summary } from '../../../shared/ipc/contract';
import { formatPercent } from '../shell/format';
import { Link } from '../shell/Link';
import { usePractice } from './practiceStore';

export function SessionSummary({ summary }: { summary: Summary }) {
  const ref = useRef<HTMLElement>(null);
  const start = usePractice((s) => s.start);
  const busy = usePractice((s) => s.busy);
  const { session, profile } = summary;

  useEffect(() => {
    ref.current?.focus();
  }, [session.id]);

  return (
    <section ref={ref} tabIndex={-1} aria-labelledby="summary-heading" className="summary">
      <h2 id="summary-heading">Session complete</h2>
      <p className="score">Score: {formatPercent(summary.score)}</p>
      <p>
        {session.correctCount} correct of {session.answeredCount} answered
        {session.answeredCount < session.questionCount ? ` (the session had ${session.questionCount} questions)` : ''}.
      </p>
      <dl className="facts">
        <div>
          <dt>XP gained</dt>
          <dd>{summary.xpGained}</dd>
        </div>
        <div>
          <dt>Total XP</dt>
          <dd>{profile.xp}</dd>
        </div>
        <div>
          <dt>Level</dt>
          <dd>{profile.level}</dd>
        </div>
        <div>
          <dt>Streak</dt>
          <dd>{profile.streak === 1 ? '1 day' : `${profile.streak} days`}</dd>
        </div>
      </dl>
      <div className="actions">
        <Link to={{ name: 'library' }}>Back to the library</Link>
        <button type="button" disabled={busy} onClick={() => void start(session.skillId, session.mode)}>
          {session.mode === 'test' ? 'Take the test again' : 'Practise again'}
        </button>
        <Link to={{ name: 'progress' }}>See your progress</Link>
      </div>
    </section>
  );
}
