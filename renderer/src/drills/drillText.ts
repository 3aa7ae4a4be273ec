/** Pure words for drills on screen: durations, scores, the change since the previous attempt, the plan and the evaluator. */
import type { DrillAccess } from '../../../shared/ipc/contract';

/** 75 → "1 min 15 s", 42.5 → "43 s". */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  if (minutes === 0) return `${rest} s`;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

/** The running timer's face: 75 → "1:15". */
export function timerFace(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

export function lastScoreText(score: number | null): string {
  return score === null ? 'Not tried yet.' : `Last score ${Math.round(score)} of 100.`;
}

/** +12 → "12 points higher", -3 → "3 points lower", 0 → "the same score". */
export function scoreChangeText(change: number): string {
  const points = Math.abs(Math.round(change));
  if (points === 0) return 'the same score';
  return `${points} ${points === 1 ? 'point' : 'points'} ${change > 0 ? 'higher' : 'lower'}`;
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
