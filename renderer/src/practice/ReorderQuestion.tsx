/**
 * A reorder question without dragging: Space picks a step up, arrows move it, Space drops it (Escape puts it back);
 * Move up / Move down buttons do the same. Every move is announced and the list shows the order as text.
 */
import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { AttemptResult, ServedQuestion } from '../../../shared/ipc/contract';
import { useShell } from '../shell/shellStore';
import { usePractice } from './practiceStore';
import { moveAnnouncement, moveStep } from './reorder';

type Reorder = Extract<ServedQuestion, { type: 'reorder_steps' }>;

export function ReorderQuestion({ question, result }: { question: Reorder; result: AttemptResult | null }) {
  const order = usePractice((s) => s.order);
  const setOrder = usePractice((s) => s.setOrder);
  const submit = usePractice((s) => s.submit);
  const busy = usePractice((s) => s.busy);
  const announce = useShell((s) => s.announce);
  const [picked, setPicked] = useState<{ step: number; orderBefore: number[] } | null>(null);
  const focusAfterRender = useRef<string | null>(null);
  const answered = result !== null;
  const count = order.length;

  useLayoutEffect(() => {
    if (focusAfterRender.current === null) return;
    document.getElementById(focusAfterRender.current)?.focus();
    focusAfterRender.current = null;
  });

  const textOf = (step: number) => question.steps[step] ?? '';

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

  const togglePick = (step: number) => {
    const position = order.indexOf(step) + 1;
    if (picked?.step === step) {
      setPicked(null);
      announce(`Dropped “${textOf(step)}” at position ${position} of ${count}.`);
      return;
    }
    setPicked({ step, orderBefore: [...order] });
    announce(`Picked up “${textOf(step)}”, position ${position} of ${count}. Up and Down arrows move it, Space drops it, Escape cancels.`);
  };

  const onStepKeyDown = (event: KeyboardEvent<HTMLButtonElement>, step: number) => {
    const isPicked = picked?.step === step;
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
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
          {question.prompt}
        </p>
        <p>Your order:</p>
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
        {question.prompt}
      </p>
      <p className="hint" id="reorder-help">
        Put the steps in order. On a step, Space picks it up, Up and Down arrows move it and Space drops it; or use the Move up and
        Move down buttons.
      </p>
      <ol className="reorder-list" aria-labelledby="reorder-prompt">
        {order.map((step, position) => {
          const isPicked = picked?.step === step;
          return (
            <li key={step} className={isPicked ? 'reorder-item picked' : 'reorder-item'}>
              <button
                type="button"
                id={stepDomId(step)}
                className="reorder-step"
                aria-pressed={isPicked}
                aria-describedby="reorder-help"
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
                  aria-label={`Move up: ${textOf(step)}`}
                  onClick={() => move(step, -1, `${stepDomId(step)}-up`)}
                >
                  Move up
                </button>
                <button
                  type="button"
                  id={`${stepDomId(step)}-down`}
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
      <button type="button" className="primary" disabled={busy} onClick={() => void submit()}>
        Check answer
      </button>
    </div>
  );
}

function stepDomId(step: number): string {
  return `step-${step}`;
}
