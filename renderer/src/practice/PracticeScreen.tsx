/** The practice runner: one question at a time, feedback after each answer, then the session summary. */
import { useEffect, useRef, useState } from 'react';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { AskTutorButton } from '../tutor/AskTutorButton';
import { useShell } from '../shell/shellStore';
import { Feedback } from './Feedback';
import { McqQuestion } from './McqQuestion';
import { usePractice } from './practiceStore';
import { ReorderQuestion } from './ReorderQuestion';
import { SessionSummary } from './SessionSummary';

export function PracticeScreen({ sessionId }: { sessionId: string }) {
  const phase = usePractice((s) => s.phase);
  const session = usePractice((s) => s.session);
  const question = usePractice((s) => s.question);
  const result = usePractice((s) => s.result);
  const summary = usePractice((s) => s.summary);
  const busy = usePractice((s) => s.busy);
  const unavailableReason = usePractice((s) => s.unavailableReason);
  const open = usePractice((s) => s.open);
  const end = usePractice((s) => s.end);
  const questionHeading = useRef<HTMLHeadingElement>(null);
  // The question whose "End the session now?" is open: answering it (Check answer stays on screen) closes it.
  const [confirmingEndOf, setConfirmingEndOf] = useState<string | null>(null);

  useEffect(() => {
    void open(sessionId);
  }, [open, sessionId]);
  useEffect(() => {
    if (phase !== 'loading' && phase !== 'idle') useShell.getState().markScreenReady();
  }, [phase]);
  // A new question moves focus to its heading, so the learner starts reading at the question.
  useEffect(() => {
    if (question) questionHeading.current?.focus();
  }, [question]);

  const modeName = session?.mode === 'test' ? 'Test' : 'Practice';
  const title = session?.mode === 'review' ? 'Review' : session ? `${modeName}: ${session.skillTitle}` : 'Practice';
  const showSolution = session?.mode !== 'test';

  return (
    <>
      <ScreenHeading title={title}>{title}</ScreenHeading>
      {phase === 'unavailable' ? (
        <>
          <p>{unavailableReason ? `This session cannot be continued: ${unavailableReason}` : 'That session doesn’t exist.'}</p>
          <p>
            The score of every ended session is in <Link to={{ name: 'progress' }}>Progress</Link>.
          </p>
          <p>
            <Link to={{ name: 'library' }}>Back to the library</Link>
          </p>
        </>
      ) : phase === 'summary' && summary ? (
        <SessionSummary summary={summary} />
      ) : question && session && (phase === 'answering' || phase === 'feedback') ? (
        <>
          <h2 id="question-heading" tabIndex={-1} ref={questionHeading}>
            Question {Math.min(session.answeredCount + (phase === 'answering' ? 1 : 0), session.questionCount)} of{' '}
            {session.questionCount}
          </h2>
          {question.type === 'mcq_single' ? (
            <McqQuestion key={question.id} question={question} result={result} showSolution={showSolution} />
          ) : (
            <ReorderQuestion key={question.id} question={question} result={result} />
          )}
          {phase === 'feedback' && result ? <Feedback question={question} result={result} showSolution={showSolution} /> : null}
          {session.mode === 'test' ? null : (
            // In a test the tutor waits for the end (the summary offers it per question); elsewhere the guard keeps the answer back.
            <p className="ask-tutor">
              <AskTutorButton sessionId={session.id} questionId={question.id} />
            </p>
          )}
          {phase === 'answering' ? (
            confirmingEndOf === question.id ? (
              // Open while the session ends, so the focus stays on "End and see the summary" until the summary takes
              // it, or stays there when ending fails; the summary replaces it.
              <EndConfirmation
                unanswered={session.questionCount - session.answeredCount}
                busy={busy}
                onEnd={() => void end()}
                onKeepGoing={() => {
                  setConfirmingEndOf(null);
                  questionHeading.current?.focus();
                }}
              />
            ) : (
              <p className="end-session">
                {/* aria-disabled, not disabled, while an answer is checked: a disabled button drops the focus to the
                    page's body. */}
                <button type="button" aria-disabled={busy || undefined} onClick={() => busy || setConfirmingEndOf(question.id)}>
                  End session now
                </button>
              </p>
            )
          ) : null}
        </>
      ) : (
        <p>Loading…</p>
      )}
    </>
  );
}

/** Ending early is confirmed first: it says what happens to the questions left. Focus moves to the question. */
function EndConfirmation({
  unanswered,
  busy,
  onEnd,
  onKeepGoing,
}: {
  unanswered: number;
  busy: boolean;
  onEnd: () => void;
  onKeepGoing: () => void;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <section aria-labelledby="end-heading" className="end-confirm">
      <h2 id="end-heading" tabIndex={-1} ref={ref}>
        End the session now?
      </h2>
      <p>
        {unanswered === 1 ? '1 question is' : `${unanswered} questions are`} not answered yet. They are not counted as wrong: your score is
        the share of answered questions you got right.
      </p>
      <div className="actions">
        {/* aria-disabled while the session ends (end ignores a second press), for the focus rule above. */}
        <button type="button" className="primary" aria-disabled={busy || undefined} onClick={onEnd}>
          End and see the summary
        </button>
        <button type="button" onClick={onKeepGoing}>
          Keep going
        </button>
      </div>
    </section>
  );
}
