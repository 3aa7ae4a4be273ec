/** A single-answer multiple-choice question as a native radio group: arrows or number keys choose, Enter submits. */
import type { KeyboardEvent } from 'react';
import type { ServedQuestion } from '../../../shared/ipc/contract';
import { useSettings } from '../settings/settingsStore';
import { MissingField, useAnswerControls, type Grade } from './answerControls';

type Mcq = Extract<ServedQuestion, { type: 'mcq_single' }>;

export function choiceDomId(index: number): string {
  return `choice-${index}`;
}

export function McqQuestion({ question, result, showSolution }: { question: Mcq; result: Grade | null; showSolution: boolean }) {
  const { choice, choose, submit, busy, markMissing, submitLabel } = useAnswerControls();
  const singleKeys = useSettings((s) => s.settings?.singleKeyShortcuts ?? true);
  const answered = result !== null;
  const solution = showSolution && result && 'choice' in result.solution ? result.solution.choice : null;

  // Enter on a radio submits; handled here so browsers that also submit implicitly do not submit twice.
  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Enter' && event.target instanceof HTMLInputElement && event.target.type === 'radio') {
      event.preventDefault();
      void submit();
    }
  };

  return (
    <form
      className="question"
      onKeyDown={onKeyDown}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <fieldset disabled={answered}>
        <legend className="prompt">{question.prompt === '' && markMissing ? <MissingField name="prompt" /> : question.prompt}</legend>
        <p className="hint" id="mcq-help">
          {singleKeys
            ? `Choose with the arrow keys or the number keys 1 to ${Math.min(9, question.choices.length)}, then press Enter.`
            : 'Choose with the arrow keys, then press Enter.'}
        </p>
        <div className="choices">
          {question.choices.map((text, i) => {
            const marks = [
              answered && choice === i ? 'your answer' : null,
              solution === i ? 'correct answer' : null,
            ].filter((m) => m !== null);
            return (
              <label key={i} className={`choice${solution === i ? ' is-right' : answered && choice === i && solution !== null ? ' is-wrong' : ''}`} htmlFor={choiceDomId(i)}>
                <input
                  id={choiceDomId(i)}
                  type="radio"
                  name={`question-${question.id}`}
                  value={i}
                  checked={choice === i}
                  onChange={() => choose(i)}
                  aria-describedby={i === 0 ? 'mcq-help' : undefined}
                />
                {/* A key hint, styled as a key cap so it never reads as part of the answer ("1 3" for the choice "3"). */}
                {singleKeys && i < 9 ? (
                  <kbd className="choice-key" aria-hidden="true">
                    {i + 1}
                  </kbd>
                ) : null}
                <span className="choice-text">{text === '' && markMissing ? <MissingField name={`choice ${i + 1}`} /> : text}</span>
                {marks.length > 0 ? <strong className="choice-mark"> ({marks.join(', ')})</strong> : null}
              </label>
            );
          })}
        </div>
      </fieldset>
      {answered ? null : (
        // aria-disabled, not disabled, while the answer is checked: a disabled button drops the focus to the page's body,
        // where a check that fails would leave the learner (submit ignores a press while busy). Before a choice there is
        // nothing to check, and no press to lose the focus on.
        <button type="submit" className="primary" disabled={choice === null} aria-disabled={busy || undefined}>
          {submitLabel}
        </button>
      )}
    </form>
  );
}
