/** Pure words for drills on screen: durations, scores, the change since the previous attempt, the plan and the evaluator. */
import type { AppError } from '../../../shared/errors';
import type { DrillAccess, DrillDraft, DrillResult, ResponseMode } from '../../../shared/ipc/contract';

/** 75 → "1 min 15 s", 42.5 → "43 s". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** A running clock's face: 75 → "1:15" (whole seconds gone by). A length already measured reads as formatDuration. */
export function timerFace(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function lastScoreText(score: number | null): string {
  return score === null ? 'Not tried yet.' : `Last score ${Math.round(score)} of 100.`;
}

/**
 * How the answer was given, as the result says it: "Spoken for 1 min 2 s.", or "Typed." with the typing time. A typing
 * time under a second is left out: it is a pasted answer (or one submitted at once), and "Typing took 0 s" is not true.
 */
export function responseText(response: Pick<DrillResult['response'], 'mode' | 'durationS' | 'typingTimeMs'>): string {
  if (response.mode === 'spoken') return `Spoken for ${formatDuration(response.durationS)}.`;
  return response.typingTimeMs !== null && response.typingTimeMs >= 1000 ? `Typed. Typing took ${formatDuration(response.typingTimeMs / 1000)}.` : 'Typed.';
}

/** The change since the previous attempt, as a sentence: +12 → "12 points higher than last time (53 of 100).". */
export function previousAttemptText(change: number, previousScore: number): string {
  const points = Math.abs(Math.round(change));
  const previous = `last time (${Math.round(previousScore)} of 100).`;
  if (points === 0) return `The same score as ${previous}`;
  return `${points} ${points === 1 ? 'point' : 'points'} ${change > 0 ? 'higher' : 'lower'} than ${previous}`;
}

/**
 * The longest transcript drills:submit takes: equal to the contract's `drillTranscriptMaxChars` (a test keeps them
 * equal). Kept here because importing the contract module at run time would bring zod into the renderer.
 */
export const transcriptLimitChars = 20_000;

/** What keeps an answer from being submitted, in words; null when it can be. */
export function answerProblem(mode: ResponseMode, text: string, recorded: boolean): string | null {
  if (mode === 'spoken' && !recorded) return 'Record your answer first (Start, then Stop), or choose to type it.';
  if (text.trim() === '') {
    return mode === 'spoken'
      ? 'Type what you said before submitting: a transcript is required, a recording alone cannot be evaluated.'
      : 'Type your answer before submitting: a transcript is required.';
  }
  if (text.length > transcriptLimitChars) {
    const over = text.length - transcriptLimitChars;
    return `Your answer is ${text.length.toLocaleString()} characters long; a drill takes at most ${transcriptLimitChars.toLocaleString()}. Shorten it by ${over.toLocaleString()} ${over === 1 ? 'character' : 'characters'}, then submit.`;
  }
  return null;
}

/**
 * What the learner is told once a recording is kept: check the transcript, or why there is none and to type it. Core
 * answers `not_configured` both without a provider and for a provider without a transcription model; only a provider's
 * failure carries its `providerCode`, and its message already says the answer can be typed. `earlierText`: the field
 * already held text (an earlier recording's transcript, or typed) that a failed transcription leaves in place, so it is
 * not taken for this recording's.
 */
export function recordedNote(durationS: number, failure: AppError | null, earlierText = false): string {
  const recorded = `Recorded ${formatDuration(durationS)}.`;
  if (failure === null) return `${recorded} Check the transcript below, correct it if needed, then submit.`;
  const replace = 'The text below is from before this recording: replace it with what you said this time, then submit.';
  const fromProvider = typeof failure.details === 'object' && failure.details !== null && 'providerCode' in failure.details;
  if (fromProvider) return earlierText ? `${recorded} ${failure.message} ${replace}` : `${recorded} ${failure.message}`;
  const why = failure.code === 'not_configured' ? 'No transcription service is set up.' : failure.message;
  return `${recorded} ${why} ${earlierText ? replace : 'Type what you said below, then submit.'}`;
}

/** What the runner says of a STARTED session's kept draft, offering to continue or to discard it. */
export function unfinishedText(draft: Pick<DrillDraft, 'transcript' | 'recording' | 'elapsedMs'>): string {
  const started = `You started this question and did not submit (${formatDuration(draft.elapsedMs / 1000)} since Start).`;
  const kept = draft.transcript.trim() !== '' ? 'Your answer so far is kept' : draft.recording !== null ? 'Your recording is kept' : 'Nothing was written yet';
  return `${started} ${kept}: continue, or discard it and start again.`;
}

/**
 * Why the level in force was not confirmed by the server just now, in a learner's words: the reason, and the level
 * used meanwhile (the last one confirmed, or BASIC). Null when the server answered, or when no answer was needed.
 */
export function planCheckText(access: Pick<DrillAccess, 'level' | 'checkedUtcMs' | 'unreadable'>, formatTime: (utcMs: number) => string): string | null {
  if (access.unreadable === null) return null;
  const using =
    access.checkedUtcMs === null
      ? 'using BASIC until it can be checked'
      : `using your ${access.level} level, last confirmed on ${formatTime(access.checkedUtcMs)}`;
  return `Could not check your plan with the server (${access.unreadable.replace(/\.+$/, '')}); ${using}.`;
}

/** The evaluator as named on screen: while the app is offline, its offline words when it has any (the server's). */
export function evaluatorText(evaluator: DrillAccess['evaluator'], offline: boolean): string {
  return offline && evaluator.offlineLabel !== null ? evaluator.offlineLabel : evaluator.label;
}
