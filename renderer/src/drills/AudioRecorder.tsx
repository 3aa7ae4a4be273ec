/**
 * Records a spoken answer with MediaRecorder: Start and Stop buttons, a visible timer that is never announced every
 * second (Start and Stop are announced once, politely), and the duration measured from the recording itself. Without a
 * microphone, or when permission is refused, it says so and the learner types the answer instead.
 */
import { useEffect, useRef, useState } from 'react';
import { useShell } from '../shell/shellStore';
import { formatDuration, timerFace } from './drillText';

export interface Recording {
  blob: Blob;
  /** Seconds of audio, measured from the recording (its decoded length; the recorder's clock when it cannot be decoded). */
  durationS: number;
  mimeType: string;
}

export interface AudioRecorderProps {
  onRecorded(rec: Recording): void;
  disabled?: boolean;
  /** The length of a recording this answer already kept (a continued answer's), shown until a new one is made. */
  keptS?: number | null;
}

type Phase = 'idle' | 'asking' | 'recording' | 'measuring';

/** Chromium and Electron record webm/Opus; the rest are for other engines. */
const preferredTypes = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'];

/** What a getUserMedia failure means to the learner. */
export function microphoneProblem(err: unknown): string {
  const name = err instanceof DOMException || err instanceof Error ? err.name : '';
  const typeInstead = 'You can type your answer instead.';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return `Permission to use the microphone was refused. Allow the microphone for this app to record, or type your answer instead.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `No microphone was found. Connect one to record. ${typeInstead}`;
    case 'NotReadableError':
    case 'AbortError':
      return `The microphone could not be started; another app may be using it. ${typeInstead}`;
    default:
      return `The microphone could not be used (${err instanceof Error ? err.message : String(err)}). ${typeInstead}`;
  }
}

/** The recording's length from its decoded audio, or null when it cannot be decoded here. */
async function decodedSeconds(blob: Blob): Promise<number | null> {
  if (typeof AudioContext === 'undefined') return null;
  const context = new AudioContext();
  try {
    const audio = await context.decodeAudioData(await blob.arrayBuffer());
    return Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : null;
  } catch {
    return null;
  } finally {
    void context.close();
  }
}

export function AudioRecorder({ onRecorded, disabled = false, keptS = null }: AudioRecorderProps) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [problem, setProblem] = useState('');
  const [recordedS, setRecordedS] = useState<number | null>(keptS);
  const [elapsedS, setElapsedS] = useState(0);
  const recorder = useRef<MediaRecorder | null>(null);
  const stream = useRef<MediaStream | null>(null);
  const startButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  // The recorder's stop handler outlives a render: it calls the latest onRecorded.
  const onRecordedRef = useRef(onRecorded);
  useEffect(() => {
    onRecordedRef.current = onRecorded;
  }, [onRecorded]);

  const releaseMicrophone = () => {
    for (const track of stream.current?.getTracks() ?? []) track.stop();
    stream.current = null;
  };

  // Leaving the screen mid-recording stops the recorder and frees the microphone (nothing is kept).
  const unmounted = useRef(false);
  useEffect(() => {
    // Set again on mount: React's strict mode mounts, unmounts and mounts once more in development.
    unmounted.current = false;
    return () => {
      unmounted.current = true;
      const active = recorder.current;
      recorder.current = null;
      if (active && active.state !== 'inactive') {
        active.ondataavailable = null;
        active.onstop = null;
        active.stop();
      }
      releaseMicrophone();
    };
  }, []);

  // Focus follows the action: Stop while recording, then Record again as Stop is disabled (Start is only aria-disabled
  // while busy, so it can hold the focus meanwhile).
  useEffect(() => {
    if (phase === 'recording') stopButton.current?.focus();
    if (phase === 'measuring') startButton.current?.focus();
  }, [phase]);

  const busy = disabled || phase !== 'idle';
  const start = async () => {
    // A press while busy (asking, recording, measuring, or the answer being kept or submitted) is ignored.
    if (busy) return;
    setProblem('');
    if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
      setProblem('Recording is not available here. You can type your answer instead.');
      return;
    }
    setPhase('asking');
    let microphone: MediaStream;
    try {
      // Audio only: the app never asks for the camera.
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
    } catch (err) {
      setPhase('idle');
      setProblem(microphoneProblem(err));
      return;
    }
    if (unmounted.current) {
      // The learner left while the browser was asking: the microphone is not kept on.
      for (const track of microphone.getTracks()) track.stop();
      return;
    }
    stream.current = microphone;
    const mimeType = preferredTypes.find((type) => MediaRecorder.isTypeSupported(type));
    const active = new MediaRecorder(microphone, mimeType ? { mimeType } : {});
    recorder.current = active;
    const chunks: Blob[] = [];
    let startedMs = performance.now();
    active.ondataavailable = (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    };
    active.onstart = () => {
      startedMs = performance.now();
      setElapsedS(0);
      setPhase('recording');
      useShell.getState().announce('Recording. The timer is running; press Stop when you have finished.');
    };
    active.onstop = () => {
      const clockS = (performance.now() - startedMs) / 1000;
      releaseMicrophone();
      recorder.current = null;
      setPhase('measuring');
      const type = active.mimeType || mimeType || 'audio/webm';
      const blob = new Blob(chunks, { type });
      void decodedSeconds(blob).then((decoded) => {
        const durationS = decoded ?? clockS;
        setRecordedS(durationS);
        setPhase('idle');
        useShell.getState().announce(`Recording stopped: ${formatDuration(durationS)} recorded.`);
        onRecordedRef.current({ blob, durationS, mimeType: type });
      });
    };
    active.onerror = () => {
      setProblem('The recording stopped because of an error. Record again, or type your answer instead.');
    };
    active.start(1000);
  };

  const stop = () => {
    const active = recorder.current;
    if (active && active.state !== 'inactive') active.stop();
  };

  // The visible timer, refreshed once a second while recording; the element is not a live region.
  useEffect(() => {
    if (phase !== 'recording') return;
    const began = performance.now();
    const timer = window.setInterval(() => setElapsedS((performance.now() - began) / 1000), 1000);
    return () => window.clearInterval(timer);
  }, [phase]);

  const recording = phase === 'recording';
  return (
    <div className="audio-recorder" role="group" aria-labelledby="audio-recorder-label">
      <p id="audio-recorder-label" className="audio-recorder-label">
        Record your answer
      </p>
      <div className="actions">
        {/* aria-disabled, not disabled, while busy: a disabled button drops the focus to the page's body. */}
        <button type="button" ref={startButton} onClick={() => void start()} aria-disabled={busy || undefined}>
          {recordedS === null ? 'Start recording' : 'Record again'}
        </button>
        <button type="button" ref={stopButton} onClick={stop} disabled={!recording}>
          Stop recording
        </button>
      </div>
      <p className="drill-timer">
        {recording ? (
          <>
            Recording:{' '}
            <span role="timer" aria-live="off">
              {timerFace(elapsedS)}
            </span>
          </>
        ) : recordedS === null ? (
          'Not recorded yet.'
        ) : (
          // A kept recording's length reads as everywhere else (the note, the announcement, the result), not as a clock.
          `Recorded: ${formatDuration(recordedS)}.`
        )}
        {phase === 'asking' ? ' (waiting for the microphone…)' : ''}
      </p>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}
