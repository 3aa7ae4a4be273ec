/**
 * Feedback after an answer, as persistent text that takes focus (a braille display user can read it at leisure,
 * not only hear it announced): right or wrong, the right answer, the explanation, and the way on.
 */
import { useEffect, useRef, type ReactNode } from 'react';
import type { AttemptResult, ServedQuestion } from '../../../shared/ipc/contract';
import { MissingField, useAnswerControls, type Grade } from './answerControls';
import { usePractice } from './practiceStore';

/** The practice runner's feedback: the grade, then the session's count, the optional rating and the way on. */
export function Feedback({ question, result, showSolution }: { question: ServedQuestion; result: AttemptResult; showSolution: boolean }) {
  const next = usePractice((s) => s.next);
  const rate = usePractice((s) => s.rate);
  const rated = usePractice((s) => s.rated);
  const { session } = result;
  const isLast = session.answeredCount >= session.questionCount;

  return (
    <AnswerFeedback question={question} grade={result} showSolution={showSolution} focusKey={result.attemptId}>
      {!showSolution ? <p>In a test, you see your score at the end.</p> : null}
      <p>
        {session.answeredCount} of {session.questionCount} answered.
      </p>
      {session.mode === 'review' && result.isCorrect ? (
        <fieldset className="rating">
          <legend>Optional: how was it? (Good unless you say otherwise)</legend>
          {/* Never disabled while the rating saves: a disabled button drops the focus to the page's body (`rate` ignores
              a press while busy). */}
          <button type="button" aria-pressed={rated === 'hard'} onClick={() => void rate('hard')}>
            Hard
          </button>
          <button type="button" aria-pressed={rated === 'easy'} onClick={() => void rate('easy')}>
            Easy
          </button>
          {/* Mounted empty, then filled: a live region inserted with its text already in it may not be read. */}
          <p role="status">{rated ? `Rated ${rated === 'hard' ? 'Hard: it comes back sooner' : 'Easy: it comes back later'}.` : ''}</p>
        </fieldset>
      ) : null}
      {/* Not disabled while the next question loads, for the same reason: a load that fails keeps the learner here. */}
      <button type="button" className="primary" onClick={() => void next()}>
        {isLast ? 'Finish and see your score' : 'Next question'}
      </button>
    </AnswerFeedback>
  );
}

/**
 * The grade of one answer, shared by the practice runner and the content preview: the heading, the right answer and
 * the explanation; `children` add the caller's way on. Takes focus whenever `focusKey` changes.
 */
export function AnswerFeedback({
  question,
  grade,
  showSolution,
  focusKey,
  heading: headingOverride,
  level = 2,
  children,
}: {
  question: ServedQuestion;
  grade: Grade;
  showSolution: boolean;
  /** Focus moves here when this changes; null leaves focus where it is (the preview's "Show answer"). */
  focusKey: string | null;
  /** Replaces "Correct" / "Not quite" (the preview shows the answer without one being given). */
  heading?: string;
  /** Its heading's level: 2 on practice's screen, 4 in the preview (under the record's h3); the explanation's is one below. */
  level?: 2 | 4;
  children: ReactNode;
}) {
  const ref = useRef<HTMLElement>(null);
  const { markMissing } = useAnswerControls();

  useEffect(() => {
    if (focusKey !== null) ref.current?.focus();
  }, [focusKey]);

  const Heading = level === 2 ? 'h2' : 'h4';
  const SubHeading = level === 2 ? 'h3' : 'h5';
  const heading = headingOverride ?? (!showSolution ? 'Answer saved' : grade.isCorrect ? 'Correct' : 'Not quite');
  const explanation = grade.explanation?.body ?? '';
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby="feedback-heading"
      className={`feedback ${showSolution ? (grade.isCorrect ? 'is-correct' : 'is-incorrect') : ''}`}
    >
      <Heading id="feedback-heading">{heading}</Heading>
      {showSolution && !grade.isCorrect ? <RightAnswer question={question} grade={grade} /> : null}
      {showSolution && explanation !== '' ? (
        <>
          <SubHeading>Explanation</SubHeading>
          <p className="explanation">{explanation}</p>
        </>
      ) : showSolution && markMissing ? (
        <>
          <SubHeading>Explanation</SubHeading>
          <p className="explanation">
            <MissingField name="explanation" />
          </p>
        </>
      ) : null}
      {children}
    </section>
  );
}

function RightAnswer({ question, grade }: { question: ServedQuestion; grade: Grade }) {
  const { solution } = grade;
  if (question.type === 'mcq_single' && 'choice' in solution) {
    return <p>The right answer is: {question.choices[solution.choice] ?? `option ${solution.choice + 1}`}</p>;
  }
  if (question.type === 'reorder_steps' && 'order' in solution) {
    return (
      <>
        <p>The right order is:</p>
        <ol>
          {solution.order.map((step) => (
            <li key={step}>{question.steps[step]}</li>
          ))}
        </ol>
      </>
    );
  }
  return null;
}
