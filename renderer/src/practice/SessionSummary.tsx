/**
 * The end of a session: the score explained (correct of answered, unanswered apart), every answered question with the
 * learner's answer, the right one and the explanation (missed first), XP and level progress, and the ways on.
 */
import { useEffect, useRef, useState } from 'react';
import type { AnsweredQuestion, SessionSummary as Summary } from '../../../shared/ipc/contract';
import { levelProgressText } from '../../../shared/levels';
import { formatPercent, plural } from '../shell/format';
import { Link } from '../shell/Link';
import { useToday } from '../today/todayStore';
import { AskTutorButton } from '../tutor/AskTutorButton';
import { usePractice } from './practiceStore';

export function SessionSummary({ summary }: { summary: Summary }) {
  const ref = useRef<HTMLElement>(null);
  const start = usePractice((s) => s.start);
  const startReview = usePractice((s) => s.startReview);
  const retryMissed = usePractice((s) => s.retryMissed);
  const { session, profile, answers } = summary;
  const missed = answers.filter((a) => !a.isCorrect);
  const { skillId } = session;

  useEffect(() => {
    ref.current?.focus();
  }, [session.id]);

  // After a review, "Review more" is offered only if core says reviews are left now (due, within the daily limit):
  // asked afresh, as Today does, since this session has just used some. Null until it answers.
  const [reviewsLeft, setReviewsLeft] = useState<number | null>(null);
  const isReview = session.mode === 'review';
  useEffect(() => {
    if (!isReview) return;
    let current = true;
    void useToday
      .getState()
      .load()
      .then((today) => {
        if (current) setReviewsLeft(today?.reviews.availableNow ?? null);
      });
    return () => {
      current = false;
    };
  }, [isReview, session.id]);

  return (
    <section ref={ref} tabIndex={-1} aria-labelledby="summary-heading" className="summary">
      <h2 id="summary-heading">Session complete</h2>
      {summary.unansweredCount > 0 ? <p>You ended the session early.</p> : null}
      <p className="score">
        Score: {session.answeredCount > 0 ? formatPercent(summary.score) : 'none yet'}
        <span className="score-explained">
          {' '}
          ({session.correctCount} correct of {plural(session.answeredCount, 'answered question')})
        </span>
      </p>
      {summary.unansweredCount > 0 ? (
        <p>{plural(summary.unansweredCount, 'question')} not answered: not counted in the score.</p>
      ) : null}
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
          <dt>Level {profile.level}</dt>
          <dd>{levelProgressText(profile.xp)}</dd>
        </div>
        <div>
          <dt>Streak</dt>
          <dd>{plural(profile.streak, 'day')}</dd>
        </div>
      </dl>
      {reviewsLeft === 0 ? <p>No more reviews are left for today.</p> : null}
      {/* Not disabled while a session starts: a disabled button drops the focus to the page's body, where a start that
          fails would leave the learner. The store ignores a press while busy. */}
      <div className="actions">
        {missed.length > 0 ? (
          <button type="button" className="primary" onClick={() => void retryMissed(session.id)}>
            Practise the missed ones again
          </button>
        ) : null}
        {isReview ? (
          reviewsLeft !== null && reviewsLeft > 0 ? (
            <button type="button" onClick={() => void startReview()}>
              Review more
            </button>
          ) : null
        ) : skillId !== null ? (
          <button type="button" onClick={() => void start(skillId, session.mode === 'test' ? 'test' : 'practice')}>
            {session.mode === 'test' ? 'Take the test again' : 'Practise again'}
          </button>
        ) : null}
        <Link to={{ name: 'today' }}>Back to Today</Link>
        <Link to={{ name: 'library' }}>Back to the library</Link>
        <Link to={{ name: 'progress' }}>See your progress</Link>
      </div>
      {answers.length > 0 ? (
        <>
          <h3 id="answers-heading">Your answers{missed.length > 0 ? `, ${plural(missed.length, 'missed question')} first` : ''}</h3>
          <ol className="answers" aria-labelledby="answers-heading">
            {answers.map((answer) => (
              <AnswerItem key={answer.questionId} answer={answer} sessionId={session.id} />
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}

function AnswerText({ steps }: { steps: string[] }) {
  if (steps.length === 1) return <>{steps[0]}</>;
  return (
    <ol>
      {steps.map((step, i) => (
        <li key={i}>{step}</li>
      ))}
    </ol>
  );
}

function AnswerItem({ answer, sessionId }: { answer: AnsweredQuestion; sessionId: string }) {
  return (
    <li className={answer.isCorrect ? 'answer is-correct' : 'answer is-incorrect'}>
      <p className="answer-verdict">{answer.isCorrect ? 'Right' : 'Missed'}</p>
      <p className="answer-prompt">{answer.prompt}</p>
      <dl>
        <div>
          <dt>Your answer</dt>
          <dd>
            <AnswerText steps={answer.yourAnswer} />
          </dd>
        </div>
        {answer.isCorrect ? null : (
          <div>
            <dt>Right answer</dt>
            <dd>
              <AnswerText steps={answer.rightAnswer} />
            </dd>
          </div>
        )}
        {answer.explanation ? (
          <div>
            <dt>Explanation</dt>
            <dd>{answer.explanation}</dd>
          </div>
        ) : null}
      </dl>
      <AskTutorButton sessionId={sessionId} questionId={answer.questionId} label={`Ask the tutor about: ${answer.prompt}`} />
    </li>
  );
}
