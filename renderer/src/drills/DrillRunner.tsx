/**
 * The drill runner: the prompt and its expected duration, Start, a visible timer (never announced every second, and no
 * time limit), the answer typed (its duration estimated from the words) or spoken, Submit, and the evaluation's status.
 */
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { formatDuration, lastScoreText, timerFace } from './drillText';
import { statusText, useDrills } from './drillsStore';
import './drills.css';

export function DrillRunner({ questionId }: { questionId: string }) {
  const question = useDrills((s) => (s.question?.id === questionId ? s.question : null));
  const session = useDrills((s) => s.session);
  const submitting = useDrills((s) => s.submitting);
  const stopSubmission = useDrills((s) => s.stopSubmission);
  const openQuestion = useDrills((s) => s.openQuestion);
  const start = useDrills((s) => s.start);
  const answerField = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    void openQuestion(questionId);
  }, [openQuestion, questionId]);
  useEffect(() => {
    if (question) useShell.getState().markScreenReady();
  }, [question]);

  const onStart = async () => {
    if (await start()) {
      useShell.getState().announce('Started. The timer is running; there is no time limit.');
      // The answer field is where the learner goes next.
      window.setTimeout(() => answerField.current?.focus(), 0);
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={{ name: 'drills' }}>Drills</Link>
      </p>
      <ScreenHeading title="Drill">Drill{question ? `: ${question.category}` : ''}</ScreenHeading>
      {question === null ? (
        <p>Loading the question…</p>
      ) : (
        <>
          <section aria-labelledby="drill-question-heading">
            <h2 id="drill-question-heading">Question</h2>
            <p className="drill-prompt">{question.prompt}</p>
            <p className="hint">
              Aim for about {formatDuration(question.expectedDurationS)}. There is no time limit. {lastScoreText(question.lastScore)}
            </p>
          </section>
          {session === null ? (
            <div className="actions">
              <button type="button" className="primary" onClick={() => void onStart()}>
                Start
              </button>
            </div>
          ) : (
            <AnswerForm key={session.id} answerField={answerField} />
          )}
          {submitting && submitting !== 'STARTED' ? (
            <p className="drill-status">
              {statusText(submitting)}
            </p>
          ) : null}
          {submitting === 'PROCESSING' && stopSubmission ? (
            <div className="actions">
              <button type="button" onClick={stopSubmission}>
                Stop evaluating
              </button>
            </div>
          ) : null}
        </>
      )}
    </>
  );
}

/** Seconds since `startedMs`, refreshed once a second; the element showing it is not a live region. */
function useElapsedSeconds(startedMs: number, running: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!running) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [running]);
  return Math.max(0, (now - startedMs) / 1000);
}

function AnswerForm({ answerField }: { answerField: RefObject<HTMLTextAreaElement | null> }) {
  const submitting = useDrills((s) => s.submitting);
  const submit = useDrills((s) => s.submit);
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const firstKeyMs = useRef<number | null>(null);
  // The page's own clock from when Start succeeded (core's clock may differ from the page's).
  const [startedMs] = useState(() => Date.now());
  const elapsed = useElapsedSeconds(startedMs, submitting === null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() === '') {
      setError('Type your answer before submitting: a transcript is required.');
      answerField.current?.focus();
      return;
    }
    setError('');
    const typingTimeMs = firstKeyMs.current === null ? 0 : Math.max(0, Math.round(Date.now() - firstKeyMs.current));
    void submit({ mode: 'written', transcript: text, typingTimeMs });
  };

  return (
    <form className="drill-answer" noValidate onSubmit={onSubmit}>
      <p className="drill-timer">
        Time since Start:{' '}
        <span role="timer" aria-live="off">
          {timerFace(elapsed)}
        </span>
      </p>
      <div className="field">
        <label htmlFor="drill-answer-text">Your answer</label>
        <p className="hint" id="drill-answer-hint">
          A typed answer is timed by its words (at 145 words a minute), not by how long you take to type it.
        </p>
        <textarea
          id="drill-answer-text"
          ref={answerField}
          rows={10}
          value={text}
          disabled={submitting !== null}
          onChange={(e) => {
            if (firstKeyMs.current === null) firstKeyMs.current = Date.now();
            setText(e.target.value);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'drill-answer-hint drill-answer-error' : 'drill-answer-hint'}
        />
        {error ? (
          <p className="field-error" id="drill-answer-error">
            {error}
          </p>
        ) : null}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={submitting !== null}>
          Submit
        </button>
      </div>
    </form>
  );
}
