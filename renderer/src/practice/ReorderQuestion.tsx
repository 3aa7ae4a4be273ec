/**
 * A reorder question without dragging: the list is one tab stop (roving focus); arrows move between steps, Space picks
 * a step up, arrows move it, Space drops it (Escape puts it back), and leaving the list drops it. Move up / Move down
 * buttons do the same for pointer and voice users (out of the tab order). Every pick, move and drop is announced.
 */
import { useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { ServedQuestion } from '../../../shared/ipc/contract';
import { useShell } from '../shell/shellStore';
import { MissingField, useAnswerControls, type Grade } from './answerControls';
import { moveAnnouncement, moveStep } from './reorder';

type Reorder = Extract<ServedQuestion, { type: 'reorder_steps' }>;

/** `orderLabel` names the order shown once answered: the learner's own, or (the preview's "Show answer") the correct one. */
export function ReorderQuestion({ question, result, orderLabel = 'Your order:' }: { question: Reorder; result: Grade | null; orderLabel?: string }) {
  const { order, setOrder, submit, busy, markMissing, submitLabel } = useAnswerControls();
  const announce = useShell((s) => s.announce);
  const [picked, setPicked] = useState<{ step: number; orderBefore: number[] } | null>(null);
  // The one step in the tab order; the long help is attached to it only until the learner first uses the list.
  const [activeStep, setActiveStep] = useState<number | null>(null);
  const [helpHeard, setHelpHeard] = useState(false);
  const focusAfterRender = useRef<string | null>(null);
  const answered = result !== null;
  const count = order.length;

  useLayoutEffect(() => {
    if (focusAfterRender.current === null) return;
    document.getElementById(focusAfterRender.current)?.focus();
    focusAfterRender.current = null;
  });

  const textOf = (step: number) => question.steps[step] ?? '';
  const prompt = question.prompt === '' && markMissing ? <MissingField name="prompt" /> : question.prompt;

  const move = (step: number, delta: number, focusId: string) => {
    const from = order.indexOf(step);
    const to = from + delta;
    const blocked = to < 0 || to >= count;
    if (!blocked) {
      setOrder(moveStep(order, from, to));
      focusAfterRender.current = focusId;
    }
    announce(moveAnnouncement(textOf(step), blocked ? from + 1 : to + 1, count, blocked));
  };

  const dropped = (step: number) => `Dropped “${textOf(step)}” at position ${order.indexOf(step) + 1} of ${count}.`;

  const togglePick = (step: number) => {
    setHelpHeard(true);
    const position = order.indexOf(step) + 1;
    if (picked?.step === step) {
      setPicked(null);
      announce(dropped(step));
      return;
    }
    // Picking another step drops the first one, and says so.
    const before = picked ? `${dropped(picked.step)} ` : '';
    setPicked({ step, orderBefore: [...order] });
    announce(`${before}Picked up “${textOf(step)}”, position ${position} of ${count}. Up and Down arrows move it, Space drops it, Escape cancels.`);
  };

  // Focus leaving the list drops a picked-up step where it is, so nothing stays picked unseen.
  const onListBlur = (event: FocusEvent<HTMLOListElement>) => {
    if (picked && !event.currentTarget.contains(event.relatedTarget as Node | null)) {
      setPicked(null);
      announce(dropped(picked.step));
    }
  };

  const onStepKeyDown = (event: KeyboardEvent<HTMLButtonElement>, step: number) => {
    const isPicked = picked?.step === step;
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      setHelpHeard(true);
      const delta = event.key === 'ArrowUp' ? -1 : 1;
      if (isPicked) {
        move(step, delta, stepDomId(step));
        return;
      }
      const neighbour = order[order.indexOf(step) + delta];
      if (neighbour !== undefined) document.getElementById(stepDomId(neighbour))?.focus();
    } else if (event.key === 'Escape' && isPicked && picked) {
      event.preventDefault();
      setOrder(picked.orderBefore);
      setPicked(null);
      focusAfterRender.current = stepDomId(step);
      announce(`“${textOf(step)}” put back at position ${picked.orderBefore.indexOf(step) + 1} of ${count}.`);
    }
  };

  if (answered) {
    // Once judged, the learner's order is plain text: nothing left to operate, nothing greyed out.
    return (
      <div className="question">
        <p className="prompt" id="reorder-prompt">
          {prompt}
        </p>
        <p>{orderLabel}</p>
        <ol className="answered-order" aria-labelledby="reorder-prompt">
          {order.map((step) => (
            <li key={step}>{textOf(step)}</li>
          ))}
        </ol>
      </div>
    );
  }

  return (
    <div className="question">
      <p className="prompt" id="reorder-prompt">
        {prompt}
      </p>
      <p className="hint" id="reorder-help">
        Put the steps in order. Up and Down arrows go from step to step; Space picks a step up, the arrows move it and Space drops
        it. The Move up and Move down buttons do the same with a pointer.
      </p>
      <ol className="reorder-list" aria-labelledby="reorder-prompt" onBlur={onListBlur}>
        {order.map((step, position) => {
          const isPicked = picked?.step === step;
          const isTabStop = step === (activeStep !== null && order.includes(activeStep) ? activeStep : order[0]);
          return (
            <li key={step} className={isPicked ? 'reorder-item picked' : 'reorder-item'}>
              <button
                type="button"
                id={stepDomId(step)}
                className="reorder-step"
                aria-pressed={isPicked}
                aria-describedby={isTabStop && !helpHeard ? 'reorder-help' : undefined}
                tabIndex={isTabStop ? 0 : -1}
                onFocus={() => setActiveStep(step)}
                onClick={() => togglePick(step)}
                onKeyDown={(event) => onStepKeyDown(event, step)}
              >
                <span className="reorder-pos" aria-hidden="true">
                  {position + 1}.
                </span>{' '}
                {textOf(step)}
              </button>
              <span className="reorder-buttons">
                <button
                  type="button"
                  id={`${stepDomId(step)}-up`}
                  tabIndex={-1}
                  aria-label={`Move up: ${textOf(step)}`}
                  onClick={() => move(step, -1, `${stepDomId(step)}-up`)}
                >
                  Move up
                </button>
                <button
                  type="button"
                  id={`${stepDomId(step)}-down`}
                  tabIndex={-1}
                  aria-label={`Move down: ${textOf(step)}`}
                  onClick={() => move(step, 1, `${stepDomId(step)}-down`)}
                >
                  Move down
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {/* aria-disabled, not disabled, while the order is checked: a disabled button drops the focus to the page's body
          (submit ignores a press while busy). */}
      <button type="button" className="primary" aria-disabled={busy || undefined} onClick={() => void submit()}>
        {submitLabel}
      </button>
    </div>
  );
}

export function stepDomId(step: number): string {
  return `step-${step}`;
}
