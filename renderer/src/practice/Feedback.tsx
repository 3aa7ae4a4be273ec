/**
 * Feedback after an answer, as persistent text that takes focus (a braille display user can read it at leisure,
 * not only hear it announced): right or wrong, the right answer, the explanation, and the way on.
 */
import { useEffect, useRef } from 'react';
import type { AttemptResult, ServedQuestion } from '../../../shared/ipc/contract';
import { usePractice } from './practiceStore';

export function Feedback({ question, result, showSolution }: { question: ServedQuestion; result: AttemptResult; showSolution: boolean }) {
  const ref = useRef<HTMLElement>(null);
  const next = usePractice((s) => s.next);
  const busy = usePractice((s) => s.busy);
  const rate = usePractice((s) => s.rate);
  const rated = usePractice((s) => s.rated);
  const { session } = result;
  const isLast = session.answeredCount >= session.questionCount;

  useEffect(() => {
    ref.current?.focus();
  }, [result.attemptId]);

  const heading = !showSolution ? 'Answer saved' : result.isCorrect ? 'Correct' : 'Not quite';
  return (
    <section
      ref={ref}
      tabIndex={-1}
      aria-labelledby="feedback-heading"
      className={`feedback ${showSolution ? (result.isCorrect ? 'is-correct' : 'is-incorrect') : ''}`}
    >
      <h2 id="feedback-heading">{heading}</h2>
      {showSolution && !result.isCorrect ? <RightAnswer question={question} result={result} /> : null}
      {showSolution && result.explanation ? (
        <>
          <h3>Explanation</h3>
          <p className="explanation">{result.explanation.body}</p>
        </>
      ) : null}
      {!showSolution ? <p>In a test, you see your score at the end.</p> : null}
      <p>
        {session.answeredCount} of {session.questionCount} answered.
      </p>
      {session.mode === 'review' && result.isCorrect ? (
        <fieldset className="rating">
          <legend>Optional: how was it? (Good unless you say otherwise)</legend>
          <button type="button" disabled={busy} aria-pressed={rated === 'hard'} onClick={() => void rate('hard')}>
            Hard
          </button>
          <button type="button" disabled={busy} aria-pressed={rated === 'easy'} onClick={() => void rate('easy')}>
            Easy
          </button>
          {rated ? <p role="status">Rated {rated === 'hard' ? 'Hard: it comes back sooner' : 'Easy: it comes back later'}.</p> : null}
        </fieldset>
      ) : null}
      <button type="button" className="primary" disabled={busy} onClick={() => void next()}>
        {isLast ? 'Finish and see your score' : 'Next question'}
      </button>
    </section>
  );
}

function RightAnswer({ question, result }: { question: ServedQuestion; result: AttemptResult }) {
  const { solution } = result;
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
