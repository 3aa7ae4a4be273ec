/**
 * The drill runner: the prompt and its expected duration, Start, a visible timer (never announced every second, and no
 * time limit), the answer typed (its duration estimated from the words) or spoken (recorded with the audio helper's
 * AudioRecorder, kept on this device, transcribed when a provider is set up, else typed), Submit, and the status. The
 * answer is saved as a draft while it is written; after a reload the runner offers to continue it or to discard it.
 */
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import type { DrillDraft, DrillUnfinished } from '../../../shared/ipc/contract';
import { api } from '../api';
import { request } from '../shell/request';
import { Link } from '../shell/Link';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { AudioRecorder, type Recording } from './AudioRecorder';
import { answerProblem, formatDuration, lastScoreText, recordedNote, timerFace, unfinishedText } from './drillText';
import { useDrills, type AnswerDraft } from './drillsStore';
import { SubmissionStatus } from './SubmissionStatus';
import './drills.css';

export function DrillRunner({ questionId }: { questionId: string }) {
  const question = useDrills((s) => (s.question?.id === questionId ? s.question : null));
  const answer = useDrills((s) => s.answer);
  const unreadable = useDrills((s) => s.unreadableQuestion === questionId);
  const openQuestion = useDrills((s) => s.openQuestion);
  const start = useDrills((s) => s.start);
  const starting = useDrills((s) => s.starting);
  const unfinished = useDrills((s) => (s.unfinished?.session.questionId === questionId ? s.unfinished : null));
  const resume = useDrills((s) => s.resume);
  const answerField = useRef<HTMLTextAreaElement>(null);
  const startButton = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    void openQuestion(questionId);
  }, [openQuestion, questionId]);
  useEffect(() => {
    if (question) useShell.getState().markScreenReady();
  }, [question]);

  // The answer field is where the learner goes next.
  const focusAnswer = () => window.setTimeout(() => answerField.current?.focus(), 0);
  const onStart = async () => {
    if (await start()) {
      useShell.getState().announce('Started. The timer is running; there is no time limit.');
      focusAnswer();
    }
  };
  const onContinue = () => {
    if (resume()) {
      useShell.getState().announce('Continuing your answer. The timer runs on from where it was.');
      focusAnswer();
    }
  };

  return (
    <>
      <p className="breadcrumb">
        <Link to={{ name: 'drills' }}>Drills</Link>
      </p>
      <ScreenHeading title="Drill">Drill{question ? `: ${question.category}` : ''}</ScreenHeading>
      {question === null ? (
        <p>{unreadable ? 'This question could not be opened.' : 'Loading the question…'}</p>
      ) : (
        <>
          <section aria-labelledby="drill-question-heading">
            <h2 id="drill-question-heading">Question</h2>
            <p className="drill-prompt">{question.prompt}</p>
            <p className="hint">
              Aim for about {formatDuration(question.expectedDurationS)}. There is no time limit. {lastScoreText(question.lastScore)}
            </p>
          </section>
          {answer === null && unfinished?.draft ? (
            <UnfinishedAnswer draft={unfinished.draft} onContinue={onContinue} onDiscarded={() => window.setTimeout(() => startButton.current?.focus(), 0)} />
          ) : answer === null ? (
            <>
              {unfinished ? <SubmittedAnswer unfinished={unfinished} /> : null}
              <div className="actions">
                {/* aria-disabled, not disabled, while it runs: the focus stays on it (the store ignores a second press). */}
                <button type="button" className="primary" ref={startButton} aria-disabled={starting || undefined} onClick={() => void onStart()}>
                  Start
                </button>
              </div>
            </>
          ) : (
            <AnswerForm key={answer.sessionId} answer={answer} answerField={answerField} />
          )}
          <SubmissionStatus />
        </>
      )}
    </>
  );
}

/** A STARTED session whose answer core kept (the page was reloaded or closed): continue it, or discard it. */
function UnfinishedAnswer({ draft, onContinue, onDiscarded }: { draft: DrillDraft; onContinue: () => void; onDiscarded: () => void }) {
  const discard = useDrills((s) => s.discard);
  const discarding = useDrills((s) => s.discarding);
  const onDiscard = async () => {
    if (await discard()) {
      useShell.getState().announce('Discarded. Start when you are ready.');
      // The section goes; Start, which replaces it, takes the focus.
      onDiscarded();
    }
  };
  return (
    <section aria-labelledby="drill-unfinished-heading" className="drill-unfinished">
      <h2 id="drill-unfinished-heading">Your unfinished answer</h2>
      <p>{unfinishedText(draft)}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={onContinue}>
          Continue
        </button>
        {/* aria-disabled, not disabled, while it runs: the focus stays on it (the store ignores a second press). */}
        <button type="button" aria-disabled={discarding || undefined} onClick={() => void onDiscard()}>
          Discard it
        </button>
      </div>
    </section>
  );
}

/** The latest answer at this question was submitted but has no evaluation (being evaluated, or failed): where it is. */
function SubmittedAnswer({ unfinished }: { unfinished: DrillUnfinished }) {
  const failed = unfinished.session.status === 'FAILED';
  return (
    <p className="drill-submitted">
      {failed ? 'Your last answer to this question was not evaluated. ' : 'Your last answer to this question is being evaluated. '}
      <Link to={{ name: 'drill-result', sessionId: unfinished.session.id }}>{failed ? 'Open it to try again' : 'Open its result'}</Link>
    </p>
  );
}

/** How often a draft is saved while nothing changes, so a reload keeps the time spent thinking too. */
const DRAFT_TIME_SAVE_MS = 15_000;

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

function AnswerForm({ answer, answerField }: { answer: AnswerDraft; answerField: RefObject<HTMLTextAreaElement | null> }) {
  const submitting = useDrills((s) => s.submitting);
  const submit = useDrills((s) => s.submit);
  const setText = useDrills((s) => s.setAnswerText);
  const setMode = useDrills((s) => s.setAnswerMode);
  const setRecording = useDrills((s) => s.setAnswerRecording);
  const saveDraft = useDrills((s) => s.saveDraft);
  const { text, mode, recording } = answer;
  const [error, setError] = useState('');
  // A continued answer's recording is already kept and its transcript (or typed text) is in the field.
  const [audioNote, setAudioNote] = useState(() => (recording ? recordedNote(recording.durationS, null) : ''));
  const [savingAudio, setSavingAudio] = useState(false);
  // The page's own clock from when Start succeeded (core's clock may differ from the page's).
  const elapsed = useElapsedSeconds(answer.startedMs, submitting === null);
  // The time spent is saved now and then, and as the page goes away, not only when the text changes.
  useEffect(() => {
    if (submitting !== null) return;
    const save = () => void saveDraft();
    const timer = window.setInterval(save, DRAFT_TIME_SAVE_MS);
    window.addEventListener('pagehide', save);
    return () => {
      window.clearInterval(timer);
      window.removeEventListener('pagehide', save);
    };
  }, [submitting, saveDraft]);

  /** Keeps the recording in the data folder, then asks for a transcript (typed instead when no provider is set up). */
  const onRecorded = async (rec: Recording) => {
    const earlierText = text.trim() !== '';
    setSavingAudio(true);
    setAudioNote('Saving your recording…');
    const body = new Uint8Array(await rec.blob.arrayBuffer());
    const saved = await request(() => api.drillsSaveAudio({ mimeType: rec.mimeType, durationS: rec.durationS }, { upload: body }).done, 'Could not keep the recording');
    if (!saved) {
      setSavingAudio(false);
      setAudioNote('');
      return;
    }
    setRecording(saved);
    setAudioNote(`Recorded ${formatDuration(saved.durationS)}. Transcribing…`);
    const transcribed = await api.drillsTranscribe({ audioPath: saved.audioPath }).done;
    setSavingAudio(false);
    if (transcribed.ok) setText(transcribed.value.text);
    // The note says what to do next, including when the text in the field is not this recording's: said as shown.
    const note = recordedNote(saved.durationS, transcribed.ok ? null : transcribed.error, earlierText);
    setAudioNote(note);
    useShell.getState().announce(note);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // While a recording is kept and transcribed, the answer is not complete yet (the store ignores a second submit).
    if (savingAudio) return;
    const problem = answerProblem(mode, text, recording !== null);
    if (problem !== null) {
      setError(problem);
      // Without a recording the fix is the recorder's Start, not the text.
      if (mode === 'written' || recording !== null) answerField.current?.focus();
      return;
    }
    setError('');
    if (mode === 'spoken' && recording) {
      void submit({ mode: 'spoken', transcript: text, durationS: recording.durationS, audioPath: recording.audioPath });
      return;
    }
    const typingTimeMs = answer.firstKeyMs === null ? 0 : Math.max(0, Math.round(Date.now() - answer.firstKeyMs));
    void submit({ mode: 'written', transcript: text, typingTimeMs });
  };

  const busy = submitting !== null || savingAudio;
  return (
    <form className="drill-answer" noValidate onSubmit={onSubmit}>
      <p className="drill-timer">
        Time since Start:{' '}
        <span role="timer" aria-live="off">
          {timerFace(elapsed)}
        </span>
      </p>
      <fieldset>
        <legend>How will you answer?</legend>
        <div className="choice">
          <input id="drill-mode-written" type="radio" name="drill-mode" checked={mode === 'written'} disabled={busy} onChange={() => setMode('written')} />
          <label htmlFor="drill-mode-written">Type it</label>
        </div>
        <div className="choice">
          <input id="drill-mode-spoken" type="radio" name="drill-mode" checked={mode === 'spoken'} disabled={busy} onChange={() => setMode('spoken')} />
          <label htmlFor="drill-mode-spoken">Say it aloud (record)</label>
        </div>
      </fieldset>
      {mode === 'spoken' ? (
        <>
          <AudioRecorder onRecorded={(rec) => void onRecorded(rec)} disabled={busy} keptS={recording?.durationS ?? null} />
          {audioNote ? <p className="hint">{audioNote}</p> : null}
        </>
      ) : null}
      <div className="field">
        <label htmlFor="drill-answer-text">{mode === 'spoken' ? 'Transcript of your answer' : 'Your answer'}</label>
        <p className="hint" id="drill-answer-hint">
          {mode === 'spoken'
            ? 'Your speaking time is measured from the recording. The transcript is what gets evaluated.'
            : 'A typed answer is timed by its words (at 145 words a minute), not by how long you take to type it.'}
        </p>
        <textarea
          id="drill-answer-text"
          ref={answerField}
          rows={10}
          value={text}
          disabled={busy}
          onChange={(e) => setText(e.target.value)}
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
        {/* aria-disabled, not disabled, while busy: a disabled button drops the focus to the page's body, where a refusal
            would leave the learner. */}
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          Submit
        </button>
      </div>
    </form>
  );
}
