/**
 * One question of the preview, drawn by the practice runner's own components (McqQuestion, ReorderQuestion,
 * AnswerFeedback) so the instructor sees what the learner will see. Two modes: "Show answer" (the question answered
 * right, with its explanation) and "Try it" (answer it; graded by core, which records nothing). An absent field is
 * named ("Missing: explanation"), never left blank.
 */
import { useMemo, useState, type KeyboardEvent } from 'react';
import type { Answer, ServedQuestion } from '../../../shared/ipc/contract';
import { AnswerControlsProvider, MissingField, type AnswerControls, type Grade } from '../practice/answerControls';
import { AnswerFeedback } from '../practice/Feedback';
import { choiceDomId, McqQuestion } from '../practice/McqQuestion';
import { ReorderQuestion, stepDomId } from '../practice/ReorderQuestion';
import { useSettings } from '../settings/settingsStore';

export type PreviewMode = 'answer' | 'try';

type Props = {
  question: ServedQuestion;
  solution: Answer;
  explanation: Grade['explanation'];
  /** Fields the record lacks that a learner would notice (beyond prompt and explanation, which are marked in place). */
  missing: readonly string[];
  /** Grades an answer without recording anything; null when it could not be graded (the error is shown). */
  tryAnswer: (answer: Answer) => Promise<Grade | null>;
};

const noop = () => undefined;
const resolved = () => Promise.resolve();

export function PreviewQuestion({ question, solution, explanation, missing, tryAnswer }: Props) {
  const [mode, setMode] = useState<PreviewMode>('answer');
  const modeName = `preview-mode-${question.id}`;
  return (
    <div className="preview-question">
      <fieldset className="preview-modes">
        <legend>Preview mode</legend>
        <label className="choice">
          <input type="radio" name={modeName} checked={mode === 'answer'} onChange={() => setMode('answer')} />
          Show answer
        </label>
        <label className="choice">
          <input type="radio" name={modeName} checked={mode === 'try'} onChange={() => setMode('try')} />
          Try it (records nothing)
        </label>
      </fieldset>
      {missing.length > 0 ? (
        <p>
          {missing.map((field) => (
            <MissingField key={field} name={field} />
          ))}
        </p>
      ) : null}
      {mode === 'answer' ? (
        <ShowAnswer question={question} grade={{ isCorrect: true, solution, explanation }} />
      ) : (
        <TryIt key={question.id} question={question} tryAnswer={tryAnswer} />
      )}
    </div>
  );
}

/** The question as a learner sees it after answering right: the right choice or order marked, then the explanation. */
function ShowAnswer({ question, grade }: { question: ServedQuestion; grade: Grade }) {
  const controls: AnswerControls = {
    choice: null,
    order: 'order' in grade.solution ? grade.solution.order : [],
    busy: false,
    choose: noop,
    setOrder: noop,
    submit: resolved,
    markMissing: true,
  };
  return (
    <AnswerControlsProvider value={controls}>
      <QuestionBody question={question} grade={grade} orderLabel="The correct order:" />
      <AnswerFeedback question={question} grade={grade} showSolution focusKey={null} heading="The answer" level={4}>
        <p className="hint">Shown as a learner sees it after a right answer.</p>
      </AnswerFeedback>
    </AnswerControlsProvider>
  );
}

/** Answering for real, graded by core's practice rules; nothing is saved, no XP, nothing queued for sync. */
function TryIt({ question, tryAnswer }: { question: ServedQuestion; tryAnswer: Props['tryAnswer'] }) {
  const initialOrder = useMemo(() => (question.type === 'reorder_steps' ? [...question.initialOrder] : []), [question]);
  const [choice, setChoice] = useState<number | null>(null);
  const [order, setOrder] = useState<number[]>(initialOrder);
  const [busy, setBusy] = useState(false);
  const [grade, setGrade] = useState<Grade | null>(null);
  const [tries, setTries] = useState(0);
  // Enter pressed before a choice: what to do is said, where Enter did nothing.
  const [chooseFirst, setChooseFirst] = useState(false);
  const singleKeys = useSettings((s) => s.settings?.singleKeyShortcuts ?? true);

  const submit = async () => {
    if (busy || grade) return;
    if (question.type === 'mcq_single' && choice === null) {
      setChooseFirst(true);
      return;
    }
    setBusy(true);
    const graded = await tryAnswer(question.type === 'mcq_single' ? { choice: choice ?? 0 } : { order });
    setBusy(false);
    if (graded) {
      setGrade(graded);
      setTries((n) => n + 1);
    }
  };

  const again = () => {
    setGrade(null);
    setChoice(null);
    setChooseFirst(false);
    setOrder(initialOrder);
    window.setTimeout(() => document.getElementById(question.type === 'mcq_single' ? choiceDomId(0) : stepDomId(initialOrder[0] ?? 0))?.focus(), 0);
  };

  // The practice runner's number keys (its hint names them) work here too.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (!singleKeys || grade || question.type !== 'mcq_single' || event.altKey || event.ctrlKey || event.metaKey) return;
    const option = Number(event.key) - 1;
    if (!Number.isInteger(option) || option < 0 || option > 8 || option >= question.choices.length) return;
    event.preventDefault();
    setChoice(option);
    setChooseFirst(false);
    document.getElementById(choiceDomId(option))?.focus();
  };

  const controls: AnswerControls = {
    choice,
    order,
    busy,
    choose: (i) => {
      if (grade) return;
      setChoice(i);
      setChooseFirst(false);
    },
    setOrder: (next) => {
      if (!grade) setOrder(next);
    },
    submit,
    markMissing: true,
  };
  return (
    <AnswerControlsProvider value={controls}>
      <div onKeyDown={onKeyDown}>
        <QuestionBody question={question} grade={grade} />
      </div>
      {chooseFirst && question.type === 'mcq_single' ? (
        // The question's own hint says which keys choose.
        <p role="alert" className="field-error">
          Choose an answer first, then press Enter.
        </p>
      ) : null}
      {grade ? (
        <AnswerFeedback question={question} grade={grade} showSolution focusKey={String(tries)} level={4}>
          <p className="hint">Nothing was recorded: no attempt, no XP, nothing to sync.</p>
          <button type="button" className="primary" onClick={again}>
            Try again
          </button>
        </AnswerFeedback>
      ) : null}
    </AnswerControlsProvider>
  );
}

function QuestionBody({ question, grade, orderLabel }: { question: ServedQuestion; grade: Grade | null; orderLabel?: string }) {
  return question.type === 'mcq_single' ? (
    <McqQuestion key={question.id} question={question} result={grade} showSolution />
  ) : (
    <ReorderQuestion key={question.id} question={question} result={grade} orderLabel={orderLabel} />
  );
}
